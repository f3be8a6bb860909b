"""The action plans' part of a child's "Who viewed or changed this record" (cse_portal.history):
actions added, changed and removed (from their history rows), the review date set, sign-ups,
and progress after finalising. Every agency involved with the child sees its meetings, so
nothing here is hidden from an officer who may open the record."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.utils.text import Truncator

from cse_portal import history
from cse_portal.access import case_objects_visible_to
from cse_portal.history import HistoryEntry
from strategy_meetings.models import ActionUpdate, Meeting, SignUp

if TYPE_CHECKING:
    from cse_portal.models import Child, Officer

_ACTION_EVENTS = {"insert": "added to", "update": "changed in", "delete": "removed from"}


def _action_entries(refs: dict[int, str]) -> list[HistoryEntry]:
    rows: list[dict[str, Any]] = list(
        apps.get_model("strategy_meetings", "ActionEvent")
        .objects.filter(meeting_id__in=refs)
        .values("pgh_created_at", "pgh_label", "meeting_id", "what", "pgh_context__metadata")
    )
    officers = history.officers_by_id(
        history.event_officer_id(r["pgh_context__metadata"]) for r in rows
    )
    return [
        HistoryEntry(
            at=r["pgh_created_at"],
            what=f"Action {_ACTION_EVENTS.get(r['pgh_label'], 'changed in')} the plan of "
            f"strategy meeting {refs[r['meeting_id']]}: {Truncator(r['what']).chars(60)}",
            officer=officers.get(history.event_officer_id(r["pgh_context__metadata"]) or 0),
        )
        for r in rows
    ]


def _review_entries(refs: dict[int, str]) -> list[HistoryEntry]:
    rows: list[dict[str, Any]] = list(
        apps.get_model("strategy_meetings", "ActionPlanEvent")
        .objects.filter(meeting_id__in=refs)
        .order_by("pgh_obj_id", "pgh_created_at", "pgh_id")
        .values("pgh_created_at", "pgh_obj_id", "meeting_id", "review_date", "updated_by_id")
    )
    officers = history.officers_by_id(r["updated_by_id"] for r in rows)
    found: list[HistoryEntry] = []
    before: dict[int, object] = {}
    for r in rows:
        if r["review_date"] != before.get(r["pgh_obj_id"]) and r["review_date"] is not None:
            found.append(
                HistoryEntry(
                    at=r["pgh_created_at"],
                    what=f"Review of strategy meeting {refs[r['meeting_id']]} set for "
                    f"{r['review_date']:%d %B %Y}",
                    officer=officers.get(r["updated_by_id"]),
                )
            )
        before[r["pgh_obj_id"]] = r["review_date"]
    return found


def entries(child: Child, officer: Officer) -> list[HistoryEntry]:
    refs = {
        m.pk: m.reference
        for m in case_objects_visible_to(officer, Meeting.objects.filter(child=child))
    }
    if not refs:
        return []
    found = _action_entries(refs) + _review_entries(refs)
    for s in SignUp.objects.filter(meeting_id__in=refs).select_related(
        "invitation__officer", "recorded_by"
    ):
        who = s.invitation.person_display
        found.append(
            HistoryEntry(
                at=s.at,
                what=f"{who} signed up to the action plan of strategy meeting "
                f"{refs[s.meeting_id]}"
                + (
                    " (agreed at the meeting, recorded by the chair)"
                    if s.signed_by_id is None
                    else ""
                ),
                officer=s.recorded_by,
            )
        )
    for u in ActionUpdate.objects.filter(action__meeting_id__in=refs).select_related(
        "action", "by"
    ):
        found.append(
            HistoryEntry(
                at=u.at,
                what=f"Progress of an action of strategy meeting {refs[u.action.meeting_id]}: "
                f"{u.get_status_display()}",
                officer=u.by,
            )
        )
    return found


SOURCE = history.HistorySource(key="strategy_meeting_plans", entries=entries)
