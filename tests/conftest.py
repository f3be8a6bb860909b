"""Shared fixtures: the personas of style.md and a signed-in client for each.

Personas (reused everywhere):
- owner       — practitioner of the agency that recorded the child (a school, Northdale)
- involved    — police officer whose agency the record was shared with
- uninvolved  — health practitioner in the same area, never involved
- lead        — the school's CSE lead officer
- csc         — social worker in Northdale children's social care (not involved by default)
- anonymous   — a visitor who has not signed in
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from cse_portal import services
from cse_portal.models import Agency, Child, Officer
from tests.factories import AgencyFactory, LocalAuthorityFactory, OfficerFactory, make_child


def _restore_reference_data(sender: AppConfig, **kwargs: object) -> None:
    """Reference data the migrations load (the SAFEGUARD catalogue, the assessment tools) is
    emptied by the flush that ends every transactional (browser) test. Django sends
    post_migrate after that flush, so load it again then: whatever order the tests run in
    (pytest-xdist shares them out across processes), every test finds it, as in production."""
    if sender.label != "strategy_meetings":  # the last app: once per migrate or flush
        return
    # Imported here: this module is imported before Django has set up its apps.
    from tests.referrals.assessment.records import ensure_tools
    from tests.screening.factories import ensure_catalogue

    ensure_catalogue()
    ensure_tools()


post_migrate.connect(_restore_reference_data, dispatch_uid="tests-restore-reference-data")


def sign_in(client: Client, officer: Officer) -> Client:
    """Sign the officer in with a verified second factor, as the real sign-in would leave it."""
    device, _ = TOTPDevice.objects.get_or_create(
        user=officer, name="test device", defaults={"confirmed": True}
    )
    client.force_login(officer)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@dataclass(kw_only=True)  # built with keyword arguments only: fourteen fields, easy to swap
class World:
    north: object
    south: object
    school: Agency
    police: Agency
    health: Agency
    csc: Agency
    south_csc: Agency
    owner: Officer
    involved: Officer
    uninvolved: Officer
    lead: Officer
    csc_officer: Officer
    team_manager: Officer
    child: Child


@pytest.fixture
def world(db: None) -> World:
    north = LocalAuthorityFactory(name="Northdale Council", code="northdale")
    south = LocalAuthorityFactory(name="Southmere Council", code="southmere")
    school = AgencyFactory(
        name="Brookfield Academy", kind=Agency.Kind.EDUCATION, local_authority=north
    )
    police = AgencyFactory(name="Northdale Police", kind=Agency.Kind.POLICE, local_authority=north)
    health = AgencyFactory(
        name="Northdale Health Trust", kind=Agency.Kind.HEALTH, local_authority=north
    )
    csc = AgencyFactory(
        name="Northdale Children's Social Care",
        kind=Agency.Kind.CHILDRENS_SOCIAL_CARE,
        local_authority=north,
    )
    south_csc = AgencyFactory(
        name="Southmere Children's Social Care",
        kind=Agency.Kind.CHILDRENS_SOCIAL_CARE,
        local_authority=south,
    )
    owner = OfficerFactory(username="owner", first_name="Olive", last_name="Owner", agency=school)
    involved = OfficerFactory(
        username="involved", first_name="Ivan", last_name="Involved", agency=police
    )
    uninvolved = OfficerFactory(
        username="uninvolved", first_name="Una", last_name="Uninvolved", agency=health
    )
    lead = OfficerFactory(
        username="lead", first_name="Leah", last_name="Lead", agency=school, is_cse_lead=True
    )
    csc_officer = OfficerFactory(
        username="socialworker",
        first_name="Sofia",
        last_name="Worker",
        agency=csc,
        role=Officer.Role.SOCIAL_WORKER,
    )
    team_manager = OfficerFactory(
        username="manager",
        first_name="Tom",
        last_name="Manager",
        agency=csc,
        role=Officer.Role.TEAM_MANAGER,
    )
    child = make_child(by=owner, first_name="Jamie", last_name="Testchild")
    services.child_share(child=child, agency=police, by=owner, reason="Police are investigating.")
    return World(
        north=north,
        south=south,
        school=school,
        police=police,
        health=health,
        csc=csc,
        south_csc=south_csc,
        owner=owner,
        involved=involved,
        uninvolved=uninvolved,
        lead=lead,
        csc_officer=csc_officer,
        team_manager=team_manager,
        child=child,
    )


@pytest.fixture
def owner_client(world: World) -> Client:
    return sign_in(Client(), world.owner)


@pytest.fixture
def involved_client(world: World) -> Client:
    return sign_in(Client(), world.involved)


@pytest.fixture
def uninvolved_client(world: World) -> Client:
    return sign_in(Client(), world.uninvolved)


@pytest.fixture
def lead_client(world: World) -> Client:
    return sign_in(Client(), world.lead)


@pytest.fixture
def csc_client(world: World) -> Client:
    return sign_in(Client(), world.csc_officer)


@pytest.fixture
def anonymous_client() -> Client:
    return Client()


@pytest.fixture(scope="module")
def module_demo(django_db_setup: None, django_db_blocker: object) -> Iterator[str]:
    """The demo data set, loaded once for the module's tests and rolled back after them;
    gives what `load_demo --quiet` wrote. Each test runs inside its own savepoint (the `db`
    fixture), so what one test changes (a second `load_demo`, say) is undone before the next.
    Loaded by tests/demo_data.py: the real command once per process, a snapshot after that."""
    from django.db import transaction

    from tests import demo_data

    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield demo_data.load()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
