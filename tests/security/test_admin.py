"""The Django admin is for system administrators and reference data, never for case data."""

from __future__ import annotations

import html
from urllib.parse import urlsplit

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from cse_portal.access import children_visible_to
from cse_portal.models import AccessLog, Child
from tests.conftest import sign_in

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
