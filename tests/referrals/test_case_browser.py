"""Children's social care closes a child's case in a real browser, on a phone-sized screen:
the error summary first, then the closure; the next assessment's due date disappears from the
child's record (G16); reopened, it is due three months on. Every page fits 375 px and passes axe-core."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from cse_portal import services
from referrals.assessment_selectors import add_months
from tests.e2e.helpers import assert_accessible, confirmed_device, sign_in
from tests.referrals.assessment.records import make_assessment

pytestmark = pytest.mark.e2e

NARROW = {"width": 375, "height": 740}


def _check(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= NARROW["width"], f"{page.url} is {width} px wide at {NARROW['width']} px"
    assert_accessible(page)


@pytest.mark.guidance("G16")
def test_csc_closes_a_case_the_due_date_disappears_and_reopening_restarts_it(
    page: Page, live_server, world
) -> None:
    services.child_share(child=world.child, agency=world.csc, by=world.owner, reason="Referred.")
    make_assessment(
        child=world.child,
        by=world.owner,
        judged="no_signals",
        now=timezone.now() - timedelta(days=100),
    )
    page.set_viewport_size(NARROW)
    confirmed_device(world.csc_officer)
    sign_in(page, live_server, world.csc_officer)
    page.goto(f"{live_server.url}{world.child.get_absolute_url()}")
    expect(page.locator("#next-assessment-due")).to_contain_text("Next assessment due by")
    expect(page.locator("#case-open")).to_contain_text("The case is open")
    page.get_by_role("link", name="Close the case").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Close the case")
    _check(page)
    page.get_by_role("button", name="Close the case").click()  # no reason chosen
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Select why the case is being closed")
    _check(page)
    summary.get_by_role("link", name="Select why the case is being closed").click()
    expect(page.locator("#id_reason_1")).to_be_focused()
    page.get_by_label("Risk reduced: no further action agreed by the strategy meeting").check()
    page.get_by_label("Note (required if you select Other)").fill(
        "Agreed at the strategy meeting with the family and the school."
    )
    page.get_by_role("button", name="Close the case").click()
    expect(page.locator("#case-closed")).to_contain_text("Case closed on")
    due = page.locator("#next-assessment-due")
    expect(due).to_contain_text("No reassessment is due while the case is closed")
    expect(due).not_to_contain_text("Next assessment due by")
    _check(page)

    # Reopened: the three months start again from today.
    page.get_by_role("link", name="Reopen the case").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reopen the case")
    _check(page)
    page.get_by_role("button", name="Reopen the case").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Select why the case is being reopened"
    )
    _check(page)
    page.get_by_label("New information shows the child may be at risk").check()
    page.get_by_role("button", name="Reopen the case").click()
    expect(page.locator("#case-open")).to_contain_text("Reopened on")
    due = add_months(timezone.localdate(), 3)
    expect(page.locator("#next-assessment-due")).to_contain_text(
        f"Next assessment due by {due.day} {due:%B %Y}"
    )
    expect(page.locator("#next-assessment-due")).not_to_contain_text("Overdue")
