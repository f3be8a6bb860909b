"""The strategy meetings' part of a child's "Who viewed or changed this record"
(cse_portal.history).

Every agency involved with the child sees the child's meetings, so no meeting is hidden
from the history (no access-log rows are left out either). Each entry says in plain English
what happened: convened, an invitation sent, declined or ended, attendance recorded, a
section of the minutes or the outcome saved (from the history rows), finalised, an addendum.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.apps import apps

from cse_portal import history
from cse_portal.access import case_objects_visible_to
from cse_portal.history import HistoryEntry
from strategy_meetings.models import SECTIONS, Meeting

if TYPE_CHECKING:
    from cse_portal.models import Child, Officer


def _meetings(child: Child, officer: Officer) -> dict[int, Meeting]:
    rows = (
        case_objects_visible_to(officer, Meeting.objects.all())
        .filter(child=child)
        .select_related("convened_by", "finalised_by", "chair")
        .prefetch_related("invitations__invited_by", "invitations__ended_by", "addenda__written_by")
    )
    return {m.pk: m for m in rows}


def entries(child: Child, officer: Officer) -> list[HistoryEntry]:
    meetings = _meetings(child, officer)
    if not meetings:
        return []
    found = [e for m in meetings.values() for e in _milestones(m)]
    found += _section_saves(meetings)
    return found


def _milestones(m: Meeting) -> Iterable[HistoryEntry]:
    ref = m.reference
    yield HistoryEntry(
        at=m.convened_at, what=f"Strategy meeting {ref} convened", officer=m.convened_by
    )
    for i in m.invitations.all():
        yield HistoryEntry(
            at=i.invited_at,
            what=f"{i.agency} invited to strategy meeting {ref} ({i.person_display})",
            officer=i.invited_by,
        )
        if i.ended_at is not None:
            yield HistoryEntry(
                at=i.ended_at,
                what=f"Invitation to strategy meeting {ref} {i.get_status_display().lower()} "
                f"({i.person_display}, {i.agency})",
                officer=i.ended_by,
            )
    if m.finalised_at is not None:
        yield HistoryEntry(
            at=m.finalised_at,
            what=f"Minutes of strategy meeting {ref} finalised",
            officer=m.finalised_by,
        )
    for a in m.addenda.all():
        yield HistoryEntry(
            at=a.written_at, what=f"Addendum to strategy meeting {ref}", officer=a.written_by
        )


def _section_saves(meetings: dict[int, Meeting]) -> list[HistoryEntry]:
    """Each save of a section of the minutes, from its history rows."""
    rows: list[dict[str, Any]] = list(
        apps.get_model("strategy_meetings", "MinutesSectionEvent")
        .objects.filter(meeting_id__in=meetings, pgh_label="update")
        .values("pgh_created_at", "meeting_id", "key", "pgh_context__metadata")
    )
    officers = history.officers_by_id(
        history.event_officer_id(r["pgh_context__metadata"]) for r in rows
    )
    return [
        HistoryEntry(
            at=r["pgh_created_at"],
            what=f"Minutes of strategy meeting {meetings[r['meeting_id']].reference} written: "
            f"{SECTIONS[r['key']].title}"
            if r["key"] in SECTIONS
            else "Minutes written",
            officer=officers.get(history.event_officer_id(r["pgh_context__metadata"]) or 0),
            changed=("text",),
            fields=("text",),
        )
        for r in rows
    ]


SOURCE = history.HistorySource(key="strategy_meetings", entries=entries)
