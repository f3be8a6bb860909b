"""The whole pathway in a real browser, on the real demo data, as the people in it would walk
it: a school practitioner screens a child, the tool suggests "potential victim" next to the
practitioner's own conclusion, the practitioner refers via CSE1 with the screening's
indicators carried over and sends it; a social worker in children's social care finds it in
the work tray with its decision due time, acknowledges it and records the decision; the
school sees both. axe-core runs on every page; any console error or CSP violation fails."""

from __future__ import annotations

import os
import re

import pytest
from django.utils import dateformat, timezone
from playwright.sync_api import Locator, Page, expect

from cse_portal.management.commands.load_demo import DEFAULT_DEMO_PASSWORD
from cse_portal.models import Child, Officer
from cse_portal.working_days import decision_due
from referrals.models import Outcome, Referral
from screening.models import Answer, Conclusion, Screening
from screening.rules import SUGGESTION_PROMPTS, Suggestion
from screening.selectors import current_catalogue
from tests import demo_data
from tests.e2e import helpers
from tests.e2e.helpers import assert_accessible, sign_in
from tests.screening.factories import ensure_catalogue

# The tray's menu item, with its count of referrals awaiting an answer ("Referrals 2").
REFERRALS_TRAY = re.compile(r"^Referrals( \d+)?$")

pytestmark = pytest.mark.e2e

CHILD = "Alex Novak"  # a Brookfield Academy pupil with no screening and no referral yet
SIGNS = ("Missing from home or care", "Receipt of gifts from unknown sources")
NOTE = "Reported missing overnight on Friday; came back with a new phone."
ACTION = "Allocated to Daniel Price, who will decide with the team manager today."
RATIONALE = "Missing overnight and unexplained gifts: assess now and plan with the police."


