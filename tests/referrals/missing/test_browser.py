"""Missing episodes in the browser (G33): on a phone (375 px wide), with the demo data, the
record's section, the list, every episode and each form fit without scrolling sideways and
pass axe; and an officer records an episode, the return and the return interview through the
real forms, meeting the error summary on the way."""

from __future__ import annotations

import os

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from cse_portal.management.commands.load_demo import DEFAULT_DEMO_PASSWORD
from cse_portal.models import Child, Officer
from referrals.models import EpisodeStatus, MissingEpisode
from tests import demo_data
from tests.e2e import helpers
from tests.e2e.helpers import assert_accessible, sign_in
from tests.referrals.test_narrow_screens import BROKEN_TAGS, PHONE, TOUCHING_TAGS
from tests.screening.factories import ensure_catalogue

pytestmark = [pytest.mark.e2e, pytest.mark.guidance("G33")]


@pytest.fixture
def demo(transactional_db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    ensure_catalogue()  # an earlier transactional test may have flushed the migration's rows
    demo_data.load()  # as load_demo does (tests/demo_data.py)
    password = os.environ.get("CSE_DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD
    monkeypatch.setattr(helpers, "TEST_PASSWORD", password)


def _fits(page: Page, live_server, path: str) -> None:
    page.goto(f"{live_server.url}{path}")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide"
    assert page.evaluate(BROKEN_TAGS) == [], page.url
    assert page.evaluate(TOUCHING_TAGS) == [], page.url
    assert_accessible(page)


def _kwargs(episode: MissingEpisode) -> dict[str, object]:
    return {"child_pk": episode.child_id, "pk": episode.pk}


def test_the_missing_pages_fit_a_phone(page: Page, live_server, demo) -> None:
    worker = Officer.objects.get(username="csc.social.worker")  # Jayden's and Caitlin's
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, worker)
    for name in ("Jayden", "Caitlin"):
        child = Child.objects.get(first_name=name)
        _fits(page, live_server, child.get_absolute_url())
        _fits(page, live_server, reverse("referrals:missing_list", kwargs={"child_pk": child.pk}))
        _fits(page, live_server, reverse("referrals:missing_record", kwargs={"child_pk": child.pk}))
    for episode in MissingEpisode.objects.filter(child__first_name__in=["Jayden", "Caitlin"]):
        _fits(page, live_server, episode.get_absolute_url())
        _fits(page, live_server, reverse("referrals:missing_addendum", kwargs=_kwargs(episode)))
    ours = MissingEpisode.objects.filter(child__first_name__in=["Jayden", "Caitlin"])
    still = ours.get(status=EpisodeStatus.MISSING)
    _fits(page, live_server, reverse("referrals:missing_return", kwargs=_kwargs(still)))
    due = ours.get(status=EpisodeStatus.RETURNED)
    _fits(page, live_server, reverse("referrals:missing_interview", kwargs=_kwargs(due)))


def test_an_officer_records_an_episode_its_return_and_the_interview(
    page: Page, live_server, demo
) -> None:
    officer = Officer.objects.get(username="police.officer")
    child = Child.objects.get(first_name="Tyler", last_name="Brennan")
    sign_in(page, live_server, officer)
    page.goto(f"{live_server.url}{child.get_absolute_url()}")
    page.get_by_role("link", name="Record a missing episode").click()
    # Nothing entered: the error summary names each problem, and links to the field.
    page.get_by_role("button", name="Record the missing episode").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the date reported missing")
    expect(summary).to_contain_text("Enter the time reported missing, for example 21:30")
    assert_accessible(page)
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("1")
    page.get_by_label("Year").fill("2026")
    page.get_by_label("Time reported missing").fill("21:30")
    page.get_by_label("Agency that reported it").select_option(label="Northdale Police")
    page.get_by_label("Circumstances").fill("Went out at 18:00 and did not come home.")
    page.get_by_role("button", name="Record the missing episode").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("has been recorded")
    assert_accessible(page)
    page.get_by_role("link", name="Record the return").click()
    page.get_by_label("Day").fill("2")
    page.get_by_label("Month").fill("1")
    page.get_by_label("Year").fill("2026")
    page.get_by_label("Time found or returned").fill("09:10")
    page.get_by_label("Where was the child found?").fill("Northdale bus station")
    page.get_by_role("button", name="Record the return").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("due within 72 hours")
    expect(page.locator("main")).to_contain_text("Overdue")  # 2 January is long past
    page.get_by_role("link", name="Record the return interview").click()
    page.get_by_label("The return interview was held").check()
    page.get_by_label("Day").fill("3")
    page.get_by_label("Month").fill("1")
    page.get_by_label("Year").fill("2026")
    page.get_by_label("Time", exact=True).fill("15:00")
    page.get_by_label("If not listed").fill("Sam Price, independent interviewer")
    page.get_by_label("Summary of the return interview").fill("Tyler said he was at the park.")
    page.get_by_role("button", name="Record the return interview").click()
    expect(page.locator("main")).to_contain_text("this episode is final")
    assert_accessible(page)
    episode = MissingEpisode.objects.filter(child=child).order_by("-created_at").first()
    assert episode is not None and episode.status == EpisodeStatus.CLOSED
    assert episode.interview_recorded_by == officer
