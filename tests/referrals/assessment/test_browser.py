"""A risk assessment in a real browser on a phone-sized screen: from a referral to a judged
level (the error summary's link moving focus on the way), then a reassessment, and the chart
of the judged levels on the child's record (G13, G16, G40). Every page fits 375 px and passes
axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from referrals import services
from referrals.models import RiskAssessment
from tests.e2e.helpers import assert_accessible, confirmed_device, sign_in
from tests.referrals.assessment.records import all_answers, ensure_tools

pytestmark = pytest.mark.e2e

NARROW = {"width": 375, "height": 740}


def check_narrow(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= NARROW["width"], f"{page.url} is {width} px wide at {NARROW['width']} px"
    assert_accessible(page)


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def _answer_the_rest(assessment: RiskAssessment, by, present: dict[str, str]) -> None:
    """The domains the test does not walk, answered through the service (as other pages
    would): every indicator not present but those given."""
    assessment.refresh_from_db()
    services.assessment_save_answers(
        assessment=assessment,
        by=by,
        answers=all_answers(assessment, present),
        expected_version=assessment.version,
    )


def _judge(page: Page, level: str, reason: str = "") -> None:
    page.get_by_label(level, exact=True).check()
    if reason:
        page.get_by_label("Your reasons").fill(reason)
    page.get_by_role("button", name="Finalise the assessment").click()


@pytest.mark.guidance("G13")
@pytest.mark.guidance("G16")
@pytest.mark.guidance("G40")
def test_an_assessment_from_a_referral_then_a_reassessment_charted_on_the_record(
    page: Page, live_server, world, sent
) -> None:
    ensure_tools()
    page.set_viewport_size(NARROW)
    confirmed_device(world.owner)
    sign_in(page, live_server, world.owner)
    record = f"{live_server.url}{world.child.get_absolute_url()}"
    page.goto(record)
    page.get_by_role("link", name="Start a risk assessment").click()
    expect(heading(page)).to_have_text("Start a CSE2 risk assessment")
    check_narrow(page)
    page.get_by_label(f"Referral {sent.reference} from Brookfield Academy", exact=False).check()
    page.get_by_role("button", name="Start the assessment").click()

    expect(heading(page)).to_have_text("CSE2 risk assessment")
    expect(page.get_by_text(f"From referral {sent.reference}")).to_be_visible()
    check_narrow(page)
    page.get_by_role("link", name="High risk signals").click()
    expect(heading(page)).to_have_text("High risk signals")
    check_narrow(page)
    for n in range(1, 6):
        page.locator(f"#id_answer_h_0{n}_2").check()  # not present
    page.locator("#id_answer_h_02_1").check()  # contact with known perpetrators: present
    page.locator("#id_recency_h_02_1").check()  # current
    page.get_by_label("Note on “Contact with known perpetrators” (optional)").fill(
        "Seen with the adult named in the referral."
    )
    page.get_by_role("button", name="Save and continue").click()
    expect(heading(page)).to_have_text("Health")
    first = RiskAssessment.objects.get(child=world.child)
    assert first.referral == sent
    assert first.answers.get(indicator__code="H-02").recency == "current"

    _answer_the_rest(first, world.owner, {"H-02": "current"})
    page.goto(f"{live_server.url}{first.get_absolute_url()}")
    page.get_by_role("link", name="Check your answers and record the level you judge").click()
    expect(heading(page)).to_have_text("Check your answers and record the level you judge")
    suggestion = page.locator("#suggestion")
    expect(suggestion).to_contain_text("High risk")
    expect(suggestion).to_contain_text("(a suggestion)")
    expect(suggestion).to_contain_text("Contact with known perpetrators")
    check_narrow(page)
    _judge(page, "Medium risk")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Give the reason the level you judge differs")
    check_narrow(page)
    summary.get_by_role("link", name="Give the reason the level you judge differs").click()
    expect(page.get_by_label("Your reasons")).to_be_focused()
    _judge(page, "Medium risk", "The contact was once, a year ago; she has not seen him since.")
    expect(page.locator(".govuk-panel")).to_contain_text("Judged level: Medium risk")
    expect(page.locator("#judgement")).to_contain_text("The contact was once, a year ago")
    check_narrow(page)

    page.goto(record)
    page.get_by_role("link", name="Start a reassessment").click()
    expect(heading(page)).to_have_text("Start a reassessment")
    page.get_by_label("No, not from a referral").check()
    page.get_by_role("button", name="Start the assessment").click()
    expect(heading(page)).to_have_text("CSE2 risk assessment")
    second = RiskAssessment.objects.get(child=world.child, status="draft")
    assert second.previous == first
    _answer_the_rest(second, world.owner, {"L-04": "current"})
    page.reload()
    page.get_by_role("link", name="Check your answers and record the level you judge").click()
    expect(page.locator("#suggestion")).to_contain_text("Low risk")
    _judge(page, "Low risk")
    expect(page.locator(".govuk-panel")).to_contain_text("Judged level: Low risk")

    page.goto(record)
    chart = page.get_by_role("img", name="Judged level of risk over time")
    expect(chart).to_be_visible()
    table = page.locator("#assessment-levels")
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table).to_contain_text("Medium risk")
    expect(table).to_contain_text("Low risk")
    expect(page.locator("#next-assessment-due")).to_contain_text("Next assessment due by")
    check_narrow(page)
