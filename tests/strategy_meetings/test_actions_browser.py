"""The action plan in a real browser, with axe-core on every page: children's social care
convenes, the chair invites the police and writes the minutes; the chair adds an action (a
mistake first: the error summary, nothing lost) and the review date; the chair and the police
officer each sign up, signed in as themselves; the chair finalises and downloads the minutes'
PDF, read back with pdftotext (OFFICIAL-SENSITIVE on every page, the digest); the police
officer records the action's progress from "Your actions". Then the plan pages of the demo
data on a phone (375 px): no sideways scroll."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from cse_portal.models import Officer
from strategy_meetings.action_selectors import latest_review_date
from strategy_meetings.models import ActionUpdate, FinalisedDigest, Meeting, SignUp
from tests.e2e.helpers import assert_accessible, sign_in
from tests.pdf_helpers import page_texts
from tests.strategy_meetings.test_browser import (
    PHONE,
    _convene,
    _fits,
    _write_minutes,
    demo,  # noqa: F401 -- the demo data fixture
    heading,
)

pytestmark = [pytest.mark.e2e, pytest.mark.guidance("G23")]


def _invite_the_police(page: Page, world) -> None:
    page.get_by_role("link", name="Invite someone").click()
    page.get_by_label("Which agency are you inviting?").select_option(str(world.police.pk))
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Who are you inviting?").select_option(str(world.involved.pk))
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("alert")).to_contain_text("has been invited")


def _fill_date(page: Page, day) -> None:
    page.get_by_label("Day").fill(str(day.day))
    page.get_by_label("Month").fill(str(day.month))
    page.get_by_label("Year").fill(str(day.year))


def _add_action(page: Page, world, meeting: Meeting) -> None:
    page.get_by_role("link", name="Add an action").click()
    expect(heading(page)).to_have_text("Add an action to the plan")
    assert_accessible(page)
    # A mistake first: no measure of done.
    page.get_by_label("What will be done?").fill("Find out who drives the cars seen with Jamie.")
    page.get_by_label("Who owns the action?").select_option(str(world.involved.pk))
    _fill_date(page, timezone.localdate(meeting.starts_at) + timedelta(days=14))
    page.get_by_role("button", name="Save the action").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter how we will know the action is done"
    )
    expect(page.get_by_label("What will be done?")).to_have_value(
        "Find out who drives the cars seen with Jamie."
    )
    assert_accessible(page)
    page.get_by_label("How will we know it is done?").fill("The drivers identified, or why not.")
    page.get_by_role("button", name="Save the action").click()
    expect(page.get_by_role("alert")).to_contain_text("The action has been added to the plan")
    assert_accessible(page)


def _set_review(page: Page, meeting: Meeting) -> None:
    page.get_by_role("link", name="Set the review date").click()
    expect(heading(page)).to_have_text("When is the review meeting?")
    assert_accessible(page)
    _fill_date(page, latest_review_date(meeting))
    page.get_by_role("button", name="Save the review date").click()
    expect(page.get_by_role("alert")).to_contain_text("The date of the review meeting")


def _sign_up(page: Page) -> None:
    page.get_by_role("link", name="Read and sign up to the action plan").click()
    expect(heading(page)).to_have_text("Sign up to the action plan")
    assert_accessible(page)
    page.get_by_role("button", name="I agree to this action plan").click()
    expect(page.get_by_role("alert")).to_contain_text("sign-up to the action plan is recorded")
    assert_accessible(page)


def _download_and_read_back(page: Page, meeting: Meeting, tmp_path: Path) -> None:
    """The final minutes' PDF from the plan page, read back with pdftotext (G27)."""
    page.get_by_role("link", name="Action plan and sign-up").click()
    assert_accessible(page)
    page.get_by_role("link", name="Download the minutes and plan (PDF)").click()
    # The PDF is made in the background (at once in tests); its page offers the download.
    expect(page.get_by_role("heading", level=1)).to_have_text("Your PDF is ready")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the PDF").click()
    saved = tmp_path / "minutes.pdf"
    download.value.save_as(saved)
    digest = FinalisedDigest.objects.get(meeting=meeting).sha256
    pages = page_texts(saved.read_bytes())
    for number, text in enumerate(pages, start=1):
        assert text.count("OFFICIAL-SENSITIVE") >= 2
        assert f"Page {number} of {len(pages)}" in text
        assert f"SHA-256 {digest}" in text
    whole = " ".join(pages)
    assert "Find out who drives the cars seen with Jamie." in whole
    assert "Ivan Involved" in whole and "Signed up, signed in" in whole


