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

from cse_portal import navigation
from cse_portal.models import Officer
from tests.conftest import sign_in
from tests.factories import OfficerFactory

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
def extra_item() -> Iterator[None]:
    before = dict(navigation.registry.items)
    navigation.register(
        navigation.NavItem(
            label="Things waiting",
            url_name="account",  # a page with no item of its own
            order=15,
            shows_for=lambda officer: officer.is_cse_lead,
            count=lambda officer: 3,
        )
    )
    yield
    navigation.registry.items = before


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
