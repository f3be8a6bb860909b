"""Places and vehicles across children in a real browser, on a phone (375 px), with axe-core:
the police see the other child with the same place and vehicle by name, and the hidden one
told of without who it is (G30)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import assert_accessible, sign_in
from tests.referrals.persons.conftest import HIDDEN_FIRST, HIDDEN_SCHOOL

pytestmark = pytest.mark.e2e

PHONE = {"width": 375, "height": 812}
SHOTS = Path("/tmp/places")  # noqa: S108 - screenshots for a human to look at, never in the repo


@pytest.mark.guidance("G30")
def test_police_see_the_places_and_vehicles_section_on_a_phone(
    page: Page,
    live_server,
    world,
    recurring,
):
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, world.involved)
    page.goto(f"{live_server.url}{world.child.get_absolute_url()}")
    section = page.locator("#places-and-vehicles ~ .app-recurring")
    expect(section.first).to_contain_text("The Arches")
    expect(section.first).to_contain_text("Bethany Second")
    expect(section.nth(1)).to_contain_text("AB12CDE")
    expect(section.first).to_contain_text("fewer than five other children")
    body = page.content()
    assert HIDDEN_FIRST not in body and HIDDEN_SCHOOL not in body
    assert_accessible(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the record scrolls sideways ({width}px)"
    SHOTS.mkdir(parents=True, exist_ok=True)
    box = page.locator("#places-and-vehicles").bounding_box()
    assert box is not None
    clip = {"x": 0, "y": box["y"] - 10, "width": PHONE["width"], "height": 900}
    page.screenshot(path=str(SHOTS / "record-places.png"), full_page=True, clip=clip)
