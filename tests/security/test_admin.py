"""The Django admin is for system administrators and reference data, never for case data."""

from __future__ import annotations

import html
from urllib.parse import urlsplit

import pytest
from django.contrib import admin
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from cse_portal.access import children_visible_to
from cse_portal.models import AccessLog, Child, Officer
from tests.conftest import sign_in
from tests.factories import OfficerFactory

from .conftest import SETUP_URL, SIGN_IN_URL, VERIFY_URL, password_sign_in, signed_in_officer_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def sysadmin_client(sysadmin) -> Client:
    return sign_in(Client(), sysadmin)


def test_a_system_administrator_can_open_the_admin_after_two_factor_sign_in(sysadmin_client):
    response = sysadmin_client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert "CSE Portal administration" in html.unescape(response.content.decode())


def test_the_admin_needs_the_second_factor_too(sysadmin):
    client = Client()
    assert password_sign_in(client, "sysadmin").status_code == 302
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert urlsplit(response.url).path == SETUP_URL

    TOTPDevice.objects.create(user=sysadmin, name="Authenticator app", confirmed=True)
    response = client.get(reverse("admin:index"))
    assert urlsplit(response.url).path == VERIFY_URL


def test_the_admin_has_no_page_for_children(world, sysadmin_client):
    assert sysadmin_client.get("/admin/cse_portal/child/").status_code == 404
    change = f"/admin/cse_portal/child/{world.child.pk}/change/"
    assert sysadmin_client.get(change).status_code == 404
    index = html.unescape(sysadmin_client.get(reverse("admin:index")).content.decode())
    assert "/admin/cse_portal/child/" not in index
    assert "Jamie" not in index


def test_no_model_in_the_admin_is_or_points_at_a_child():
    shown = set()
    for model, model_admin in admin.site._registry.items():
        shown.add(model)
        shown.update(inline.model for inline in model_admin.inlines)
    for model in shown:
        assert model not in {Child, AccessLog}, model
        pointed_at = {
            f.related_model
            for f in model._meta.get_fields()
            if f.is_relation and not f.auto_created
        }
        assert not pointed_at & {Child, AccessLog}, model


def test_a_system_administrator_sees_no_children(world, sysadmin):
    assert Child.objects.exists()
    assert not children_visible_to(sysadmin).exists()


def test_a_childs_record_answers_404_to_a_system_administrator(world, sysadmin_client):
    for name in ["children:detail", "children:edit", "children:share", "children:audit"]:
        response = sysadmin_client.get(reverse(name, kwargs={"child_pk": world.child.pk}))
        assert response.status_code == 404, name
        assert "Jamie" not in response.content.decode(), name


def test_the_childrens_list_is_empty_for_a_system_administrator(world, sysadmin_client):
    response = sysadmin_client.get(reverse("children:list"))
    assert response.status_code == 200
    assert "Jamie" not in response.content.decode()


def test_the_admin_does_not_show_an_officers_authenticator_key(world, sysadmin_client):
    device = TOTPDevice.objects.create(user=world.owner, name="Authenticator app", confirmed=True)
    change = sysadmin_client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/")
    assert change.status_code == 200
    assert device.key not in change.content.decode()
    for view in ("qrcode", "config"):
        url = f"/admin/otp_totp/totpdevice/{device.pk}/{view}/"
        assert sysadmin_client.get(url).status_code == 403, view


def test_the_admin_sign_in_counts_towards_the_same_lockout(world):
    client = Client()
    admin_login = reverse("admin:login")
    for _ in range(5):
        response = client.post(admin_login, {"username": "owner", "password": "wrong-guess-1"})
    assert response.status_code == 429
    response = password_sign_in(Client(), "owner")
    assert response.status_code == 429
    assert signed_in_officer_id(client) is None


def test_an_anonymous_visitor_is_sent_to_sign_in_from_the_admin(db):
    response = Client().get(reverse("admin:index"))
    assert response.status_code == 302
    assert urlsplit(response.url).path in {reverse("admin:login"), SIGN_IN_URL}


# --- A system administrator holds no agency; every change of access is recorded ------------


def change_url(officer: Officer) -> str:
    return reverse("admin:cse_portal_officer_change", args=[officer.pk])