@pytest.fixture
def demo(transactional_db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo data set, loaded as `manage.py load_demo` loads it; the demo officers sign in
    with the demo password."""
    ensure_catalogue()  # an earlier transactional test may have flushed the migration's rows
    demo_data.load()  # as load_demo does (tests/demo_data.py)
    password = os.environ.get("CSE_DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD
    monkeypatch.setattr(helpers, "TEST_PASSWORD", password)


def heading(page: Page) -> Locator:
    return page.get_by_role("heading", level=1)


def success(page: Page) -> Locator:
    return page.get_by_role("alert")


def answer(page: Page, indicator_text: str, label: str) -> None:
    page.get_by_role("group", name=indicator_text, exact=True).get_by_label(
        label, exact=True
    ).check()


def card(page: Page, title: str) -> Locator:
    return page.locator(".govuk-summary-card").filter(
        has=page.get_by_role("heading", name=title, exact=True)
    )


def summary_value(scope: Page | Locator, key: str) -> Locator:
    """The value of the summary-list row whose key is exactly `key`."""
    key_cell = scope.locator(".govuk-summary-list__key").filter(
        has_text=re.compile(f"^{re.escape(key)}$")
    )
    return key_cell.locator("xpath=following-sibling::dd[contains(@class, 'list__value')]")


def screen_with_two_signs(page: Page) -> None:
    """From the start page: start the draft, then on each heading's page (the task list's
    first task, then "Save and continue" from one to the next) the two signs present (one
    with a note), every other indicator not present; then on to the check page."""
    catalogue = current_catalogue()
    indicators = list(catalogue.indicators.order_by("heading__position", "position"))
    by_text = {i.text: i for i in indicators}
    assert all(by_text[text].kind == "sign" for text in SIGNS)
    page.get_by_role("button", name="Start screening").click()

    # The task list (issue 7): the nine headings, none started yet.
    expect(heading(page)).to_have_text("SAFEGUARD screening")
    expect(page.locator("#progress")).to_have_text("You have completed 0 of 9 sections.")
    tasks = page.locator(".govuk-task-list").first.locator(".govuk-task-list__item")
    expect(tasks).to_have_count(9)
    expect(tasks.locator(".govuk-task-list__status")).to_have_text(["Not yet started"] * 9)
    assert_accessible(page)
    headings = list(catalogue.headings.order_by("position"))
    page.get_by_role("link", name=f"{headings[0].letter} — {headings[0].title}").click()

    for position, section in enumerate(headings, start=1):
        expect(heading(page)).to_have_text(f"{section.letter} — {section.title}")
        expect(page.locator(".govuk-caption-l")).to_contain_text(f"Section {position} of 9")
        for indicator in (i for i in indicators if i.heading_id == section.pk):
            answer(page, indicator.text, "Present" if indicator.text in SIGNS else "Not present")
            if indicator.text == SIGNS[0]:
                page.get_by_label(f"Note on “{SIGNS[0]}” (optional)").fill(NOTE)
        assert_accessible(page)
        page.get_by_role("button", name="Save and continue").click()


@pytest.mark.guidance("G04")
@pytest.mark.guidance("G06")
@pytest.mark.guidance("G07")
@pytest.mark.guidance("G09")
@pytest.mark.guidance("G40")
def test_a_school_screens_refers_and_sees_the_decision_of_childrens_social_care(
    page: Page, persona_page, live_server, demo
) -> None:
    practitioner = Officer.objects.get(username="school.practitioner")
    social_worker = Officer.objects.get(username="csc.social.worker")
    manager = Officer.objects.get(username="csc.manager")
    child = Child.objects.get(first_name="Alex", last_name="Novak")
    assert not Screening.objects.filter(child=child).exists()

    # --- The school practitioner finds the child and screens them ---------------------------
    sign_in(page, live_server, practitioner)
    page.get_by_label("Search by name").fill("Novak")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#result-count")).to_have_text("1 child matches your search.")
    assert_accessible(page)
    page.get_by_role("table").get_by_role("link", name=CHILD, exact=True).click()
    expect(heading(page)).to_have_text(CHILD)
    assert_accessible(page)

    page.get_by_role("link", name="Screen this child").click()
    expect(heading(page)).to_have_text("Screen this child: SAFEGUARD indicators")
    assert_accessible(page)
    screen_with_two_signs(page)

    # The check page: the tool's suggestion (G04), labelled as a suggestion and side by side
    # with the practitioner's own conclusion, which the tool does not choose for them (G40).
    expect(heading(page)).to_have_text("Check your answers and record your conclusion")
    suggestion = card(page, "The tool suggests")
    expect(suggestion.locator(".govuk-tag")).to_have_text("Potential victim of sexual exploitation")
    prompt = SUGGESTION_PROMPTS[Suggestion.POTENTIAL_VICTIM]
    assert "potential victim" in prompt and "assessment and action" in prompt
    expect(suggestion).to_contain_text(prompt)
    expect(suggestion).to_contain_text(
        "Present: 0 vulnerabilities, 2 signs of exploitation, 0 other indicators."
    )
    expect(suggestion).to_contain_text(
        f"This suggestion points to: {Conclusion.DISCUSS.label}, or {Conclusion.REFER.label}."
    )
    own = card(page, "Your conclusion")
    conclusion = own.get_by_role("group", name="What do you conclude?")
    expect(conclusion.get_by_role("radio")).to_have_count(3)
    expect(conclusion.locator("input:checked")).to_have_count(0)
    tool_box, own_box = suggestion.bounding_box(), own.bounding_box()
    assert tool_box and own_box
    assert tool_box["x"] + tool_box["width"] <= own_box["x"], "the cards are not side by side"
    assert abs(tool_box["y"] - own_box["y"]) < 5, "the cards are not side by side"
    for text in SIGNS:
        row = page.locator(".govuk-summary-list__row").filter(has_text=text)
        expect(row.locator(".govuk-tag")).to_have_text("Present")
    expect(page.get_by_text(NOTE)).to_be_visible()
    assert_accessible(page)

    conclusion.get_by_label(Conclusion.REFER.label, exact=True).check()
    own.get_by_role("button", name="Submit screening").click()

    # --- The CSE1 referral starts from the screening, the indicators carried over (G06) -----
    screening = Screening.objects.get(child=child, agency=practitioner.agency)
    assert screening.suggestion == Suggestion.POTENTIAL_VICTIM
    assert screening.conclusion == Conclusion.REFER
    present = screening.answers.filter(answer=Answer.PRESENT)
    assert sorted(present.values_list("indicator__text", flat=True)) == sorted(SIGNS)
    expect(page).to_have_url(
        re.compile(rf"/children/{child.pk}/referrals/start/\?screening={screening.pk}$")
    )
    expect(heading(page)).to_have_text("Make a CSE1 referral to children's social care")
    expect(success(page)).to_contain_text("Your screening has been submitted.")
    carried = page.locator("h2:has-text('Indicators from the screening') + p + ul > li")
    expect(carried).to_have_text(
        [f"A — {SIGNS[0]} ({NOTE})", f"R — {SIGNS[1]}"], use_inner_text=True
    )
    assert_accessible(page)

    page.get_by_label("What is the concern?").fill(
        "Alex was reported missing overnight on Friday and came back with a new phone and "
        "trainers that Alex says were given by someone met in town."
    )
    page.get_by_role("group", name="Do the parents or carers know about the concern?").get_by_label(
        "Yes", exact=True
    ).check()
    page.get_by_role("group", name="Does the young person know about this referral?").get_by_label(
        "Yes", exact=True
    ).check()
    page.get_by_label("No, they do not agree").check()
    page.get_by_label("Safeguarding of children and individuals at risk").check()
    page.get_by_label("I have checked the child's looked-after status").check()
    page.get_by_role("button", name="Save and continue").click()

    expect(heading(page)).to_have_text("Persons of concern")
    expect(success(page)).to_contain_text("Your draft referral has been saved.")
    assert_accessible(page)
    page.get_by_label("Full name (if known)").fill("Liam Example")
    page.get_by_label("Approximate age in years (optional)").fill("24")
    page.get_by_label("How is the person connected to the child? (optional)").fill(
        "Gave Alex the phone; waits outside the school gates"
    )
    page.get_by_role("button", name="Save person").click()
    expect(success(page)).to_contain_text("Liam Example has been added.")
    expect(page.locator(".govuk-summary-card")).to_contain_text("Liam Example")
    assert_accessible(page)
    page.get_by_role("link", name="Continue to places of concern").click()

    expect(heading(page)).to_have_text("Places of concern")
    assert_accessible(page)
    page.get_by_label("Name of the place").fill("Northdale shopping centre")
    page.get_by_role("button", name="Add place").click()
    expect(success(page)).to_contain_text("Northdale shopping centre has been added.")
    assert_accessible(page)
    page.get_by_role("link", name="Continue to check the referral").click()

    expect(heading(page)).to_have_text("CSE1 referral to children's social care")
    assert_accessible(page)
    page.get_by_role("link", name="Check and send").click()
    expect(heading(page)).to_have_text("Check your referral before sending it")
    indicator_rows = page.get_by_role("region", name="Indicators from the screening")
    indicator_rows = indicator_rows.locator(".govuk-summary-list__row")
    expect(indicator_rows).to_have_count(2)
    expect(indicator_rows.nth(0)).to_contain_text(SIGNS[0])
    expect(indicator_rows.nth(0)).to_contain_text(NOTE)
    expect(indicator_rows.nth(1)).to_contain_text(SIGNS[1])
    expect(page.locator(".govuk-summary-card")).to_contain_text("Liam Example")
    assert_accessible(page)
    page.get_by_role("button", name="Send referral to children's social care").click()

    expect(success(page)).to_contain_text(
        "Your referral has been sent to Northdale Children's Social Care. They will confirm "
        "in writing that they have received it."
    )
    assert_accessible(page)
    referral = Referral.objects.get(screening=screening)
    assert referral.child_id == child.pk and referral.received_at is not None
    due = decision_due(referral.received_at)
    assert referral.decision_due == due
    due_in_tray = dateformat.format(timezone.localtime(due), "D j M Y H:i")
    due_on_page = dateformat.format(timezone.localtime(due), "l j F Y H:i")
    expect(summary_value(page, "Decision due by")).to_have_text(due_on_page)

    # --- A social worker in children's social care: the work tray, acknowledge, decide ------
    csc = persona_page()
    sign_in(csc, live_server, social_worker)
    csc.get_by_role("navigation", name="Menu").get_by_role("link", name=REFERRALS_TRAY).click()
    expect(heading(csc)).to_have_text("Referrals received")
    awaiting = csc.locator("table[aria-describedby='awaiting'] tbody tr")
    row = awaiting.filter(has_text=referral.reference)
    expect(row).to_have_count(1)
    expect(row.get_by_role("cell").nth(0)).to_contain_text(CHILD)
    expect(row.get_by_role("cell").nth(0)).to_contain_text("from Brookfield Academy")
    # The acknowledgement and the decision fall due together (G07, G08).
    assert referral.acknowledgement_due == due
    expect(row.get_by_role("cell").nth(2)).to_have_text(due_in_tray)
    expect(row.get_by_role("cell").nth(3)).to_have_text(due_in_tray)
    expect(row.get_by_role("cell").nth(4)).to_contain_text("Sent, awaiting acknowledgement")
    assert_accessible(csc)
    row.get_by_role("link", name=CHILD).click()

    expect(heading(csc)).to_have_text("CSE1 referral to children's social care")
    expect(summary_value(csc, "Decision due by")).to_have_text(due_on_page)
    expect(csc.get_by_role("region", name="Indicators from the screening")).to_contain_text(
        SIGNS[1]
    )
    assert_accessible(csc)
    csc.get_by_role("link", name="Acknowledge the referral").click()

    expect(heading(csc)).to_have_text("Acknowledge the referral")
    confirmation = csc.get_by_label("Confirmation to the referrer")
    expect(confirmation).to_have_value(
        f"We have received your CSE1 referral {referral.reference} about {CHILD}."
    )
    assert_accessible(csc)
    csc.get_by_label("What action is being taken").fill(ACTION)
    csc.get_by_role("button", name="Send acknowledgement to the referrer").click()
    expect(success(csc)).to_contain_text("The acknowledgement has been sent to the referrer.")
    assert_accessible(csc)

    csc.get_by_role("link", name="Record the decision").click()
    expect(heading(csc)).to_have_text("Record the decision")
    assert_accessible(csc)
    decision = csc.get_by_role("group", name="Decision", exact=True)
    expect(decision.get_by_role("radio")).to_have_count(3)  # exactly the guidance's three (G09)
    # The referral names Liam Example: CSC judges whether the concern about him is
    # sufficiently well evidenced (G10), as the social worker who decides.
    csc.get_by_role(
        "group",
        name="Is the concern about an identified person of concern sufficiently well evidenced?",
    ).get_by_label("Yes").check()
    expect(csc.get_by_label("Who judged the evidence").locator("option:checked")).to_have_text(
        str(social_worker)
    )
    decision.get_by_label(Outcome.INITIAL_ASSESSMENT.label, exact=True).check()
    csc.get_by_label("Reasons for the decision").fill(RATIONALE)
    decided_by = csc.get_by_label("Social worker who made the decision")
    expect(decided_by.locator("option:checked")).to_have_text(str(social_worker))
    csc.get_by_label("Team manager who approved the decision").select_option(label=str(manager))
    csc.get_by_role("button", name="Record decision").click()
    expect(success(csc)).to_contain_text("The decision has been recorded. The referrer can see it.")
    expect(summary_value(csc, "Decision")).to_have_text(Outcome.INITIAL_ASSESSMENT.label)
    assert_accessible(csc)

    # --- The school practitioner sees the acknowledgement and the decision ------------------
    page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="Referrals we sent", exact=True
    ).click()
    expect(heading(page)).to_have_text("Referrals we sent")
    sent = page.get_by_role("row").filter(has_text=referral.reference)
    expect(sent).to_contain_text("Decided")
    expect(sent).to_contain_text(Outcome.INITIAL_ASSESSMENT.label)
    assert_accessible(page)
    sent.get_by_role("link", name=CHILD).click()

    expect(heading(page)).to_have_text("CSE1 referral to children's social care")
    acknowledgement = page.locator("#acknowledgement + dl")
    expect(summary_value(acknowledgement, "Confirmation")).to_have_text(
        f"We have received your CSE1 referral {referral.reference} about {CHILD}."
    )
    expect(summary_value(acknowledgement, "Action being taken")).to_have_text(ACTION)
    expect(summary_value(acknowledgement, "Sent")).to_contain_text(
        f"by {social_worker} (Northdale Children's Social Care)"
    )
    decided = page.locator("#decision + dl")
    expect(summary_value(decided, "Decision")).to_have_text(Outcome.INITIAL_ASSESSMENT.label)
    expect(summary_value(decided, "Reasons")).to_have_text(RATIONALE)
    expect(summary_value(decided, "Decided by")).to_have_text(
        f"{social_worker}, approved by {manager} (team manager)"
    )
    # The social worker recorded the team manager's approval: the record says so (issue 7).
    expect(summary_value(decided, "Approval")).to_have_text(
        f"Approved verbally by {manager}; recorded by {social_worker}"
    )
    assert_accessible(page)

    # The screening now leads to the referral it started, not to a new one (issue 7).
    page.goto(f"{live_server.url}{screening.get_absolute_url()}")
    expect(page.locator("#referral")).to_contain_text(f"Referral {referral.reference}: decided")
    expect(page.get_by_role("link", name="Continue to the CSE1 referral")).to_have_count(0)
    assert_accessible(page)
