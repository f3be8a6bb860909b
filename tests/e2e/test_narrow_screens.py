"""The child pages on a phone (375 px wide), on the demo data: the page never scrolls
sideways (a wide table scrolls inside its own labelled region), and a status tag in a table
is never broken across lines, let alone inside a word."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import Page

from cse_portal.access import children_visible_to
from cse_portal.management.commands.load_demo import DEFAULT_DEMO_PASSWORD
from cse_portal.models import Officer
from tests import demo_data
from tests.e2e import helpers
from tests.e2e.helpers import assert_accessible, sign_in
from tests.screening.factories import ensure_catalogue

pytestmark = pytest.mark.e2e

PHONE = {"width": 375, "height": 812}
SCREENSHOTS = "/tmp"  # noqa: S108 - screenshots for a human to look at, never in the repo

# Tags in table cells whose text takes more than one line box.
BROKEN_TAGS = """() => [...document.querySelectorAll('.govuk-table__cell .govuk-tag')]
  .filter(tag => {
    const style = getComputedStyle(tag);
    return tag.getBoundingClientRect().height > 2 * parseFloat(style.lineHeight);
  })
  .map(tag => tag.textContent.trim())"""


@pytest.fixture
def demo(transactional_db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    ensure_catalogue()  # an earlier transactional test may have flushed the migration's rows
    demo_data.load()  # as load_demo does (tests/demo_data.py)
    password = os.environ.get("CSE_DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD
    monkeypatch.setattr(helpers, "TEST_PASSWORD", password)


def _fits(page: Page, name: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE["width"]:
        page.screenshot(path=f"{SCREENSHOTS}/narrow-{name}.png", full_page=True)
    assert width <= PHONE["width"], f"{page.url} is {width}px wide"
    assert page.evaluate(BROKEN_TAGS) == [], page.url
    assert_accessible(page)


def test_the_list_every_record_and_its_access_history_fit_a_phone(
    page: Page, live_server, demo
) -> None:
    lead = Officer.objects.get(username="csc.lead")  # sees the most records, and their history
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, lead)
    _fits(page, "list")
    for child in children_visible_to(lead).order_by("last_name", "first_name"):
        page.goto(f"{live_server.url}{child.get_absolute_url()}")
        _fits(page, f"record-{child.reference}")
    page.goto(f"{live_server.url}{child.get_absolute_url()}access-history/")
    _fits(page, "audit")
    # The wide tables are scroll regions a keyboard can reach, with a name.
    regions = page.locator(".app-table-scroll[role=region][tabindex='0']")
    assert regions.count() == 2
    assert all(regions.nth(i).get_attribute("aria-label") for i in range(2))
