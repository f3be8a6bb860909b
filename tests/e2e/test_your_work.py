""" "Your work" of each demo persona in Chromium: something in it and something overdue, axe
clean, no sideways scrolling at 375 px; the notifications page and the account page too.
Screenshots for a human to look at go to /tmp/yourwork/ (never into the repository)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from cse_portal.management.commands.load_demo import DEFAULT_DEMO_PASSWORD
from cse_portal.models import Officer
from tests import demo_data
from tests.e2e import helpers
from tests.e2e.helpers import assert_accessible, sign_in
from tests.screening.factories import ensure_catalogue

pytestmark = pytest.mark.e2e

PHONE = {"width": 375, "height": 812}
SCREENSHOTS = Path("/tmp/yourwork")  # noqa: S108 - for a human to look at, never in the repo
PERSONAS = [
    "csc.social.worker",
    "csc.manager",
    "police.officer",
    "school.lead",
    "school.practitioner",
    "health.practitioner",
    "youth.worker",
    "southmere.csc.lead",
    "housing.lead",
]


@pytest.fixture
def demo(transactional_db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    ensure_catalogue()  # an earlier transactional test may have flushed the migration's rows
    demo_data.load()  # as load_demo does (tests/demo_data.py)
    password = os.environ.get("CSE_DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD
    monkeypatch.setattr(helpers, "TEST_PASSWORD", password)
    SCREENSHOTS.mkdir(exist_ok=True)


def _fits(page: Page, name: str) -> None:
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide"
    assert_accessible(page)


@pytest.mark.parametrize("username", PERSONAS)
def test_each_persona_s_home_page_has_work_and_something_overdue(
    page: Page, live_server, demo, username: str
) -> None:
    officer = Officer.objects.get(username=username)
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, officer)
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your work")
    expect(page.locator(".app-work__item").first).to_be_visible()
    expect(page.locator(".app-work__item .govuk-tag--red").first).to_have_text("Overdue")
    _fits(page, f"home-{username}")


def test_notifications_and_the_account_page_on_a_phone(page: Page, live_server, demo) -> None:
    officer = Officer.objects.get(username="police.officer")  # told of CSC's responses
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, officer)
    page.goto(f"{live_server.url}/notifications/")  # the menu is folded on a phone
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    new = page.locator(".app-work__item .govuk-tag--blue")
    before = new.count()
    assert before > 0
    _fits(page, "notifications")
    page.get_by_role("button", name="Mark as read").first.click()
    expect(new).to_have_count(before - 1)
    page.get_by_role("button", name="Mark all as read").click()
    expect(new).to_have_count(0)
    page.get_by_role("link", name="Your account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    _fits(page, "account")
    page.get_by_label("No").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("Your e-mail preference has been saved.")
