"""Naming a person of concern on a CSE2 risk assessment in a real browser, on a phone
(375 px), with axe-core on every page: the police, assessing a child of their own, pick the
person already named on another child's referral (G30), and the finalised assessment shows
them."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from referrals.models import PersonLink
from tests.e2e.helpers import assert_accessible, sign_in
from tests.factories import make_child
from tests.referrals.assessment.records import ensure_tools, make_assessment
from tests.referrals.persons.factories import named_person

pytestmark = pytest.mark.e2e

PHONE = {"width": 375, "height": 812}


def _fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways ({width}px)"
    assert_accessible(page)


@pytest.mark.guidance("G30")
def test_police_name_a_known_person_on_an_assessment_by_picking(
    page: Page, live_server, world
) -> None:
    ensure_tools()
    person = named_person(
        world.child, world.owner, full_name="Marcus Vale", nicknames="Vee", approximate_age=34
    )
    child = make_child(by=world.involved, first_name="Carys", last_name="Third")
    assessment = make_assessment(child=child, by=world.involved)
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, world.involved)
    page.goto(f"{live_server.url}{assessment.get_absolute_url()}")
    page.get_by_role("link", name="Persons of concern").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Persons of concern")
    _fits(page)
    page.get_by_role("link", name="find a person already known").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Find a person already known")
    page.get_by_label("Name or nickname").fill("vee")
    page.get_by_role("button", name="Search").click()
    # The search is a GET: wait for its answer before measuring the page, or the
    # measurement can land between the two documents.
    pick = page.get_by_label("Marcus Vale, known as Vee, age about 34")
    expect(pick).to_be_visible()
    expect(page).to_have_url(re.compile(r"[?&]q=vee"))
    _fits(page)
    pick.check()
    page.get_by_label("How is the person connected to the child? (optional)").fill(
        "Waits for Carys after school"
    )
    page.get_by_role("button", name="Add this person to the assessment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Persons of concern")
    card = page.locator(".govuk-summary-card").first
    expect(card).to_contain_text("Marcus Vale")
    expect(card).to_contain_text("Waits for Carys after school")
    _fits(page)
    link = PersonLink.objects.get(assessment=assessment)
    assert link.person_id == person.pk

    # The child's record: the other child linked to the same person, by name (the police
    # see the school's child, shared with them).
    page.goto(f"{live_server.url}{child.get_absolute_url()}")
    network = page.locator(".app-person-network")
    expect(network).to_contain_text("Marcus Vale")
    expect(network).to_contain_text("Jamie Testchild")

    # Back on the assessment's task list, the person is named.
    page.goto(f"{live_server.url}{assessment.get_absolute_url()}")
    expect(page.locator("#persons-hint")).to_contain_text("Marcus Vale")
