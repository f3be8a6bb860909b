"""Children's social care's response pages: the acknowledgement (G07), the decision (G09) and
informing the team manager and the IRO (G11)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cse_portal import services as core
from referrals.models import Referral
from tests.conftest import sign_in
from tests.factories import OfficerFactory
from tests.referrals.conftest import make_draft, send
from tests.referrals.pages import L, R, text, url


@pytest.mark.guidance("G07")
def test_csc_acknowledges_and_the_referrer_sees_the_acknowledgement(
    csc_client, owner_client, world, sent
):
    page = csc_client.get(url("acknowledge", sent))
    assert page.status_code == 200
    response = csc_client.post(
        url("acknowledge", sent),
        {
            "message": "We have received your referral.",
            "action_being_taken": "Allocated to Sofia Worker for a decision today.",
        },
    )
    assert response.status_code == 302
    seen = text(owner_client.get(url("detail", sent)))
    assert "We have received your referral." in seen
    assert "Allocated to Sofia Worker for a decision today." in seen
    assert "Sofia Worker" in seen
    assert "Acknowledged, awaiting decision" in text(owner_client.get(reverse("referrals:sent")))


@pytest.mark.guidance("G09")
def test_csc_records_exactly_one_decision_and_the_referrer_sees_it(
    csc_client, owner_client, world, acknowledged
):
    sent = acknowledged
    missing = csc_client.post(url("decide", sent), {"rationale": "Because."})
    assert missing.status_code == 200
    assert "Select the decision" in text(missing)
    assert "Because." in text(missing)
    two = csc_client.post(
        url("decide", sent),
        {
            "outcome": ["emergency_action", "early_help"],
            "rationale": "x",
            "decided_by": world.csc_officer.pk,
            "approved_by": world.team_manager.pk,
        },
    )
    assert two.status_code == 200
    assert "Select only one decision" in text(two)
    assert not Referral.objects.filter(pk=sent.pk, decision__isnull=False).exists()
    response = csc_client.post(
        url("decide", sent),
        {
            "outcome": "initial_assessment",
            "rationale": "Needs an initial assessment.",
            "decided_by": world.csc_officer.pk,
            "approved_by": world.team_manager.pk,
        },
    )
    assert response.status_code == 302
    sent = Referral.objects.get(pk=sent.pk)
    assert sent.decision.outcome == "initial_assessment"
    seen = text(owner_client.get(url("detail", sent)))
    assert "Initial assessment, then a strategy discussion" in seen
    assert "approved by Tom Manager" in seen
    again = csc_client.get(url("decide", sent))
    assert again.status_code == 302


def test_the_decision_form_offers_only_the_three_decisions(csc_client, sent):
    page = csc_client.get(url("decide", sent)).content.decode()
    values = set(re.findall(r'name="outcome"[^>]*value="([^"]+)"', page)) | set(
        re.findall(r'value="([^"]+)"[^>]*name="outcome"', page)
    )
    assert values == {"emergency_action", "initial_assessment", "early_help"}


@pytest.mark.guidance("G38")
def test_a_decisions_wording_is_flagged_to_the_social_worker_after_saving(
    csc_client, world, acknowledged
):
    sent = acknowledged
    response = csc_client.post(
        url("decide", sent),
        {
            "outcome": "early_help",
            "rationale": "She is streetwise and the sex was consensual.",
            "decided_by": world.csc_officer.pk,
            "approved_by": world.team_manager.pk,
        },
        follow=True,
    )
    assert sent.decision.rationale.startswith("She is streetwise")
    assert f"You wrote {L}streetwise{R}" in text(response)
    assert f"You wrote {L}consensual{R}" in text(response)
    assert "You wrote" not in text(csc_client.get(url("detail", sent)))


def test_the_referrer_cannot_acknowledge_or_decide(owner_client, sent):
    for name in ["acknowledge", "decide", "inform"]:
        assert owner_client.get(url(name, sent)).status_code == 403


def test_csc_of_another_area_involved_by_share_cannot_respond(world, sent):
    core.child_share(child=world.child, agency=world.south_csc, by=world.owner, reason="Moved")

    south = sign_in(Client(), OfficerFactory(agency=world.south_csc, role="social_worker"))
    assert south.get(url("detail", sent)).status_code == 200
    assert south.get(url("acknowledge", sent)).status_code == 403
    assert south.get(reverse("referrals:tray")).status_code == 200
    assert sent.reference not in text(south.get(reverse("referrals:tray")))


@pytest.mark.guidance("G11")
def test_the_looked_after_task_is_outstanding_until_recorded(
    csc_client, owner_client, world, looked_after_child, iro
):
    referral = send(make_draft(by=world.owner, child=looked_after_child), world.owner)
    page = text(csc_client.get(url("detail", referral)))
    assert "Outstanding" in page and "Record who was informed" in page
    assert "Inform team manager and IRO" in text(csc_client.get(reverse("referrals:tray")))
    form = csc_client.get(url("inform", referral))
    assert "Ira Reviewer" in text(form)
    bad = csc_client.post(
        url("inform", referral),
        {
            "team_manager": world.team_manager.pk,
            "informed_time": "25:99",
            "method": "phone",
        },
    )
    assert bad.status_code == 200
    assert "Enter the date they were informed" in text(bad)
    assert "Select the independent reviewing officer" in text(bad)
    now = timezone.localtime()
    response = csc_client.post(
        url("inform", referral),
        {
            "team_manager": world.team_manager.pk,
            "iro": iro.pk,
            "informed_on_0": now.day,
            "informed_on_1": now.month,
            "informed_on_2": now.year,
            "informed_time": now.strftime("%H:%M"),
            "method": "phone",
            "bring_lac_review_forward": "yes",
            "combine_with_strategy_meeting": "yes",
            "detail": "Agreed to discuss bringing the LAC review forward.",
        },
    )
    assert response.status_code == 302, text(response)
    page = text(owner_client.get(url("detail", referral)))
    assert "Outstanding" not in page
    assert "Ira Reviewer" in page


def test_informing_is_only_for_a_looked_after_child(csc_client, sent):
    assert csc_client.get(url("inform", sent)).status_code == 404
