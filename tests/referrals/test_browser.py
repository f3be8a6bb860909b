"""The referral journey in a real browser, with axe-core on every page: a school writes and
sends a CSE1 referral; children's social care acknowledges and decides; the team manager
sees what is overdue; the school sees the response."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.e2e.helpers import assert_accessible, sign_in
from tests.referrals.conftest import make_draft, send

# The tray's menu item, with its count of referrals awaiting an answer ("Referrals 2").
REFERRALS_TRAY = re.compile(r"^Referrals( \d+)?$")

pytestmark = pytest.mark.e2e

EVIDENCE_QUESTION = (
    "Is the concern about an identified person of concern sufficiently well evidenced?"
)


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def test_a_referral_from_writing_to_decision(page: Page, persona_page, live_server, world):
    overdue = send(
        make_draft(by=world.owner, child=world.child),
        world.owner,
        now=timezone.now() - timedelta(days=10),
    )

    # The school practitioner starts from the child's record.
    sign_in(page, live_server, world.owner)
    page.goto(f"{live_server.url}{world.child.get_absolute_url()}")
    page.get_by_role("link", name="Make a CSE1 referral to children's social care").click()
    expect(heading(page)).to_have_text("Make a CSE1 referral to children's social care")
    assert_accessible(page)

    # A mistake first: the error summary, and nothing typed is lost.
    page.get_by_label("What is the concern?").fill("Her boyfriend, 30, acts as her pimp.")
    page.locator("#id_parents_know_2").check()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page.get_by_label("What is the concern?")).to_have_value(
        "Her boyfriend, 30, acts as her pimp."
    )
    assert_accessible(page)
    page.get_by_label("Why have the parents or carers not been told?").fill(
        "Telling them could put her at greater risk."
    )
    page.locator("#id_young_person_knows_1").check()
    page.get_by_label("No, they do not agree").check()
    page.get_by_label("Safeguarding of children and individuals at risk").check()
    page.get_by_role("button", name="Save and continue").click()

    # Persons of concern, with the language prompt from the page before (G38).
    expect(heading(page)).to_have_text("Persons of concern")
    expect(page.locator(".app-language-flags")).to_contain_text("coercer")
    assert_accessible(page)
    page.get_by_label("Full name (if known)").fill("Daniel Example")
    page.get_by_label("Approximate age in years (optional)").fill("30")
    page.get_by_role("button", name="Save person").click()
    expect(page.locator(".govuk-summary-card")).to_contain_text("Daniel Example")
    page.get_by_role("link", name="Continue to places of concern").click()
    expect(heading(page)).to_have_text("Places of concern")
    assert_accessible(page)
    page.get_by_label("Name of the place").fill("Northdale bus station")
    page.get_by_role("button", name="Add place").click()
    page.get_by_role("link", name="Continue to check the referral").click()
    expect(page.get_by_role("link", name="Check and send")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Check and send").click()
    expect(heading(page)).to_have_text("Check your referral before sending it")
    assert_accessible(page)
    page.get_by_role("button", name="Send referral to children's social care").click()
    expect(page.get_by_role("alert")).to_contain_text("Your referral has been sent")
    assert_accessible(page)

    # The team manager's tray: the overdue decision first, with the count (G08).
    manager = persona_page()
    sign_in(manager, live_server, world.team_manager)
    manager.get_by_role("link", name=REFERRALS_TRAY).click()
    expect(heading(manager)).to_have_text("Referrals received")
    expect(manager.get_by_text("1 decision overdue")).to_be_visible()
    rows = manager.locator("table").first.locator("tbody tr")
    expect(rows.first).to_contain_text(overdue.reference)
    expect(rows.first).to_contain_text("Overdue")
    assert_accessible(manager)

    # The social worker acknowledges (G07) and decides (G09).
    rows.nth(1).get_by_role("link").click()
    assert_accessible(manager)
    manager.get_by_role("link", name="Acknowledge the referral").click()
    assert_accessible(manager)
    manager.get_by_label("What action is being taken").fill("Allocated for a decision today.")
    manager.get_by_role("button", name="Send acknowledgement to the referrer").click()
    manager.get_by_role("link", name="Record the decision").click()
    manager.get_by_role("button", name="Record decision").click()
    expect(manager.locator(".govuk-error-summary")).to_contain_text("Select the decision")
    assert_accessible(manager)
    # The referral names an identified person of concern: CSC judges the evidence (G10).
    manager.get_by_role("group", name=EVIDENCE_QUESTION).get_by_label("Yes").check()
    manager.get_by_label("Initial assessment, then a strategy discussion").check()
    manager.get_by_label("Reasons for the decision").fill("Older adult, gifts, missing.")
    manager.get_by_label("Social worker who made the decision").select_option(
        label=str(world.team_manager)
    )
    manager.get_by_label("Team manager who approved the decision").select_option(
        label=str(world.team_manager)
    )
    manager.get_by_role("button", name="Record decision").click()
    expect(manager.get_by_role("alert")).to_contain_text("The decision has been recorded")
    assert_accessible(manager)

    # The school sees both.
    page.get_by_role("link", name="Referrals we sent").click()
    expect(heading(page)).to_have_text("Referrals we sent")
    assert_accessible(page)
    page.get_by_role("row").filter(has_text="Decided").get_by_role("link").click()
    expect(page.locator("#acknowledgement ~ dl").first).to_contain_text("Allocated for a decision")
    expect(page.get_by_text("Initial assessment, then a strategy discussion")).to_be_visible()
    assert_accessible(page)
