"""The service navigation: items registered by the core and the apps (cse_portal/navigation.py)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cse_portal import navigation
from cse_portal.models import Agency, Officer
from tests.conftest import sign_in
from tests.factories import AgencyFactory, OfficerFactory

pytestmark = pytest.mark.django_db

CORE_TEMPLATES = Path(settings.BASE_DIR) / "templates"


def menu(client: Client) -> list[tuple[str, str]]:
    """(label, href) of each item in the page's service navigation, in order."""
    page = client.get(reverse("children:list")).content.decode()
    nav = re.search(r'<ul class="govuk-service-navigation__list".*?</ul>', page, re.DOTALL)
    assert nav, page
    return [
        (html.unescape(re.sub(r"<[^>]+>", "", label)).strip(), href)
        for href, label in re.findall(r'<a [^>]*href="([^"]+)"[^>]*>(.*?)</a>', nav.group(0))
    ]


def labels(client: Client) -> list[str]:
    return [label for label, _ in menu(client)]


def test_a_practitioner_sees_the_children_and_the_referrals_their_agency_sent(owner_client):
    assert menu(owner_client) == [
        ("Your work", reverse("home")),
        ("My agency's children", reverse("children:list")),
        ("Add a child", reverse("children:add")),
        ("Referrals we sent", reverse("referrals:sent")),
        ("Notifications", reverse("notifications:list")),
    ]


def test_a_lead_officer_also_sees_their_caseload_and_the_screenings_awaiting_advice(lead_client):
    assert labels(lead_client) == [
        "Your work",
        "My agency's children",
        "Add a child",
        "Our caseload",
        "Screenings awaiting advice",
        "Referrals we sent",
        "Notifications",
    ]


def test_childrens_social_care_sees_its_referrals_tray(csc_client):
    assert ("Referrals", reverse("referrals:tray")) in menu(csc_client)
    assert "Referrals we sent" not in labels(csc_client)


def test_the_current_page_is_marked_in_the_navigation(owner_client):
    page = owner_client.get(reverse("children:add")).content.decode()
    current = re.findall(r'<a [^>]*aria-current="page"[^>]*>(.*?)</a>', page)
    assert [re.sub(r"<[^>]+>", "", c) for c in current] == ["Add a child"]


def test_an_officer_without_an_agency_is_offered_no_caseload_pages(world):
    sysadmin = OfficerFactory(
        username="sysadmin", agency=None, role=Officer.Role.SYSTEM_ADMINISTRATOR, is_staff=True
    )
    assert navigation.registry.items_for(sysadmin) == []
    assert labels(sign_in(Client(), sysadmin)) == []


def test_the_core_templates_name_no_apps_pages():
    for template in [CORE_TEMPLATES / "base.html", *CORE_TEMPLATES.glob("includes/*.html")]:
        text = template.read_text()
        for app in ("screening:", "referrals:", "strategy_meetings:"):
            assert app not in text, f"{template.name} names {app}"


@pytest.fixture
def registry_kept() -> Iterator[None]:
    """The registry's items as they were before the test, whatever it registered."""
    before = dict(navigation.registry.items)
    yield
    navigation.registry.items = before


@pytest.fixture
def extra_item(registry_kept) -> None:
    navigation.register(
        navigation.NavItem(
            label="Things waiting",
            url_name="account",  # a page with no item of its own
            order=15,
            shows_for=lambda officer: officer.is_cse_lead,
            count=lambda officer: 3,
        )
    )


def test_a_registered_item_shows_in_its_order_with_its_count_to_whom_it_is_for(
    extra_item, lead_client, owner_client
):
    assert menu(lead_client)[2] == ("Things waiting 3", reverse("account"))
    assert "Things waiting 3" not in labels(owner_client)


def test_registering_an_item_again_replaces_it(extra_item, world):
    navigation.register(
        navigation.NavItem(label="Things waiting now", url_name="account", order=15)
    )
    shown = [item.label for item in navigation.registry.items_for(world.owner)]
    assert shown.count("Things waiting now") == 1
    assert "Things waiting" not in shown


# --- The officer's statement is compiled once and asked afresh at every request ------------


