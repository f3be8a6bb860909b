"""In the browser: every writing form posted empty, and every link of its error summary
followed; focus lands on a field of the form (a radio group's first radio, a date's Day)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from referrals import services
from tests.e2e.helpers import assert_accessible, sign_in
from tests.referrals.pages import url

pytestmark = pytest.mark.e2e

FOCUSED = """() => {
  const e = document.activeElement;
  return e ? {tag: e.tagName.toLowerCase(), id: e.id, type: e.type || ""} : null;
}"""


def _follow_every_link(page: Page, what: str) -> int:
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    assert_accessible(page)
    links = summary.get_by_role("link")
    count = links.count()
    assert count, f"{what}: no links in the error summary"
    for index in range(count):
        link = links.nth(index)
        target = (link.get_attribute("href") or "").removeprefix("#")
        link.click()
        focused = page.evaluate(FOCUSED)
        assert focused and focused["id"] == target, (what, link.inner_text(), focused)
        assert focused["tag"] in {"input", "textarea", "select", "button"}, (what, focused)
        assert focused["type"] != "hidden", (what, focused)
    return count


def test_every_error_link_of_every_writing_form_moves_focus_to_its_field(
    page: Page, live_server, world, draft
):
    link = services.referral_person_add(referral=draft, by=world.owner, data={"full_name": "A"})
    sign_in(page, live_server, world.owner)
    base = live_server.url
    forms = {
        "start": (reverse("referrals:start", kwargs={"child_pk": world.child.pk}), None),
        "details": (url("edit", draft), None),
        "unidentified": (reverse("referrals:start_unidentified"), None),
        "persons": (url("persons", draft), None),
        "person": (url("person_edit", draft, link_pk=link.pk), None),
        "places": (url("places", draft), None),
    }
    for what, (path, _) in forms.items():
        page.goto(f"{base}{path}")
        page.locator(
            "main form[method=post] textarea, main form[method=post] input[type=text]"
        ).evaluate_all("(fields) => fields.forEach(f => { f.value = '' })")
        page.locator("main form[method=post] input[type=radio]:checked").evaluate_all(
            "(radios) => radios.forEach(r => { r.checked = false })"
        )
        page.locator("main form[method=post] [type=submit]").first.click()
        _follow_every_link(page, what)

    # A date with a part missing: the link goes to the part.
    page.goto(f"{base}{url('persons', draft)}")
    page.get_by_label("Full name (if known)").fill("B")
    page.get_by_label("Day").fill("27")
    page.get_by_role("button", name="Save person").click()
    page.get_by_role("link", name="Date of birth must include a month and a year").click()
    expect(page.get_by_label("Month")).to_be_focused()

    # The details page's follow-ups: shown, and focused, when their answer needs them.
    page.goto(f"{base}{url('edit', draft)}")
    page.locator("#id_parents_know_2").check()
    page.get_by_label("No, they do not agree").check()
    page.get_by_label("Another basis (explain below)").check()
    page.get_by_role("button", name="Save and continue").click()
    assert _follow_every_link(page, "details with follow-ups") == 2
    expect(page.get_by_label("Explain the lawful basis")).to_be_visible()
