"""Strategy meetings made through the real services, for tests (and for the URL access tests:
`meeting_route_kwargs` gives the kwargs of a meeting of world.child)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

from django.utils import timezone

from cse_portal import services as core_services
from cse_portal.models import Agency, Child, Involvement, Officer
from strategy_meetings import services
from strategy_meetings.models import Attendance, Invitation, Meeting
from tests.factories import OfficerFactory

DETAILS = services.MeetingDetails(
    place="Room 2, Northdale Civic Centre",
    young_person_invited=True,
    family_invited=False,
    family_not_invited_reason="The young person asked that her mother is not told yet.",
)


def csc_involved(child: Child, csc: Agency, by: Officer) -> None:
    """Children's social care involved with the child (a share), so it can convene."""
    if not Involvement.objects.filter(child=child, agency=csc, ended_at__isnull=True).exists():
        core_services.child_share(child=child, agency=csc, by=by, reason="For a strategy meeting.")


def chair_of(csc: Agency, role: str = Officer.Role.CP_COORDINATOR, **fields: Any) -> Officer:
    existing = Officer.objects.filter(agency=csc, role=role, is_active=True).first()
    if existing is not None and not fields:
        return existing
    return OfficerFactory(agency=csc, role=role, **fields)


def convene(
    *,
    child: Child,
    by: Officer,
    chair: Officer | None = None,
    details: services.MeetingDetails | None = None,
    source: services.Source | None = None,
    held_days_ago: int | None = None,
    **convening: Any,
) -> Meeting:
    """A meeting convened by `by` (an officer of an involved CSC) a week from now, or held
    `held_days_ago` days ago (its actions' due dates then fall in the past)."""
    assert by.agency is not None
    if held_days_ago is not None:
        details = replace(details or DETAILS, starts_at=timezone.now() - timedelta(held_days_ago))
    details = details or replace(DETAILS, starts_at=timezone.now() + timedelta(days=7))
    if details.starts_at is None:
        details = replace(details, starts_at=timezone.now() + timedelta(days=7))
    convening.setdefault("convening_authority", child.home_authority)
    meeting, _ = services.meeting_convene(
        child=child,
        by=by,
        convening=services.Convening(
            details=details, chair=chair or chair_of(by.agency), **convening
        ),
        source=source,
    )
    return meeting


def write_every_section(meeting: Meeting, by: Officer, text: str = "Discussed.") -> None:
    for section in meeting.sections.all():
        services.section_save(section=section, by=by, text_=text, expected_version=section.version)


def record_everyone_attended(meeting: Meeting, by: Officer) -> None:
    answers = [
        services.AttendanceAnswer(i, Attendance.ATTENDED, i.version)
        for i in Invitation.objects.filter(meeting=meeting, status="invited")
    ]
    meeting.refresh_from_db()
    services.meeting_record_attendance(
        meeting=meeting,
        by=by,
        answers=answers,
        family=services.FamilyAttendance(
            young_person_attended=True if meeting.young_person_invited else None,
            family_attended=True if meeting.family_invited else None,
        ),
    )


def record_outcome(meeting: Meeting, by: Officer, *, plan: bool = True, **answers: Any) -> Meeting:
    """The outcome recorded and, unless `plan=False`, the action plan agreed as far as it can
    be (an action, the review date, every attendee so far signed up: G22-G24), so finalising
    asks nothing more of the plan."""
    meeting.refresh_from_db()
    values = {
        "outcome": "child_in_need",
        "parents_will_be_told": True,
        "parents_told_what": "That agencies are worried and what the plan is.",
        "parents_told_by": "Sofia Worker, social worker",
        **answers,
    }
    services.meeting_record_outcome(
        meeting=meeting,
        by=by,
        answers=services.OutcomeAnswers(**values),
        expected_version=meeting.version,
    )
    if plan:
        from tests.strategy_meetings.plan_helpers import agree_plan  # it builds on this module

        agree_plan(meeting, by)
    meeting.refresh_from_db()
    return meeting


def ready_to_finalise(meeting: Meeting, chair: Officer) -> Meeting:
    write_every_section(meeting, chair)
    record_everyone_attended(meeting, chair)
    return record_outcome(meeting, chair)


def finalised(meeting: Meeting, chair: Officer) -> Meeting:
    meeting = ready_to_finalise(meeting, chair)
    return services.meeting_finalise(meeting=meeting, by=chair, expected_version=meeting.version)


def world_meeting(world: Any) -> Meeting:
    """The (first) meeting of world.child, convened if there is none."""
    meeting = Meeting.objects.filter(child=world.child).order_by("id").first()
    if meeting is None:
        csc_involved(world.child, world.csc, world.owner)
        meeting = convene(child=world.child, by=world.csc_officer)
    return meeting


def meeting_route_kwargs(world: Any) -> dict[str, Any]:
    return {"pk": world_meeting(world).pk}


def _invitation_kwargs(world: Any) -> dict[str, Any]:
    meeting = world_meeting(world)
    invitation = meeting.invitations.order_by("id").first()
    assert invitation is not None
    return {"pk": meeting.pk, "invitation_pk": invitation.pk}


ROUTE_BUILDERS = {
    **{
        f"strategy_meetings:{name}": meeting_route_kwargs
        for name in [
            "detail",
            "details",
            "invite",
            "attendance",
            "minutes",
            "outcome",
            "finalise",
            "addendum",
        ]
    },
    "strategy_meetings:section": lambda world: {
        **meeting_route_kwargs(world),
        "key": "needs-and-safety",
    },
    "strategy_meetings:invitation_remove": _invitation_kwargs,
    "strategy_meetings:invitation_decline": _invitation_kwargs,
}