@pytest.fixture
def counted_item(registry_kept) -> dict[str, int]:
    """An item whose predicate and count say how often they are asked to build their
    querysets; it shows while an agency whose name begins "Zeta" exists, and counts them."""
    calls = {"shows": 0, "count": 0}

    def shows(officer):
        calls["shows"] += 1
        return Agency.objects.filter(name__startswith="Zeta")

    def count(officer):
        calls["count"] += 1
        return Agency.objects.filter(name__startswith="Zeta")

    navigation.register(
        navigation.NavItem(label="Zeta", url_name="account", order=15, shows_for=shows, count=count)
    )
    return calls


def shown(officer: Officer) -> dict[str, int | None]:
    return {item.label: item.count for item in navigation.registry.items_for(officer)}


def test_an_officers_navigation_is_built_once_and_asked_in_one_statement(
    counted_item, world, django_assert_num_queries
):
    officer = Officer.objects.select_related("agency").get(pk=world.lead.pk)
    first = shown(officer)
    assert counted_item == {"shows": 1, "count": 1}
    with django_assert_num_queries(1):  # the one statement, compiled before
        again = shown(officer)
    assert again == first
    assert counted_item == {"shows": 1, "count": 1}  # no queryset built again
    # Another request's object for the same officer: the same statement.
    shown(Officer.objects.select_related("agency").get(pk=world.lead.pk))
    assert counted_item == {"shows": 1, "count": 1}


def test_the_answers_are_fresh_at_every_request(counted_item, world):
    assert "Zeta" not in shown(world.lead)
    AgencyFactory(name="Zeta Youth Trust")
    assert shown(world.lead)["Zeta"] == 1  # the kept statement, asked now
    AgencyFactory(name="Zeta Family Service")
    assert shown(world.lead)["Zeta"] == 2
    assert counted_item["shows"] == 1


def test_a_change_to_the_officer_or_their_agency_is_shown_at_once(counted_item, world):
    lead = Officer.objects.select_related("agency").get(pk=world.lead.pk)
    assert "Screenings awaiting advice" in shown(lead)
    lead.is_cse_lead = False
    lead.save()
    assert "Screenings awaiting advice" not in shown(lead)
    assert counted_item["shows"] == 2  # prepared again for the officer as now
    # Moved to children's social care: its referrals tray shows, "Referrals we sent" not.
    lead.agency = world.csc
    lead.save()
    moved = shown(Officer.objects.select_related("agency").get(pk=world.lead.pk))
    assert "Referrals" in moved and "Referrals we sent" not in moved
    assert counted_item["shows"] == 3
    # A change to the agency itself (here its kind) is a change to the officer's navigation.
    world.csc.kind = world.school.kind
    world.csc.save()
    after = shown(Officer.objects.select_related("agency").get(pk=world.lead.pk))
    assert "Referrals we sent" in after and "Referrals" not in after
    assert counted_item["shows"] == 4


def test_registering_an_item_prepares_every_navigation_again(counted_item, world):
    shown(world.lead)
    navigation.register(navigation.NavItem(label="Things waiting", url_name="account", order=15))
    assert "Things waiting" in shown(world.lead)
    assert "Zeta" not in shown(world.lead)


def test_a_predicate_that_reads_rows_itself_is_asked_at_every_request(registry_kept, world):
    """Not kept: its answer was read in Python, when the statement was prepared."""
    navigation.register(
        navigation.NavItem(
            label="Zeta",
            url_name="account",
            order=15,
            shows_for=lambda officer: Agency.objects.filter(name="Zeta Youth Trust").exists(),
        )
    )
    assert "Zeta" not in shown(world.lead)
    AgencyFactory(name="Zeta Youth Trust")
    assert "Zeta" in shown(world.lead)


def test_a_count_as_of_a_moment_is_prepared_again_at_every_request(registry_kept, world):
    """Not kept: a date or time among its parameters would be the first request's."""
    calls = []

    def joined_before_now(officer):
        calls.append(1)
        return Officer.objects.filter(date_joined__lte=timezone.now())

    navigation.register(
        navigation.NavItem(label="Zeta", url_name="account", order=15, count=joined_before_now)
    )
    first = shown(world.lead)["Zeta"]
    OfficerFactory(username="newcomer", agency=world.owner.agency)
    assert shown(world.lead)["Zeta"] == first + 1
    assert len(calls) == 2
