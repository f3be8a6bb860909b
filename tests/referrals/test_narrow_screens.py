"""The referral pages on a phone (375 px wide), on the demo data: the tray, every referral page
and the sent lists never scroll sideways (wide tables scroll inside their own labelled,
focusable region); no status tag breaks inside a word, a tag in a table stays on one line, and
tags side by side or stacked never touch."""

from __future__ import annotations

import os

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from cse_portal.management.commands.load_demo import DEFAULT_DEMO_PASSWORD
from cse_portal.models import Officer
from referrals.models import Referral
from tests import demo_data
from tests.e2e import helpers
from tests.e2e.helpers import assert_accessible, sign_in
from tests.screening.factories import ensure_catalogue

pytestmark = pytest.mark.e2e

PHONE = {"width": 375, "height": 812}
SCREENSHOTS = "/tmp"  # noqa: S108 - screenshots for a human to look at, never in the repo

# Tags with a word broken across two lines, and tags in table cells on more than one line.
BROKEN_TAGS = """() => [...document.querySelectorAll('.govuk-tag')].filter(tag => {
  const text = tag.firstChild;
  if (text && text.nodeType === Node.TEXT_NODE) {
    let at = 0;
    for (const word of text.textContent.split(/(\\s+)/)) {
      if (word.trim()) {
        const range = document.createRange();
        range.setStart(text, at);
        range.setEnd(text, at + word.length);
        if (range.getClientRects().length > 1) return true;
      }
      at += word.length;
    }
  }
  const inCell = tag.closest('.govuk-table__cell');
  const lines = tag.getBoundingClientRect().height / parseFloat(getComputedStyle(tag).lineHeight);
  return inCell !== null && lines > 2;
}).map(tag => tag.textContent.trim())"""

# Pairs of visible tags in the same container whose boxes touch or overlap.
TOUCHING_TAGS = """() => {
  const found = [];
  const tags = [...document.querySelectorAll('.govuk-tag')].filter(t => t.offsetParent);
  for (const a of tags) for (const b of tags) {
    if (a === b || a.parentElement !== b.parentElement || a.compareDocumentPosition(b) & 2) continue;
    const r = a.getBoundingClientRect(), s = b.getBoundingClientRect();
    const apart = r.right + 3 <= s.left || s.right + 3 <= r.left
      || r.bottom + 3 <= s.top || s.bottom + 3 <= r.top;
    if (!apart) found.push(`${a.textContent.trim()} / ${b.textContent.trim()}`);
  }
  return found;
}"""


@pytest.fixture
def demo(transactional_db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    ensure_catalogue()  # an earlier transactional test may have flushed the migration's rows
    demo_data.load()  # as load_demo does (tests/demo_data.py)
    password = os.environ.get("CSE_DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD
    monkeypatch.setattr(helpers, "TEST_PASSWORD", password)


def _fits(page: Page, live_server, path: str) -> None:
    page.goto(f"{live_server.url}{path}")
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE["width"]:
        name = path.strip("/").replace("/", "-")
        page.screenshot(path=f"{SCREENSHOTS}/narrow-{name}.png", full_page=True)
    assert width <= PHONE["width"], f"{page.url} is {width}px wide"
    assert page.evaluate(BROKEN_TAGS) == [], page.url
    assert page.evaluate(TOUCHING_TAGS) == [], page.url
    assert_accessible(page)


def test_the_tray_and_every_referral_page_of_csc_fit_a_phone(page: Page, live_server, demo):
    manager = Officer.objects.get(username="csc.manager")
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, manager)
    _fits(page, live_server, reverse("referrals:tray"))
    referrals = list(Referral.objects.filter(to_agency=manager.agency).order_by("pk"))
    assert len(referrals) >= 8
    for referral in referrals:
        _fits(page, live_server, referral.get_absolute_url())
    # The response forms too: the decision with the acknowledgement, and the notice.
    undecided = next(r for r in referrals if r.decision_or_none is None)
    _fits(page, live_server, f"{undecided.get_absolute_url()}decide/")
    looked_after = next(r for r in referrals if r.needs_looked_after_notice)
    _fits(page, live_server, f"{looked_after.get_absolute_url()}inform/")
    # The wide tables are scroll regions a keyboard can reach, with a name.
    page.goto(f"{live_server.url}{reverse('referrals:tray')}")
    regions = page.locator(".app-table-scroll[role=region][tabindex='0']")
    assert regions.count() == 2
    assert all(regions.nth(i).get_attribute("aria-label") for i in range(2))


@pytest.mark.parametrize("username", ["police.officer", "school.practitioner"])
def test_the_sent_list_and_the_referrers_pages_fit_a_phone(
    page: Page, live_server, demo, username: str
):
    officer = Officer.objects.get(username=username)
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, officer)
    _fits(page, live_server, reverse("referrals:sent"))
    own = Referral.objects.filter(referring_agency=officer.agency).order_by("pk")
    assert own.exists()
    for referral in own:
        _fits(page, live_server, referral.get_absolute_url())
