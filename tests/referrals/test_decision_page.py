"""The pages of CSC's response after issue 7: the decision form that sends the acknowledgement
too (G07), the evidence question and the reason the referrer sees (G10), the LAC review's
outcome (G11), how the approval was given, one primary button per page, the tray's
acknowledgement column, and the caption."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from referrals import services
from referrals.models import Referral, ReferralAcknowledgement
from tests.conftest import sign_in
from tests.factories import make_child
from tests.referrals.conftest import acknowledge, decide, make_draft, send
from tests.referrals.pages import text, url

DECISION = {
    "outcome": "initial_assessment",
    "rationale": "Needs an initial assessment.",
}


def primary_buttons(page: str) -> list[str]:
    """The labels of the page's primary buttons (links or inputs, not secondary ones)."""
    page = re.sub(r"\s+", " ", page)
    links = re.findall(r'<a [^>]*class="govuk-button"[^>]*>([^<]+)</a>', page)
    inputs = re.findall(r'<input type="submit"[^>]*value="([^"]+)" class="govuk-button"', page)
    return [label.strip() for label in links + inputs]


@pytest.mark.guidance("G07")
def test_the_decision_form_sends_the_acknowledgement_with_the_decision(
    csc_client, owner_client, world, sent
):
    page = text(csc_client.get(url("decide", sent)))
    assert "Send the acknowledgement and record the decision" in page
    assert "Confirmation to the referrer" in page
    post = {
        **DECISION,
        "decided_by": world.csc_officer.pk,
        "approved_by": world.team_manager.pk,
        "message": "We have received your referral.",
        "action_being_taken": "",
    }
    missing = csc_client.post(url("decide", sent), post)
    assert missing.status_code == 200
    assert "Enter the action being taken about the referral" in text(missing)
    assert "Needs an initial assessment." in text(missing)  # nothing typed is lost
    assert not ReferralAcknowledgement.objects.exists()
    done = csc_client.post(
        url("decide", sent), {**post, "action_being_taken": "Initial assessment."}, follow=True
    )
    assert "The acknowledgement has been sent and the decision recorded" in text(done)
    seen = text(owner_client.get(url("detail", sent)))
    assert "We have received your referral." in seen and "Initial assessment." in seen
    assert "Initial assessment, then a strategy discussion" in seen


@pytest.mark.guidance("G07")
def test_an_acknowledged_referrals_decision_form_asks_only_for_the_decision(
    csc_client, acknowledged
):
    page = text(csc_client.get(url("decide", acknowledged)))
    assert "Confirmation to the referrer" not in page
    assert primary_buttons(csc_client.get(url("decide", acknowledged)).content.decode()) == [
        "Record decision"
    ]


def test_a_social_worker_records_the_team_managers_verbal_approval_and_the_page_says_so(
    csc_client, owner_client, world, acknowledged
):
    form = text(csc_client.get(url("decide", acknowledged)))
    assert "Team manager who approved the decision verbally" in form
    csc_client.post(
        url("decide", acknowledged),
        {**DECISION, "decided_by": world.csc_officer.pk, "approved_by": world.team_manager.pk},
    )
    seen = text(owner_client.get(url("detail", acknowledged)))
    assert "Approved verbally by Tom Manager; recorded by Sofia Worker" in seen


def test_a_team_manager_approves_signed_in(manager_client, owner_client, world, acknowledged):
    form = text(manager_client.get(url("decide", acknowledged)))
    assert "Select yourself to approve it now, signed in" in form
    manager_client.post(
        url("decide", acknowledged),
        {**DECISION, "decided_by": world.csc_officer.pk, "approved_by": world.team_manager.pk},
    )
    assert "Approved by Tom Manager, signed in" in text(
        owner_client.get(url("detail", acknowledged))
    )


@pytest.mark.guidance("G10")
def test_the_evidence_question_and_a_reason_the_referrer_sees(
    csc_client, owner_client, world, draft
):
    assert "sufficiently well evidenced" not in text(
        csc_client.get(
            url(
                "decide",
                acknowledge(
                    send(make_draft(by=world.owner, child=make_child(by=world.owner)), world.owner),
                    world.csc_officer,
                ),
            )
        )
    )
    services.referral_person_add(
        referral=draft, by=world.owner, data={"full_name": "Daniel Example"}
    )
    referral = acknowledge(send(draft, world.owner), world.csc_officer)
    page = text(csc_client.get(url("decide", referral)))
    assert (
        "Is the concern about an identified person of concern sufficiently well evidenced?" in page
    )
    assert "why is the threshold for children's social care not met?" in page
    post = {
        "outcome": "early_help",
        "rationale": "Early help with the family.",
        "person_well_evidenced": "yes",
        "evidence_judged_by": world.team_manager.pk,
        "decided_by": world.csc_officer.pk,
        "approved_by": world.team_manager.pk,
    }
    refused = csc_client.post(url("decide", referral), post)
    assert "Enter why the threshold for children&#x27;s social care is not met" in text(refused)
    assert 'href="#id_threshold_not_met_reason"' in text(refused)
    csc_client.post(
        url("decide", referral),
        {**post, "threshold_not_met_reason": "The police lead; the family accepts help."},
    )
    seen = text(owner_client.get(url("detail", referral)))
    assert "Why the threshold is not met" in seen
    assert "The police lead; the family accepts help." in seen
    assert "Yes, judged by Tom Manager" in seen
    assert "Meets strategy meeting threshold" in seen


