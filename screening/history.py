"""The screenings' part of "Who viewed or changed this record", in plain English.

Only the screenings the viewing officer may open count: submitted ones, and drafts of the
officer's own agency. Another agency's draft leaves no trace: no entry here, and (through
`openable_ids`) no access-log row about it either.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.apps import apps

from cse_portal import history
from screening.models import Conclusion, Screening
from screening.selectors import screenings_of_child
from screening.views.common import LOG_PREFIX

if TYPE_CHECKING:
    from collections.abc import Collection

    from cse_portal.models import Child, Officer


def _openable(child: Child, officer: Officer) -> list[int]:
    return list(screenings_of_child(child, officer).values_list("pk", flat=True))


def openable_ids(child: Child, officer: Officer) -> Collection[str]:
    return [str(pk) for pk in _openable(child, officer)]


def _screening_label(event: Any) -> str:
    if event.pgh_label == "insert":
        return "Screening started"
    if event.status == Screening.Status.SUBMITTED:
        conclusion = Conclusion(event.conclusion).label if event.conclusion else ""
        return f"Screening submitted: conclusion “{conclusion}”"
    return "Screening answers saved"


def entries(child: Child, officer: Officer) -> list[history.HistoryEntry]:
    """Started, answers saved, submitted (with its conclusion), advice recorded: for each
    screening of the child the officer may open."""
    ids = _openable(child, officer)
    if not ids:
        return []
    screening_events = list(
        apps.get_model("screening", "ScreeningEvent")
        .objects.filter(pgh_obj_id__in=ids)
        .select_related("pgh_context")
        .order_by("pgh_created_at", "pgh_id")
    )
    advice_events = list(
        apps.get_model("screening", "ScreeningAdviceEvent")
        .objects.filter(screening_id__in=ids, pgh_label="insert")
        .select_related("pgh_context")
        .order_by("pgh_created_at", "pgh_id")
    )
    # Submitting claims the draft's version, then submits it: one change, told once.
    submissions = {
        e.pgh_context_id
        for e in screening_events
        if e.status == Screening.Status.SUBMITTED and e.pgh_context_id is not None
    }
    screening_events = [
        e
        for e in screening_events
        if e.pgh_label == "insert"
        or e.status == Screening.Status.SUBMITTED
        or e.pgh_context_id not in submissions
    ]
    events = [(e, _screening_label(e)) for e in screening_events] + [
        (e, "Advice recorded by the lead officer") for e in advice_events
    ]
    contexts = {id(e): e.pgh_context.metadata if e.pgh_context else None for e, _ in events}
    officers = history.officers_by_id(history.event_officer_id(contexts[id(e)]) for e, _ in events)
    result = []
    for event, what in events:
        officer_id = history.event_officer_id(contexts[id(event)])
        result.append(
            history.HistoryEntry(
                at=event.pgh_created_at,
                what=what,
                officer=officers.get(officer_id) if officer_id is not None else None,
            )
        )
    return result


SOURCE = history.HistorySource(
    key="screenings",
    entries=entries,
    log_object_types=(LOG_PREFIX,),
    openable_ids=openable_ids,
)
