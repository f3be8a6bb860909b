"""The demo referrals load in every state, through the core loader, and only once, each with a
timeline that could have happened."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from cse_portal.working_days import acknowledgement_due, decision_due
from referrals.demo import DEMO_REFERRALS
from referrals.models import Referral


@pytest.mark.django_db
def test_the_demo_has_referrals_in_every_state_and_a_second_run_adds_none(module_demo):
    referrals = list(Referral.objects.all())
    stages = {r.stage for r in referrals}
    assert stages == {
        "Draft",
        "Sent, awaiting acknowledgement",
        "Acknowledged, awaiting decision",
        "Decided",
    }
    assert {r.decision.outcome for r in referrals if r.decision_or_none} == {
        "emergency_action",
        "initial_assessment",
        "early_help",
    }
    assert any(r.overdue for r in referrals)
    assert any(r.meets_strategy_threshold for r in referrals)
    looked_after = [r for r in referrals if r.is_submitted and r.is_about_looked_after_child]
    assert {r.looked_after_notice_or_none is None for r in looked_after} == {True, False}
    assert any(r.indicators.exists() for r in referrals)
    out = io.StringIO()
    call_command("load_demo", "--quiet", stdout=out)
    assert Referral.objects.count() == len(referrals)


@pytest.mark.django_db
@pytest.mark.guidance("G07")
@pytest.mark.guidance("G08")
def test_every_demo_referrals_times_are_in_order_with_due_times_from_the_rule(module_demo):
    assert "skipped the demo referral" not in module_demo
    now = timezone.now()
    referrals = list(
        Referral.objects.select_related("screening").prefetch_related("person_links", "places")
    )
    assert len(referrals) == len(DEMO_REFERRALS)
    for r in referrals:
        # Started after the screening it came from, before it was sent.
        if r.screening is not None:
            assert r.screening.submitted_at < r.created_at, r.reference
        added = [link.linked_at for link in r.person_links.all()]
        added += [place.added_at for place in r.places.all()]
        assert all(r.created_at <= at for at in added), r.reference
        if r.is_draft:
            assert r.created_at <= now
            continue
        assert r.created_at < r.received_at <= now, r.reference
        assert all(at <= r.received_at for at in added), r.reference
        assert r.decision_due == decision_due(r.received_at), r.reference
        assert r.acknowledgement_due == acknowledgement_due(r.received_at), r.reference
        times = [r.received_at]
        if ack := r.acknowledgement_or_none:
            times.append(ack.sent_at)
        if notice := r.looked_after_notice_or_none:
            assert times[-1] < notice.informed_at <= notice.recorded_at <= now, r.reference
        if decision := r.decision_or_none:
            assert ack is not None, r.reference  # a decision comes after the acknowledgement
            times.append(decision.decided_at)
        assert times == sorted(times) and len(set(times)) == len(times), r.reference
        assert times[-1] <= now, r.reference
