"""The CSE1 form's follow-up questions show only when an answer needs them: why the parents
were not told (under "No"), the lawful basis for sharing (when the young person has not
agreed) and its explanation (under "Another basis"). GOV.UK conditional reveals, run by
GOV.UK Frontend's script; without the script every question shows, and the service still
asks for what is needed."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from referrals.models import Referral
from tests.e2e.helpers import assert_accessible, sign_in
from tests.referrals.forms import read_form
from tests.referrals.pages import DETAILS_POST, hidden


def _start(world) -> str:
    return reverse("referrals:start", kwargs={"child_pk": world.child.pk})


def _reveal_of(content: str, input_id: str) -> str:
    """The markup of the conditional block the radio `input_id` reveals."""
    reader = read_form(content)
    tag, attrs = reader.ids[input_id]
    block_id = attrs.get("data-aria-controls")
    assert tag == "input" and block_id, f"#{input_id} reveals nothing"
    block = re.search(
        rf'<div class="(govuk-radios__conditional[^"]*)" id="{block_id}">(.*?)</div>\s*(?:<div class="govuk-radios__item">|</div>\s*</fieldset>)',
        content,
        re.S,
    )
    assert block, f"no conditional block #{block_id}"
    return block.group(0)


def test_the_follow_ups_are_gov_uk_conditional_reveals(owner_client, world):
    content = owner_client.get(_start(world)).content.decode()
    # "No" (the second answer) reveals the reason; the other answers reveal nothing.
    assert 'id="id_parents_not_informed_reason"' in _reveal_of(content, "id_parents_know_2")
    for other in ("id_parents_know_1", "id_parents_know_3"):
        assert "data-aria-controls" not in str(read_form(content).ids[other][1])
    # "Another basis" (the last) reveals its explanation.
    assert 'id="id_lawful_basis_detail"' in _reveal_of(content, "id_lawful_basis_5")
    assert "govuk-radios__conditional--hidden" in _reveal_of(content, "id_parents_know_2")
    # The lawful basis itself: shown by the page's style sheet when consent is not given.
    assert re.search(r'class="govuk-form-group app-lawful-basis"', content)


def test_an_answer_that_needs_its_follow_up_shows_it_open_when_the_page_comes_back(
    owner_client, world
):
    response = owner_client.post(_start(world), {"parents_know": "no"})
    block = _reveal_of(response.content.decode(), "id_parents_know_2")
    assert "govuk-radios__conditional--hidden" not in block
    # The service still asks for the reason.
    assert "Give the reason the parents or carers have not been told" in block
    assert not Referral.objects.exists()


def test_a_follow_up_that_no_longer_applies_is_not_kept(owner_client, world):
    key = hidden(owner_client.get(_start(world)), "creation_key")
    owner_client.post(
        _start(world),
        {
            **DETAILS_POST,
            "creation_key": key,
            "parents_know": "yes",
            "parents_not_informed_reason": "typed before changing the answer",
            "young_person_consents": "given",
            "lawful_basis": "other",
            "lawful_basis_detail": "typed before changing the answer",
        },
    )
    referral = Referral.objects.get()
    assert referral.parents_not_informed_reason == ""
    assert referral.lawful_basis == "" and referral.lawful_basis_detail == ""


# --- In the browser -----------------------------------------------------------------------


@pytest.mark.e2e
def test_the_follow_ups_appear_with_the_answers_that_need_them(page: Page, live_server, world):
    sign_in(page, live_server, world.owner)
    page.goto(f"{live_server.url}{_start(world)}")
    reason = page.get_by_label("Why have the parents or carers not been told?")
    basis = page.get_by_role(
        "group", name="Lawful basis for sharing without the young person's agreement"
    )
    detail = page.get_by_label("Explain the lawful basis")
    expect(reason).to_be_hidden()
    expect(basis).to_be_hidden()
    expect(detail).to_be_hidden()

    page.locator("#id_parents_know_2").check()  # No
    expect(reason).to_be_visible()
    expect(page.locator("#id_parents_know_2")).to_have_attribute("aria-expanded", "true")
    page.locator("#id_parents_know_1").check()  # Yes
    expect(reason).to_be_hidden()

    page.get_by_label("No, they do not agree").check()
    expect(basis).to_be_visible()
    page.get_by_label("They have not been asked").check()
    expect(basis).to_be_visible()
    page.get_by_label("Another basis (explain below)").check()
    expect(detail).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Yes, they agree to the referral").check()
    expect(basis).to_be_hidden()
    expect(detail).to_be_hidden()


@pytest.mark.e2e
def test_without_javascript_every_follow_up_shows_and_the_rules_still_hold(
    new_context, browser_problems, live_server, world
):
    # Signed in with scripts on (axe-core runs on the sign-in pages), then the same session in
    # a context without them.
    signed_in = browser_problems.watch(new_context())
    sign_in(signed_in.new_page(), live_server, world.owner)
    no_script = new_context(java_script_enabled=False, storage_state=signed_in.storage_state())
    page = browser_problems.watch(no_script).new_page()
    page.goto(f"{live_server.url}{_start(world)}")
    expect(page.get_by_label("Why have the parents or carers not been told?")).to_be_visible()
    expect(page.get_by_label("Explain the lawful basis")).to_be_visible()
    expect(page.locator("#id_lawful_basis_1")).to_be_visible()

    page.get_by_label("What is the concern?").fill("Seen with older men.")
    page.locator("#id_parents_know_2").check()
    page.locator("#id_young_person_knows_1").check()
    page.get_by_label("They have not been asked").check()
    page.get_by_role("button", name="Save and continue").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Give the reason the parents or carers have not been told")
    expect(summary).to_contain_text("Select the lawful basis")
    expect(page.get_by_label("What is the concern?")).to_have_value("Seen with older men.")
    assert not Referral.objects.exists()
