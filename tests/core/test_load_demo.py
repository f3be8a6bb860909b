"""`manage.py load_demo`: the fictional demo data set, loaded idempotently through the services."""

from __future__ import annotations

from datetime import date

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from cse_portal.access import children_visible_to
from cse_portal.management.commands.load_demo import DEFAULT_DEMO_PASSWORD, date_of_birth
from cse_portal.models import (
    Agency,
    Child,
    ChildGroupObjectPermission,
    Gender,
    Involvement,
    LocalAuthority,
    LookedAfterStatus,
    Officer,
)
from tests import demo_data


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo loaded once for this module's tests, and rolled back after them.

    Each test runs inside its own savepoint (the `db` fixture), so what a test changes is
    undone before the next one; the demo itself goes when the module ends. Loaded by
    tests/demo_data.py: the command itself once per test process, a snapshot of its rows after.
    """
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as mp:
        mp.delenv("CSE_DEMO_PASSWORD", raising=False)
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            demo_data.load()
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def snapshot() -> dict[str, object]:
    """Every row count the demo touches, and the parts of rows a second run might change."""
    return {
        "local_authorities": LocalAuthority.objects.count(),
        "agencies": Agency.objects.count(),
        "officers": sorted(Officer.objects.values_list("username", "password")),
        "children": sorted(
            (str(pk), version, dob)
            for pk, version, dob in Child.objects.values_list("pk", "version", "date_of_birth")
        ),
        "involvements": Involvement.objects.count(),
        "permissions": ChildGroupObjectPermission.objects.count(),
        "child_events": apps.get_model("cse_portal", "ChildEvent").objects.count(),
        "involvement_events": apps.get_model("cse_portal", "InvolvementEvent").objects.count(),
    }


def test_demo_has_two_authorities_varied_agencies_and_a_cse_lead_in_each(db, demo):
    assert set(LocalAuthority.objects.values_list("code", flat=True)) >= {"northdale", "southmere"}
    assert Agency.objects.count() >= 8
    assert Agency.objects.values("kind").distinct().count() >= 6
    for agency in Agency.objects.all():
        assert agency.officers.filter(is_cse_lead=True, is_active=True).count() == 1, agency


def test_demo_officers_cover_the_roles_of_the_pathway(db, demo):
    assert 18 <= Officer.objects.count() <= 25
    for authority in LocalAuthority.objects.all():
        csc = authority.childrens_social_care
        assert csc is not None, authority
        assert csc.officers.filter(role=Officer.Role.SOCIAL_WORKER).count() >= 2
        assert csc.officers.filter(role=Officer.Role.TEAM_MANAGER).exists()
    for role in [Officer.Role.CP_COORDINATOR, Officer.Role.IRO]:
        assert Officer.objects.get(role=role, agency__kind=Agency.Kind.CHILDRENS_SOCIAL_CARE)
    for username in [
        "school.lead",
        "school.practitioner",
        "police.lead",
        "csc.social.worker",
        "csc.manager",
        "cp.coordinator",
        "iro",
        "health.practitioner",
    ]:
        assert Officer.objects.get(username=username).check_password(DEFAULT_DEMO_PASSWORD)


def test_demo_system_administrator_uses_the_admin_but_sees_no_case_data(db, demo):
    admin = Officer.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert admin.role == Officer.Role.SYSTEM_ADMINISTRATOR and admin.agency is None
    assert not children_visible_to(admin).exists()


def test_demo_children_are_varied_and_all_under_18(db, demo):
    children = list(Child.objects.select_related("home_authority", "host_authority"))
    # 31 in the core data, and 18 more for the lead officers' caseload and themes.
    assert 45 <= len(children) <= 55
    assert sum(c.gender == Gender.MALE for c in children) >= 5
    assert any(c.gender == Gender.NON_BINARY for c in children)
    unidentified = [c for c in children if not c.is_identified]
    assert len(unidentified) >= 2 and all(c.description for c in unidentified)
    assert any(c.date_of_birth is None and c.approximate_age for c in children)
    assert len({group for c in children for group in c.risk_groups}) >= 5
    placed_out = [
        c
        for c in children
        if c.looked_after_status == LookedAfterStatus.LOOKED_AFTER and c.placed_out_of_area
    ]
    assert placed_out
    assert placed_out[0].home_authority.code == "northdale"
    assert placed_out[0].host_authority_id == LocalAuthority.objects.get(code="southmere").pk
    assert placed_out[0].host_cse_lead_contact
    today = timezone.localdate()
    assert all(c.age_on(today) in range(11, 18) for c in children)


def test_demo_involvements_decide_who_sees_which_child(db, demo):
    health = Officer.objects.get(username="health.practitioner")
    visible = set(children_visible_to(health))
    assert visible, "the Northdale health practitioner should see some children"
    assert len(visible) < Child.objects.count()
    involved = Child.objects.filter(
        involvements__agency=health.agency, involvements__ended_at__isnull=True
    )
    assert visible == set(involved)
    # Some Southmere children are seen by no Northdale agency at all.
    northdale_officers = Officer.objects.filter(agency__local_authority__code="northdale")
    seen_in_northdale = set().union(*(set(children_visible_to(o)) for o in northdale_officers))
    assert (
        Child.objects.filter(owning_agency__local_authority__code="southmere")
        .exclude(pk__in=[c.pk for c in seen_in_northdale])
        .exists()
    )
    # Every child was recorded, and every share granted, through the services.
    for child in Child.objects.all():
        assert child.involvements.filter(
            agency=child.owning_agency, reason=Involvement.Reason.CREATED_RECORD
        ).exists()
    assert Involvement.objects.filter(reason=Involvement.Reason.EXPLICIT_SHARE).count() >= 20


def test_running_load_demo_twice_changes_nothing(db, demo):
    before = snapshot()
    call_command("load_demo", quiet=True)
    assert snapshot() == before


def test_load_demo_refuses_to_run_in_production(db, demo, settings):
    before = snapshot()
    settings.CSE_ENV = "production"
    with pytest.raises(CommandError):
        call_command("load_demo", quiet=True)
    assert snapshot() == before


def test_demo_date_of_birth_keeps_the_age_across_a_leap_day():
    assert date_of_birth(date(2028, 2, 29), 15, 0) == date(2013, 2, 28)
    child = Child(date_of_birth=date_of_birth(date(2026, 3, 1), 17, 364))
    assert child.age_on(date(2026, 3, 1)) == 17
