"""The screening pages in a real browser on a phone-sized screen (375 px wide): nothing
overflows sideways, no tag breaks inside a word, axe-core finds nothing, and the error
summary's links move focus (issue 7)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from screening.models import Answer, Conclusion, Screening
from tests.e2e.helpers import assert_accessible, confirmed_device, sign_in
from tests.screening.factories import make_screening

pytestmark = pytest.mark.e2e

NARROW = {"width": 375, "height": 740}

# Words of a GOV.UK tag that the browser laid out on more than one line.
BROKEN_WORDS = """() => {
  const broken = [];
  for (const tag of document.querySelectorAll(".govuk-tag")) {
    const walker = document.createTreeWalker(tag, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.data.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        if (lines.size > 1) broken.push(match[0]);
      }
    }
  }
  return broken;
}"""


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def check_narrow(page: Page) -> None:
    """The page fits 375 px, its tags keep their words whole, and axe-core passes."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= NARROW["width"], f"{page.url} is {width} px wide at {NARROW['width']} px"
    assert page.evaluate(BROKEN_WORDS) == [], f"a tag breaks inside a word on {page.url}"
    assert_accessible(page)


def test_screening_pages_fit_a_phone_and_the_error_summary_moves_focus(
    page: Page, live_server, world, catalogue
) -> None:
    page.set_viewport_size(NARROW)
    confirmed_device(world.owner)
    sign_in(page, live_server, world.owner)
    submitted = make_screening(
        child=world.child,
        by=world.owner,
        present=("E-01",),
        submit=True,
        conclusion=Conclusion.DISCUSS,
    )
    page.goto(f"{live_server.url}{world.child.get_absolute_url()}")
    page.get_by_role("link", name="Screen this child").click()
    expect(heading(page)).to_have_text("Screen this child: SAFEGUARD indicators")
    check_narrow(page)
    page.get_by_role("button", name="Start screening").click()

    expect(heading(page)).to_have_text("SAFEGUARD screening")
    check_narrow(page)
    page.get_by_role("link", name="S — Sexual health and behaviour").click()
    expect(heading(page)).to_have_text("S — Sexual health and behaviour")
    check_narrow(page)
    page.get_by_role("button", name="Save and come back later").click()
    draft = Screening.objects.get(child=world.child, status=Screening.Status.DRAFT)

    # Check answers with nothing answered: the error links to the first Change link.
    page.goto(f"{live_server.url}{draft.get_absolute_url()}submit/")
    expect(heading(page)).to_have_text("Check your answers and record your conclusion")
    check_narrow(page)
    page.get_by_label(Conclusion.DISCUSS.label, exact=True).check()
    page.get_by_role("button", name="Submit screening").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("37 indicators have no answer")
    check_narrow(page)
    summary.get_by_role("link", name=re.compile("37 indicators have no answer")).click()
    expect(page.locator("#change-s_01")).to_be_focused(timeout=1_000)

    for path in (submitted.get_absolute_url(), "/screenings/drafts/"):
        page.goto(f"{live_server.url}{path}")
        check_narrow(page)


@pytest.mark.guidance("G40")
def test_no_concern_despite_unknowns_asks_who_will_find_out_and_its_errors_take_focus(
    page: Page, live_server, world, catalogue
) -> None:
    page.set_viewport_size(NARROW)
    confirmed_device(world.owner)
    sign_in(page, live_server, world.owner)
    screening = make_screening(child=world.child, by=world.owner)
    screening.answers.filter(indicator__code__in=["R-01", "R-02"]).update(answer=Answer.NOT_KNOWN)
    page.goto(f"{live_server.url}{screening.get_absolute_url()}submit/")

    tool = page.locator(".govuk-summary-card").filter(
        has=page.get_by_role("heading", name="The tool suggests")
    )
    expect(tool.locator(".govuk-tag")).to_have_text("Not enough information")
    expect(tool).to_contain_text("2 indicators are not known.")
    who = page.get_by_label("Who will find out what is not known?")
    expect(
        page.get_by_role("group", name="If you conclude there is no CSE concern")
    ).to_contain_text("2 indicators are not known.")
    page.get_by_label(Conclusion.NO_CONCERN.label, exact=True).check()
    check_narrow(page)
    page.get_by_role("button", name="Submit screening").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter who will find out what is not known")
    check_narrow(page)
    summary.get_by_role("link", name=re.compile("Enter who will find out")).click()
    expect(who).to_be_focused(timeout=1_000)
    summary.get_by_role("link", name=re.compile("Enter the date")).click()
    expect(page.locator("#id_follow_up_due_0")).to_be_focused(timeout=1_000)

    due = timezone.localdate() + timedelta(days=5)
    who.fill("Sam Patel, school nurse")
    page.locator("#id_follow_up_due_0").fill(str(due.day))
    page.locator("#id_follow_up_due_1").fill(str(due.month))
    page.locator("#id_follow_up_due_2").fill(str(due.year))
    page.get_by_label("Your reasons").fill("The gifts are the only unknown; the family explained.")
    page.get_by_role("button", name="Submit screening").click()

    expect(page.locator(".govuk-panel__title")).to_have_text("Screening submitted")
    expect(page.get_by_role("heading", name="What happens next")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Sam Patel, school nurse will find out")
    check_narrow(page)
