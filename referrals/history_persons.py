"""Persons of concern's part of a child's "Who viewed or changed this record"
(cse_portal.history): the disruption actions and merges of the persons linked to the child
that the officer may see, and the access-log rows of the person pages opened from the child.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cse_portal import history
from cse_portal.history import HistoryEntry
from referrals.models import DisruptionAction, DisruptionAddendum, PersonMerge
from referrals.selectors_persons import absorbed_ids, links_visible_to

if TYPE_CHECKING:
    from cse_portal.models import Child, Officer

LOG_OBJECT_TYPES = ("person of concern",)


def _person_ids(child: Child, officer: Officer) -> list[int]:
    return list(
        links_visible_to(officer).filter(child=child).values_list("person_id", flat=True).distinct()
    )


def openable_ids(child: Child, officer: Officer) -> list[str]:
    return [str(child.pk), *(str(pk) for pk in _person_ids(child, officer))]


def entries(child: Child, officer: Officer) -> list[HistoryEntry]:
    ids = _person_ids(child, officer)
    if not ids:
        return []
    owners = set(ids) | set(absorbed_ids(ids))
    found = [
        HistoryEntry(
            at=a.recorded_at,
            what=f"Disruption action recorded against {a.person.display_name} ({a.kind_label})",
            officer=a.recorded_by,
        )
        for a in DisruptionAction.objects.filter(person_id__in=owners).select_related(
            "person", "recorded_by__agency"
        )
    ]
    found += [
        HistoryEntry(
            at=d.added_at,
            what=f"Addendum added to a disruption action against {d.action.person.display_name}",
            officer=d.added_by,
        )
        for d in DisruptionAddendum.objects.filter(action__person_id__in=owners).select_related(
            "action__person", "added_by__agency"
        )
    ]
    found += [
        HistoryEntry(
            at=m.merged_at,
            what=f"Person of concern {m.duplicate.display_name} merged into "
            f"{m.survivor.display_name}",
            officer=m.merged_by,
        )
        for m in PersonMerge.objects.filter(survivor_id__in=owners).select_related(
            "duplicate", "survivor", "merged_by__agency"
        )
    ]
    return found


SOURCE = history.HistorySource(
    key="persons_of_concern",
    entries=entries,
    log_object_types=LOG_OBJECT_TYPES,
    openable_ids=openable_ids,
)
