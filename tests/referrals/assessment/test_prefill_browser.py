"""The pre-answered domain page in a real browser on a phone: which answers came from the
referral, the missing-episode prompt beside the missing indicators; axe-core and 375 px."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from referrals import services
from tests.e2e.helpers import confirmed_device, sign_in
from tests.referrals.assessment.records import ensure_tools
from tests.referrals.assessment.test_browser import NARROW, check_narrow
from tests.referrals.assessment.test_prefill import _referral
from tests.referrals.missing.factories import ago, record

pytestmark = pytest.mark.e2e

SCREENSHOTS = "/tmp"  # noqa: S108 - screenshots for a human to look at, never in the repo


@pytest.mark.guidance("G33")
def test_the_page_says_which_answers_came_from_the_referral(page: Page, live_server, world):
    ensure_tools()
    referral = _referral(world)
    record(world.child, world.owner, reported=ago(days=3))
    assessment = services.assessment_create(child=world.child, by=world.owner, referral=referral)
    page.set_viewport_size(NARROW)
    confirmed_device(world.owner)
    sign_in(page, live_server, world.owner)
    page.goto(f"{live_server.url}{assessment.get_absolute_url()}")
    expect(page.get_by_text("To check: from the referral").first).to_be_visible()
    check_narrow(page)
    url = reverse(
        "referrals:assessment_answers", kwargs={"child_pk": world.child.pk, "pk": assessment.pk}
    )
    page.goto(f"{live_server.url}{url}?domain=sera_low")
    expect(page.get_by_text("Missing from home or care (check it")).to_be_visible()
    expect(page.get_by_text("1 missing episode recorded in the last 90 days")).to_be_visible()
    expect(page.locator("#id_answer_l_03_1")).to_be_checked()
    check_narrow(page)
    page.screenshot(path=f"{SCREENSHOTS}/cse-assessment-prefill.png", full_page=True)
