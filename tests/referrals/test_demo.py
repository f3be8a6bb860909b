"""The demo referrals load in every state, through the core loader, and only once."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from referrals.models import Referral


@pytest.mark.django_db
def test_the_demo_has_referrals_in_every_state_and_a_second_run_adds_none():
    call_command("load_demo", "--quiet", stdout=io.StringIO())
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
