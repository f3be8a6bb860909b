"""The CSE1 writing pages on a phone (375 px wide), on the demo data: nothing wider than the
screen, empty or with its error summary."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from cse_portal.models import Child, Officer
from referrals.models import Referral, ReferralIndicator
from screening.models import Indicator
from screening.selectors import current_catalogue
from tests import demo_data
from tests.e2e.helpers import sign_in
from tests.factories import TEST_PASSWORD
from tests.screening.factories import ensure_catalogue

pytestmark = pytest.mark.e2e

WIDTH = 375


@pytest.fixture
def demo_draft(transactional_db: None) -> Referral:
    ensure_catalogue()  # an earlier transactional test may have flushed the migration's rows
    demo_data.load()  # as load_demo does (tests/demo_data.py)
    referral = Referral.objects.get(status="draft", child__first_name="Ellie")
    # As though it had come from a screening: the indicators with the longest wording, and a
    # long note, in the check page's table.
    indicators = sorted(
        Indicator.objects.filter(version=current_catalogue()).select_related("heading"),
        key=lambda i: -len(i.text),
    )[:3]
    for position, indicator in enumerate(indicators, start=1):
        ReferralIndicator.objects.create(
            referral=referral,
            position=position,
            code=indicator.code,
            heading=f"{indicator.heading.letter} — {indicator.heading.title}",
            text=indicator.text,
            kind=indicator.kind,
            kind_label=indicator.get_kind_display(),
            note="Seen at https://example.org/a-very-long-address-that-does-not-break-anywhere",
        )
    referrer = Officer.objects.get(username="school.practitioner")
    referrer.set_password(TEST_PASSWORD)
    referrer.save()
    return referral


def _fits(page: Page, what: str) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    if width > WIDTH:
        wide = page.evaluate(
            """(limit) => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > limit + 1)
                .slice(0, 5).map(e => e.tagName + '.' + e.className)""",
            WIDTH,
        )
        pytest.fail(f"{what} is {width} px wide at {WIDTH} px: {wide}")


def test_the_writing_pages_fit_a_phone_screen(page: Page, live_server, demo_draft):
    referrer = Officer.objects.get(username="school.practitioner")
    sign_in(page, live_server, referrer)
    page.set_viewport_size({"width": WIDTH, "height": 800})
    link = demo_draft.person_links.first()
    place_free_child = Child.objects.filter(first_name="Zain").first()
    kwargs = {"child_pk": demo_draft.child_id, "pk": demo_draft.pk}
    pages = {
        "start": reverse("referrals:start", kwargs={"child_pk": place_free_child.pk}),
        "unidentified": reverse("referrals:start_unidentified"),
        "details": reverse("referrals:edit", kwargs=kwargs),
        "persons": reverse("referrals:persons", kwargs=kwargs),
        "person": reverse("referrals:person_edit", kwargs={**kwargs, "link_pk": link.pk}),
        "remove person": reverse("referrals:person_remove", kwargs={**kwargs, "link_pk": link.pk}),
        "places": reverse("referrals:places", kwargs=kwargs),
        "referral": demo_draft.get_absolute_url(),
        "check and send": reverse("referrals:submit", kwargs=kwargs),
    }
    for name, path in pages.items():
        page.goto(f"{live_server.url}{path}")
        _fits(page, name)
        button = page.locator("main form[method=post] [type=submit]").first
        if name not in {"referral", "check and send", "remove person"} and button.count():
            # With its error summary and every error message.
            page.locator(
                "main form[method=post] textarea, main form[method=post] input[type=text]"
            ).evaluate_all("(fields) => fields.forEach(f => { f.value = '' })")
            button.click()
            expect(page.locator(".govuk-error-summary")).to_be_visible()
            _fits(page, f"{name} (with errors)")
