"""What strategy meetings contribute to "Your work" (registered in StrategyMeetingsConfig's
ready()): the actions the officer owns that are overdue or due this week (G22), the meetings
they are invited to that are still to come, and the action plans awaiting their sign-up
(G23). Each is one or two queries whatever the number of children, through the access door.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Exists, F, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone

from cse_portal.access import case_objects_visible_to
from cse_portal.models import Officer
from cse_portal.work import WorkContribution, WorkList, WorkRow, from_queryset, register
from strategy_meetings.action_selectors import open_actions_of, overdue_condition
from strategy_meetings.models import (
    Action,
    Attendance,
    Invitation,
    Meeting,
    SignUp,
)
from strategy_meetings.selectors import meetings_for

DUE_SOON = timedelta(days=7)


def actions_due_for(officer: Officer) -> QuerySet[Action]:
    """Open actions of final plans that the officer owns (`open_actions_of`), overdue or due
    in the next week, overdue first (`overdue_condition`), then by due date. A row names the child and the meeting: those are the relations read
    (the owner is the officer, and "Your actions" reads the rest)."""
    today = timezone.localdate()
    return (
        open_actions_of(officer)
        .filter(due__lte=today + DUE_SOON)
        .select_related("meeting__child")
        .annotate(overdue=overdue_condition(today))
        .order_by(F("overdue").desc(), "due", "id")
    )


def _action_row(action: Action) -> WorkRow:
    what = action.what if len(action.what) <= 90 else action.what[:89] + "…"
    return WorkRow(
        title=what,
        link=reverse(
            "strategy_meetings:plan",
            kwargs={"child_pk": action.meeting.child_id, "pk": action.meeting_id},
        ),
        kind="Action",
        detail=f"{action.meeting.child.display_name}, {action.meeting.reference}",
        due=action.due,
        overdue=bool(getattr(action, "overdue", False)),
    )


def actions(officer: Officer, limit: int) -> WorkList:
    return from_queryset(actions_due_for(officer), limit, _action_row)


def coming_meetings_for(officer: Officer) -> QuerySet[Meeting]:
    """Meetings still to come (from today) that the officer chairs, minutes or is invited to."""
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return (
        meetings_for(officer, started=False)
        .filter(status=Meeting.Status.DRAFT, starts_at__gte=today)
        .order_by("starts_at", "id")
    )


def _meeting_row(meeting: Meeting, officer: Officer) -> WorkRow:
    role = "You chair it" if meeting.chair_id == officer.pk else "You are invited"
    if meeting.minute_taker_id == officer.pk:
        role = "You take the minutes"
    return WorkRow(
        title=meeting.child.display_name,
        link=meeting.get_absolute_url(),
        kind="Strategy meeting",
        detail=f"{meeting.reference}, {timezone.localtime(meeting.starts_at):%-d %B %Y, %H:%M}. "
        f"{role}",
    )


def meetings(officer: Officer, limit: int) -> WorkList:
    return from_queryset(coming_meetings_for(officer), limit, lambda m: _meeting_row(m, officer))


def sign_ups_awaited_from(officer: Officer) -> QuerySet[Invitation]:
    """The officer's attendances of draft meetings whose action plan they have not signed up
    to in its current version (G23), the earliest meeting first."""
    signed_current = SignUp.objects.filter(
        invitation=OuterRef("pk"), plan_version=OuterRef("meeting__plan__version")
    )
    return (
        case_objects_visible_to(
            officer,
            Invitation.objects.filter(
                officer=officer,
                attendance=Attendance.ATTENDED,
                meeting__status=Meeting.Status.DRAFT,
                meeting__plan__isnull=False,
            ),
            "meeting__child",
        )
        .exclude(Exists(signed_current))
        .select_related("meeting", "meeting__child")
        .order_by("meeting__starts_at", "id")
    )


def _sign_up_row(invitation: Invitation) -> WorkRow:
    meeting = invitation.meeting
    return WorkRow(
        title=meeting.child.display_name,
        link=reverse(
            "strategy_meetings:plan", kwargs={"child_pk": meeting.child_id, "pk": meeting.pk}
        ),
        kind="Sign up to the action plan",
        detail=f"{meeting.reference}, held {timezone.localtime(meeting.starts_at):%-d %B %Y}",
    )


def sign_ups(officer: Officer, limit: int) -> WorkList:
    return from_queryset(sign_ups_awaited_from(officer), limit, _sign_up_row)


def register_work() -> None:
    for contribution in (
        WorkContribution(
            key="actions",
            heading="Your actions: overdue or due this week",
            order=30,
            rows=actions,
            empty="None of your actions is overdue or due in the next 7 days.",
            all_url_name="strategy_meetings:your_actions",
            all_label="All your actions",
        ),
        WorkContribution(
            key="meetings",
            heading="Strategy meetings you are invited to",
            order=34,
            rows=meetings,
            empty="You are not invited to a strategy meeting still to come.",
            all_url_name="strategy_meetings:mine",
            all_label="All your meetings",
        ),
        WorkContribution(
            key="sign_ups",
            heading="Action plans awaiting your sign-up",
            order=36,
            rows=sign_ups,
            empty="No action plan is waiting for your sign-up.",
        ),
    ):
        register(contribution)
