"""The lead officers' caseload and themes in Chromium, on the demo data: axe-core clean, no
sideways scrolling at 375 px, the filter's URL holding codes only, the exports downloaded.
Screenshots go to /tmp/caseload/ for a human to look at."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from cse_portal.management.commands.load_demo import DEFAULT_DEMO_PASSWORD
from cse_portal.models import AccessLog, Officer
from tests import demo_data
from tests.e2e import helpers
from tests.e2e.helpers import assert_accessible, sign_in
from tests.screening.factories import ensure_catalogue

pytestmark = [pytest.mark.e2e, pytest.mark.guidance("G34"), pytest.mark.guidance("G35")]

PHONE = {"width": 375, "height": 812}
SCREENSHOTS = Path("/tmp/caseload")  # noqa: S108 - for a human to look at, never in the repo


@pytest.fixture
def demo(transactional_db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    ensure_catalogue()
    demo_data.load()  # as load_demo does (tests/demo_data.py)
    password = os.environ.get("CSE_DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD
    monkeypatch.setattr(helpers, "TEST_PASSWORD", password)


def _shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def _fits_a_phone(page: Page, name: str) -> None:
    page.set_viewport_size(PHONE)
    _shot(page, f"{name}-375")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide"
    assert_accessible(page)


def test_the_police_lead_filters_the_caseload_and_reads_the_themes(
    page: Page, live_server, demo
) -> None:
    lead = Officer.objects.get(username="police.lead")
    sign_in(page, live_server, lead)
    page.get_by_role("link", name="Our caseload").click()
    expect(page.get_by_role("heading", name="Our caseload")).to_be_visible()
    assert_accessible(page)
    _shot(page, "caseload")
    page.get_by_text("Filter and sort").click()
    page.get_by_label("Gender").select_option(label="Boy or young man")
    page.get_by_label("Sort by").select_option(label="Missing (90 days)")
    page.get_by_label("Order").select_option(label="Descending")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator("#caseload-count")).to_contain_text("match the filter")
    assert "gender=male" in page.url and "sort=missing" in page.url
    assert "Tyler" not in page.url and "Ashworth" not in page.url
    expect(page.get_by_role("link", name="Tyler Ashworth")).to_be_visible()
    expect(page.get_by_role("link", name="Keira Dobson")).to_have_count(0)
    assert_accessible(page)
    _fits_a_phone(page, "caseload-filtered")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("link", name="See the themes across these cases").click()
    expect(page.get_by_role("heading", name="Themes across our cases")).to_be_visible()
    expect(page.locator("#theme-gender-table")).to_contain_text("Boy or young man")
    assert page.locator('svg[role="img"]').count() >= 10
    assert_accessible(page)
    _shot(page, "themes")
    _fits_a_phone(page, "themes")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("link", name="See the figures as shared").click()
    expect(page.locator("#shared-view")).to_be_visible()
    expect(page.locator("#theme-safeguard_headings-table")).to_contain_text("fewer than 5")
    assert_accessible(page)
    _shot(page, "themes-shared")

    with page.expect_download() as csv_download:
        page.get_by_role("link", name="Download the figures as CSV").click()
    assert csv_download.value.suggested_filename.endswith(".csv")
    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="Download the figures as PDF").click()
    pdf_path = SCREENSHOTS / "themes.pdf"
    pdf_download.value.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF")
    exports = AccessLog.objects.filter(officer=lead, action=AccessLog.Action.EXPORT)
    assert exports.count() == 2


def test_the_csc_lead_sees_the_authoritys_caseload_on_a_phone(page: Page, live_server, demo):
    lead = Officer.objects.get(username="csc.lead")
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, lead)
    page.goto(f"{live_server.url}/caseload/")
    expect(page.get_by_role("heading", name="Our caseload")).to_be_visible()
    expect(page.locator("#caseload-count")).to_contain_text("children")
    _fits_a_phone(page, "csc-caseload")
