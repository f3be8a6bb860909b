"""The demo's action plans: a meeting awaiting sign-up, a review due, one overdue action."""

from __future__ import annotations

import pytest
from django.utils import timezone

from strategy_meetings import services
from strategy_meetings.action_selectors import actions_of, plan_view
from strategy_meetings.models import ActionStatus, Meeting


@pytest.mark.django_db
def test_the_demo_has_a_meeting_awaiting_sign_up_a_review_due_and_an_overdue_action(module_demo):
    assert "skipped the demo meeting" not in module_demo

    niamh = Meeting.objects.get(child__first_name="Niamh")
    assert niamh.is_draft
    problems = services.finalise_problems(niamh)
    assert list(problems.values()) == ["Jordan Ellis has not yet signed up to the action plan"]
    assert len(plan_view(niamh).not_signed) == 1

    mason = Meeting.objects.get(child__first_name="Mason")
    plan = plan_view(mason)
    assert mason.is_final and plan.all_signed and plan.digest is not None
    assert plan.review_date is not None and plan.review_date > timezone.localdate()
    statuses = {a.owner_officer.username: (a.current_status, a.overdue) for a in actions_of(mason)}
    assert statuses["school.lead"] == (ActionStatus.NOT_STARTED, True)
    assert statuses["csc.social.worker"] == (ActionStatus.DONE, False)
    assert statuses["health.practitioner"] == (ActionStatus.NOT_STARTED, False)