@pytest.mark.guidance("G11")
def test_the_referral_page_shows_the_outcome_of_the_discussion_about_the_lac_review(
    csc_client, owner_client, world, looked_after_child, iro
):
    referral = send(make_draft(by=world.owner, child=looked_after_child), world.owner)
    form = text(csc_client.get(url("inform", referral)))
    assert "agree to bring the LAC review forward?" in form
    assert "combined with the strategy meeting?" in form
    now = timezone.localtime()
    post = {
        "team_manager": world.team_manager.pk,
        "iro": iro.pk,
        "informed_on_0": now.day,
        "informed_on_1": now.month,
        "informed_on_2": now.year,
        "informed_time": now.strftime("%H:%M"),
        "method": "phone",
        "bring_lac_review_forward": "yes",
    }
    refused = text(csc_client.post(url("inform", referral), post))
    assert "Select whether the LAC review will be combined with the strategy meeting" in refused
    assert 'href="#id_combine_with_strategy_meeting_1"' in refused
    csc_client.post(url("inform", referral), {**post, "combine_with_strategy_meeting": "no"})
    seen = text(owner_client.get(url("detail", referral)))
    assert "The LAC review will be brought forward, separate from the strategy meeting" in seen


def test_the_csc_referral_page_has_one_primary_button_the_next_step(
    csc_client, world, looked_after_child, iro
):
    referral = send(make_draft(by=world.owner, child=looked_after_child), world.owner)
    page = lambda: csc_client.get(url("detail", referral)).content.decode()  # noqa: E731
    assert primary_buttons(page()) == ["Acknowledge the referral"]
    assert "Record the decision" in page() and "Record who was informed" in page()
    acknowledge(referral, world.csc_officer)
    assert primary_buttons(page()) == ["Record the decision"]
    decide(referral, world, outcome="initial_assessment", rationale="Reasons.")
    assert primary_buttons(page()) == ["Record who was informed"]


@pytest.mark.guidance("G07")
def test_the_tray_shows_the_acknowledgements_due_time_with_its_own_overdue_tag(
    manager_client, world
):
    long_ago = timezone.now() - timedelta(days=10)
    unanswered = send(make_draft(by=world.owner, child=world.child), world.owner, now=long_ago)
    answered = acknowledge(
        send(make_draft(by=world.owner, child=world.child), world.owner, now=long_ago),
        world.csc_officer,
    )
    on_time = send(make_draft(by=world.owner, child=world.child), world.owner)
    page = text(manager_client.get(reverse("referrals:tray")))
    assert "Acknowledgement due by" in page
    assert "1 acknowledgement overdue" in page and "2 decisions overdue" in page
    rows = {
        r.reference: row
        for r in (unanswered, answered, on_time)
        for row in _rows(page)
        if r.reference in row
    }
    assert rows[unanswered.reference].count(">Overdue<") == 2  # acknowledgement and decision
    assert rows[answered.reference].count(">Overdue<") == 1
    assert "Sent " in rows[answered.reference]
    assert ">Overdue<" not in rows[on_time.reference]
    assert page.index(on_time.reference) > max(
        page.index(unanswered.reference), page.index(answered.reference)
    )


def _rows(page: str) -> list[str]:
    return re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", page)


def test_the_caption_names_a_child_not_yet_identified_by_its_reference_once(owner_client, world):
    child = make_child(by=world.owner, is_identified=False, first_name="", description="Girl")
    referral = make_draft(by=world.owner, child=child)
    caption = re.search(
        r'<span class="govuk-caption-l">(.*?)</span>',
        text(owner_client.get(url("detail", referral))),
    )
    assert caption is not None
    assert caption.group(1).count(child.reference) == 1
    named = re.search(
        r'<span class="govuk-caption-l">(.*?)</span>',
        text(owner_client.get(url("detail", make_draft(by=world.owner, child=world.child)))),
    )
    assert named is not None and f"Jamie Testchild ({world.child.reference})" in named.group(1)


def test_the_south_csc_cannot_decide_even_with_an_acknowledgement_in_the_post(world, sent):
    from cse_portal import services as core
    from tests.factories import OfficerFactory

    core.child_share(child=world.child, agency=world.south_csc, by=world.owner, reason="Moved")
    south = sign_in(Client(), OfficerFactory(agency=world.south_csc, role="social_worker"))
    response = south.post(
        url("decide", sent), {**DECISION, "message": "x", "action_being_taken": "y"}
    )
    assert response.status_code == 403
    assert not Referral.objects.filter(pk=sent.pk, acknowledgement__isnull=False).exists()