def change_form(officer: Officer, **changes: object) -> dict[str, object]:
    """The officer change form of the admin as a browser would post it, with `changes`."""
    data: dict[str, object] = {
        "username": officer.username,
        "first_name": officer.first_name,
        "last_name": officer.last_name,
        "email": officer.email,
        "phone": officer.phone,
        "job_title": officer.job_title,
        "agency": officer.agency_id or "",
        "role": officer.role,
        "is_cse_lead": officer.is_cse_lead,
        "is_active": officer.is_active,
        "is_staff": officer.is_staff,
        "is_superuser": officer.is_superuser,
    }
    data.update(changes)
    # An unticked checkbox is not sent at all.
    return {
        key: ("on" if value is True else value) for key, value in data.items() if value is not False
    }


def test_the_database_refuses_an_agency_for_a_system_administrator(world, sysadmin):
    with pytest.raises(IntegrityError), transaction.atomic():
        Officer.objects.filter(pk=sysadmin.pk).update(agency=world.school)
    # Nor may an agency's officer be made a superuser while they hold the agency.
    with pytest.raises(IntegrityError), transaction.atomic():
        Officer.objects.filter(pk=world.owner.pk).update(is_superuser=True)


def test_a_system_administrator_cannot_give_themselves_an_agency_or_change_their_role(
    world, sysadmin, sysadmin_client
):
    page = sysadmin_client.get(change_url(sysadmin)).content.decode()
    for field in ("agency", "role", "is_superuser", "is_staff"):
        assert f'name="{field}"' not in page, field

    response = sysadmin_client.post(
        change_url(sysadmin),
        change_form(
            sysadmin,
            first_name="Samuel",
            agency=world.school.pk,
            role=Officer.Role.PRACTITIONER,
            is_superuser=False,
        ),
    )

    assert response.status_code == 302
    sysadmin.refresh_from_db()
    assert sysadmin.first_name == "Samuel"  # the rest of the form was saved
    assert sysadmin.agency_id is None
    assert sysadmin.role == Officer.Role.SYSTEM_ADMINISTRATOR
    assert sysadmin.is_superuser
    assert not children_visible_to(sysadmin).exists()


def test_another_system_administrator_cannot_be_given_an_agency_in_the_admin(
    world, sysadmin_client
):
    other = OfficerFactory(
        username="sysadmin2", agency=None, role=Officer.Role.SYSTEM_ADMINISTRATOR, is_staff=True
    )
    response = sysadmin_client.post(change_url(other), change_form(other, agency=world.school.pk))
    assert response.status_code == 200
    assert "A system administrator cannot belong to an agency" in html.unescape(
        response.content.decode()
    )
    other.refresh_from_db()
    assert other.agency_id is None


def test_each_change_of_an_officers_agency_or_role_in_the_admin_is_recorded_against_the_admin(
    world, sysadmin, sysadmin_client
):
    officer = world.owner
    response = sysadmin_client.post(
        change_url(officer),
        change_form(officer, agency=world.police.pk, role=Officer.Role.TEAM_MANAGER),
    )
    assert response.status_code == 302

    event = officer.access_events.order_by("-pgh_id").first()
    assert event.pgh_label == "update"
    assert (event.agency_id, event.role) == (world.police.pk, Officer.Role.TEAM_MANAGER)
    assert event.pgh_context.metadata["user"] == sysadmin.pk
    assert event.pgh_context.metadata["url"] == change_url(officer)

    # A save that changes neither records nothing more; the history is shown in the admin.
    sysadmin_client.post(change_url(officer), change_form(Officer.objects.get(pk=officer.pk)))
    assert officer.access_events.count() == 2  # created, then moved
    listing = sysadmin_client.get(reverse("admin:cse_portal_officeraccessevent_changelist"))
    assert listing.status_code == 200
    assert "Sam Admin" in listing.content.decode()


def test_the_access_history_of_officers_cannot_be_altered(world):
    event = world.owner.access_events.get()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cse_portal_officeraccessevent SET role = 'sysadmin' WHERE pgh_id = %s",
            [event.pk],
        )


def test_a_system_administrator_lands_on_the_admin(sysadmin_client):
    response = sysadmin_client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url == reverse("admin:index")


def test_an_agencys_officer_lands_on_their_work(owner_client):
    response = owner_client.get(reverse("home"))
    assert response.status_code == 200
    assert '<h1 class="govuk-heading-l">Your work</h1>' in response.content.decode()
