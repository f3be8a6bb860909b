"""Action plans made through the real services, for the plan's tests (and the demo's): an
action, the review date, every attendee signed up, and a meeting taken all the way to final
minutes with its plan (builds on tests/strategy_meetings/factories.py)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from cse_portal.models import Officer
from strategy_meetings import services
from strategy_meetings.action_selectors import latest_review_date, plan_of
from strategy_meetings.models import Action, Attendance, Invitation, Meeting
from tests.strategy_meetings import factories


def plan_version(meeting: Meeting) -> int:
    plan = plan_of(meeting)
    return plan.version if plan else 0


def add_action(meeting: Meeting, by: Officer, **answers: Any) -> Action:
    """An action owned by `by` (or as given), due a month after the meeting."""
    values: dict[str, Any] = {
        "what": "Visit the young person at school each week to talk about her safety.",
        "owner_officer": by,
        "due": timezone.localdate(meeting.starts_at) + timedelta(days=30),
        "measure": "Four visits recorded on the child's file.",
        **answers,
    }
    action, _ = services.action_add(
        meeting=meeting, by=by, answers=services.ActionAnswers(**values)
    )
    return action


def set_review(meeting: Meeting, by: Officer, review_date: date | None = None) -> None:
    services.plan_set_review_date(
        meeting=meeting,
        by=by,
        review_date=review_date or latest_review_date(meeting),
        expected_version=plan_version(meeting),
    )


def sign_everyone_up(meeting: Meeting, chair: Officer) -> None:
    """Every attendee signs the current plan: officers themselves, signed in; the chair
    records the agreement of attendees with no portal account."""
    version = plan_version(meeting)
    for invitation in Invitation.objects.filter(
        meeting=meeting, attendance=Attendance.ATTENDED
    ).select_related("officer"):
        if invitation.officer is not None:
            services.plan_sign(
                meeting=meeting, by=invitation.officer, invitation=invitation, plan_version=version
            )
        else:
            services.plan_record_agreement(
                meeting=meeting, by=chair, invitation=invitation, plan_version=version
            )


def agree_plan(meeting: Meeting, chair: Officer, *, owner: Officer | None = None) -> Action:
    """An action, the review date, and everyone who attended signed up."""
    action = add_action(meeting, chair, owner_officer=owner or chair)
    set_review(meeting, chair)
    sign_everyone_up(meeting, chair)
    return action


def finalised_with_plan(meeting: Meeting, chair: Officer, **outcome: Any) -> Meeting:
    """Minutes written, attendance and outcome recorded, the plan agreed, then final."""
    factories.write_every_section(meeting, chair)
    factories.record_everyone_attended(meeting, chair)
    meeting = factories.record_outcome(meeting, chair, plan=False, **outcome)
    agree_plan(meeting, chair)
    meeting.refresh_from_db()
    return services.meeting_finalise(meeting=meeting, by=chair, expected_version=meeting.version)


# --- For tests/security/test_child_url_access.py (tests/security/child_route_kwargs.py) -----


def _world_action(world: Any) -> Action:
    meeting = factories.world_meeting(world)
    return meeting.actions.order_by("id").first() or add_action(meeting, meeting.chair)


def _action_kwargs(world: Any) -> dict[str, Any]:
    action = _world_action(world)
    return {"pk": action.meeting_id, "action_pk": action.pk}


def _attendee_kwargs(world: Any) -> dict[str, Any]:
    meeting = factories.world_meeting(world)
    invitation = meeting.invitations.order_by("id").first()
    assert invitation is not None
    return {"pk": meeting.pk, "invitation_pk": invitation.pk}


PLAN_ROUTE_BUILDERS = {
    **{
        f"strategy_meetings:{name}": factories.meeting_route_kwargs
        for name in [
            "plan",
            "action_add",
            "review_date",
            "plan_sign",
            "review_convene",
            "minutes_pdf",
        ]
    },
    **{
        f"strategy_meetings:{name}": _action_kwargs
        for name in ["action_edit", "action_remove", "action_progress"]
    },
    "strategy_meetings:record_agreement": _attendee_kwargs,
}
