"""The strategy meetings in the child's whole file (PDF): their section and their chronology
entries (registered with `cse_portal.sections` by `plan_registrations`).

The file holds meetings whose minutes are final (a draft is not part of the child's file),
each with its minutes, plan, sign-ups, addenda and the actions' progress since. Every agency
involved with the child sees the child's meetings (`selectors.meetings_of_child`).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from cse_portal.models import Child, Officer
from cse_portal.sections import ChronologyEntry
from strategy_meetings.models import Action, ActionUpdate, Addendum, Meeting
from strategy_meetings.pdf import minutes_context
from strategy_meetings.selectors import meetings_of_child


def final_meetings(child: Child, officer: Officer) -> QuerySet[Meeting]:
    return (
        meetings_of_child(child, officer)
        .filter(status=Meeting.Status.FINAL)
        .order_by("starts_at", "id")
    )


def pdf_section(child: Child, officer: Officer) -> dict[str, Any]:
    return {"meetings": [minutes_context(meeting) for meeting in final_meetings(child, officer)]}


def _meeting_entries(meeting: Meeting) -> list[ChronologyEntry]:
    assert meeting.finalised_at is not None  # a final meeting is dated (a constraint)
    return [
        ChronologyEntry(
            at=meeting.starts_at,
            kind="Strategy meeting",
            event=f"Strategy meeting {meeting.reference} held",
            summary=f"Outcome: {meeting.get_outcome_display()}",
            by=f"Chair: {meeting.chair}",
            agency=str(meeting.chair.agency or ""),
        ),
        ChronologyEntry(
            at=meeting.finalised_at,
            kind="Strategy meeting",
            event=f"Minutes of {meeting.reference} finalised",
            by=str(meeting.finalised_by or ""),
            agency=str(meeting.finalised_by_agency or ""),
        ),
        *(
            ChronologyEntry(
                at=meeting.starts_at,
                kind="Action",
                event=f"Action agreed, due {action.due:%d %b %Y}",
                summary=action.what,
                by=action.owner_person,
                agency=str(action.owner_agency),
            )
            for action in meeting.actions.all()
        ),
    ]


def chronology(child: Child, officer: Officer) -> list[ChronologyEntry]:
    meetings = list(
        final_meetings(child, officer).prefetch_related(
            Prefetch(
                "actions", queryset=Action.objects.select_related("owner_officer", "owner_agency")
            )
        )
    )
    entries = [entry for meeting in meetings for entry in _meeting_entries(meeting)]
    ids = [meeting.pk for meeting in meetings]
    entries.extend(
        ChronologyEntry(
            at=update.at,
            kind="Action",
            event=f"Action of {update.action.meeting.reference}: {update.get_status_display()}",
            summary=update.note or update.action.what,
            by=str(update.by),
            agency=str(update.by_agency),
        )
        for update in ActionUpdate.objects.filter(action__meeting_id__in=ids).select_related(
            "action__meeting", "by", "by_agency"
        )
    )
    entries.extend(
        ChronologyEntry(
            at=addendum.written_at,
            kind="Strategy meeting",
            event=f"Addendum to the minutes of {addendum.meeting.reference}",
            summary=addendum.text,
            by=str(addendum.written_by),
            agency=str(addendum.written_by_agency),
        )
        for addendum in Addendum.objects.filter(meeting_id__in=ids).select_related(
            "meeting", "written_by", "written_by_agency"
        )
    )
    return entries
