"""Persons across children in a real browser, on a phone (375 px), with axe-core on every
page: the police pick the person already known on another child's referral, then see the
linked children on the child's record and the person's page (G30, G32)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import assert_accessible, sign_in
from tests.factories import make_child
from tests.referrals.persons.conftest import HIDDEN_FIRST, HIDDEN_SCHOOL
from tests.referrals.persons.factories import draft_for

pytestmark = pytest.mark.e2e

PHONE = {"width": 375, "height": 812}
SHOTS = Path("/tmp/persons")  # noqa: S108 - screenshots for a human to look at, never in the repo


def _fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways ({width}px)"


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.guidance("G30")
def test_police_pick_a_known_person_and_see_the_linked_children(
    page: Page, live_server, world, network
):
    child = make_child(by=world.involved, first_name="Carys", last_name="Third")
    referral = draft_for(child, world.involved)
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, world.involved)
    page.goto(f"{live_server.url}/children/{child.pk}/referrals/{referral.pk}/persons/")
    page.get_by_role("link", name="find a person already known").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Find a person already known")
    page.get_by_label("Name or nickname").fill("vee")
    page.get_by_role("button", name="Search").click()
    assert_accessible(page)
    _fits(page)
    _shot(page, "1-picker")
    page.get_by_label("Marcus Vale, known as Vee, age about 34").check()
    page.get_by_label("How is the person connected to the child? (optional)").fill(
        "Collects Carys from school"
    )
    page.get_by_role("button", name="Add this person to the referral").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Persons of concern")
    expect(page.locator(".govuk-summary-card").first).to_contain_text("Marcus Vale")

    # The child's record: the other children linked to the same person, by name where the
    # police may see them; the child they may not see is told of without who it is.
    page.goto(f"{live_server.url}{child.get_absolute_url()}")
    section = page.locator(".app-person-network")
    expect(section).to_contain_text("Jamie Testchild")
    expect(section).to_contain_text("Bethany Second")
    expect(section).to_contain_text("fewer than five other children")
    expect(section).not_to_contain_text(HIDDEN_FIRST)
    assert HIDDEN_SCHOOL not in page.content()
    assert_accessible(page)
    _fits(page)
    section.scroll_into_view_if_needed()
    _shot(page, "2-record")

    section.get_by_role("link", name="Marcus Vale").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Marcus Vale")
    page.get_by_role("link", name="Record a disruption action").click()
    page.get_by_role("button", name="Record the action").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Child Abduction Warning Notice").check()
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("11")
    page.get_by_label("Year").fill("2026")
    page.get_by_label("Outcome (optional)").fill("Served in person.")
    page.get_by_role("button", name="Record the action").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Marcus Vale")
    expect(page.locator("main")).to_contain_text("Served in person.")
    assert_accessible(page)
    _fits(page)
    _shot(page, "3-person")