def test_two_attendees_sign_up_the_minutes_are_final_and_the_pdf_reads_back(
    page: Page, persona_page, live_server, involved_csc, chair, tmp_path: Path
):
    world = involved_csc
    sign_in(page, live_server, world.csc_officer)
    _convene(page, live_server, world, chair)
    meeting = Meeting.objects.get()

    chair_page = persona_page()
    sign_in(chair_page, live_server, chair)
    chair_page.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    _invite_the_police(chair_page, world)
    _write_minutes(chair_page, meeting)

    chair_page.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    chair_page.get_by_role("link", name="Action plan and sign-up").click()
    expect(heading(chair_page)).to_have_text("SMART action plan")
    assert_accessible(chair_page)
    _add_action(chair_page, world, meeting)
    _set_review(chair_page, meeting)
    expect(chair_page.locator("#sign-up-list")).to_contain_text("Not yet signed up")
    _sign_up(chair_page)

    police_page = persona_page()
    sign_in(police_page, live_server, world.involved)
    police_page.get_by_role("link", name="Your actions").click()
    expect(heading(police_page)).to_have_text("Your actions")
    expect(police_page.get_by_text("Plan not final yet")).to_be_visible()
    assert_accessible(police_page)
    police_page.get_by_role("link", name=meeting.reference, exact=False).first.click()
    _sign_up(police_page)
    assert set(SignUp.objects.values_list("signed_by", flat=True)) == {chair.pk, world.involved.pk}

    chair_page.reload()
    expect(chair_page.locator("#sign-up-list")).not_to_contain_text("Not yet signed up")
    chair_page.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    chair_page.get_by_role("link", name="Finalise the minutes").click()
    assert_accessible(chair_page)
    chair_page.get_by_role("button", name="Finalise the minutes").click()
    expect(chair_page.get_by_role("alert")).to_contain_text("The minutes are final")

    _download_and_read_back(chair_page, meeting, tmp_path)

    # After finalising, the owner records progress: a row of its own (G26).
    police_page.get_by_role("link", name="Your actions").click()
    police_page.get_by_role("link", name="Record progress").click()
    assert_accessible(police_page)
    police_page.get_by_label("In progress").check()
    police_page.get_by_label("What has happened?").fill("Two of the cars traced.")
    police_page.get_by_role("button", name="Record progress").click()
    expect(police_page.get_by_role("alert")).to_contain_text("progress has been recorded")
    assert ActionUpdate.objects.get().by == world.involved


@pytest.mark.guidance("G22")
def test_every_plan_page_of_the_demo_fits_a_phone(
    page: Page,
    persona_page,
    live_server,
    demo,  # noqa: F811 -- the fixture imported above
):
    chair = Officer.objects.get(username="cp.coordinator")
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, chair)
    for first_name in ("Mason", "Niamh"):
        meeting = Meeting.objects.get(child__first_name=first_name)
        kwargs = {"child_pk": meeting.child_id, "pk": meeting.pk}
        action = meeting.actions.order_by("id").first()
        assert action is not None
        names = ["plan"] + (["action_add", "review_date", "plan_sign"] if meeting.is_draft else [])
        for name in names:
            _fits(page, live_server, reverse(f"strategy_meetings:{name}", kwargs=kwargs))
        detail = "action_edit" if meeting.is_draft else "action_progress"
        _fits(
            page,
            live_server,
            reverse(f"strategy_meetings:{detail}", kwargs={**kwargs, "action_pk": action.pk}),
        )
    owner_page = persona_page()
    owner_page.set_viewport_size(PHONE)
    sign_in(owner_page, live_server, Officer.objects.get(username="school.lead"))
    _fits(owner_page, live_server, reverse("strategy_meetings:your_actions"))
    expect(owner_page.get_by_text("Overdue")).to_be_visible()
