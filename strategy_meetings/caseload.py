"""What strategy meetings add to the lead officer's caseload (G34): the next meeting or
review, and the actions owned by the lead officer's agency that are overdue.

The next meeting is the earliest meeting not yet final from now on; the next review is the
earliest review date of a final plan whose meeting has not been reviewed yet (past dates
included: a review overdue is what the lead officer most needs to see). Each is a subquery
on the child, read in the page's one query.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Least, TruncDate
from django.utils import timezone
from django.utils.dateformat import format as date_format

from cse_portal.caseload import Cell, count_of
from strategy_meetings.action_selectors import with_progress
from strategy_meetings.models import Action, ActionPlan, Meeting

if TYPE_CHECKING:
    from cse_portal.models import Child
    from cse_portal.scope import Scope

LONDON = ZoneInfo("Europe/London")


def next_meeting(scope: Scope) -> dict[str, Any]:
    meeting = Meeting.objects.filter(
        child=OuterRef("pk"), status=Meeting.Status.DRAFT, starts_at__gte=timezone.now()
    ).order_by("starts_at")
    review = ActionPlan.objects.filter(
        meeting__child=OuterRef("pk"),
        meeting__status=Meeting.Status.FINAL,
        meeting__reviews__isnull=True,
        review_date__isnull=False,
    ).order_by("review_date")
    meeting_at = Subquery(meeting.values("starts_at")[:1])
    review_on = Subquery(review.values("review_date")[:1])
    return {
        "next_meeting_at": meeting_at,
        "next_review_on": review_on,
        # The sooner of the two, for sorting (PostgreSQL's LEAST ignores NULLs).
        "next_on": Least(TruncDate(meeting_at, tzinfo=LONDON), review_on),
    }


def next_meeting_cell(child: Child) -> Cell:
    meeting: datetime | None = getattr(child, "next_meeting_at", None)
    review: date | None = getattr(child, "next_review_on", None)
    if meeting is None and review is None:
        return Cell(text="None planned")
    if meeting is not None and (review is None or timezone.localdate(meeting) <= review):
        return Cell(text=date_format(timezone.localtime(meeting), "j M Y"), hint="Meeting")
    assert review is not None
    overdue = review < timezone.localdate()
    return Cell(text=date_format(review, "j M Y"), hint="Review", tag="Overdue" if overdue else "")


def overdue_actions(scope: Scope) -> dict[str, Any]:
    actions = with_progress(
        Action.objects.filter(owner_agency=scope.agency, meeting__status=Meeting.Status.FINAL)
    ).filter(Q(overdue=True))
    return {"actions_overdue": count_of(actions, "meeting__child")}


def overdue_actions_cell(child: Child) -> Cell:
    count = child.actions_overdue  # type: ignore[attr-defined]
    return Cell(text=str(count) if count else "None", tag="Overdue" if count else "")


def register_caseload() -> None:
    from cse_portal import caseload

    caseload.register(
        caseload.CaseloadColumn(
            key="next_meeting",
            label="Next meeting or review",
            order=40,
            annotations=next_meeting,
            cell=next_meeting_cell,
            sort="next_on",
        )
    )
    caseload.register(
        caseload.CaseloadColumn(
            key="overdue_actions",
            label="Our overdue actions",
            order=50,
            annotations=overdue_actions,
            cell=overdue_actions_cell,
            sort="actions_overdue",
        )
    )
