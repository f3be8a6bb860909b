"""The record's PDF in the browser: the button leads to the export's page, which offers the
download once the PDF is made (the tests run tasks at once), on a desktop and a phone."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import assert_accessible, confirmed_device, sign_in
from tests.pdf_helpers import pdf_text

pytestmark = pytest.mark.e2e
SCREENSHOTS = "/tmp"  # noqa: S108 - screenshots for a human to look at, never in the repo


@pytest.mark.parametrize("width", [1024, 375])
def test_the_record_pdf_is_prepared_then_downloaded(page: Page, live_server, world, width):
    page.set_viewport_size({"width": width, "height": 800})
    confirmed_device(world.owner)
    sign_in(page, live_server, world.owner)
    page.goto(f"{live_server.url}{world.child.get_absolute_url()}")
    page.get_by_role("link", name="Download record (PDF)").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your PDF is ready")
    assert_accessible(page)
    page.screenshot(path=f"{SCREENSHOTS}/pdf-export-ready-{width}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    with page.expect_download() as download:
        page.get_by_role("button", name="Download the PDF").click()
    pdf = Path(download.value.path()).read_bytes()
    assert download.value.suggested_filename == f"{world.child.reference}-record.pdf"
    assert "Jamie Testchild" in pdf_text(pdf)
