"""Reads of the shared model that views share. Queries stay flat as rows grow."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from pghistory.models import Events

from cse_portal import history
from cse_portal.access import children_visible_to
from cse_portal.models import (
    AccessLog,
    Agency,
    Child,
    ChildQuerySet,
    Involvement,
    Officer,
)


def child_list_for(officer: Officer, *, search: str = "") -> ChildQuerySet:
    qs = children_visible_to(officer).select_related("home_authority", "owning_agency")
    if search:
        qs = qs.search(search)
    return qs.order_by("last_name", "first_name", "created_at")


def involvements_of(child: Child) -> QuerySet[Involvement]:
    return child.involvements.select_related(
        "agency", "agency__local_authority", "granted_by", "ended_by"
    ).order_by("-ended_at", "granted_at")


def child_with_involvements(child: Child) -> Child:
    return (
        Child.objects.filter(pk=child.pk)
        .select_related("home_authority", "host_authority", "owning_agency", "created_by")
        .prefetch_related(Prefetch("involvements", queryset=involvements_of(child)))
        .get()
    )


def access_log_for(child: Child, officer: Officer | None = None) -> QuerySet[AccessLog]:
    """The child's access log, newest first; for an officer, without the rows about records
    they may not open (another agency's drafts), which would reveal that the record exists."""
    rows = child.access_log.select_related("officer", "agency").order_by("-at", "-id")
    if officer is not None:
        rows = rows.exclude(history.registry.hidden_log_rows(child, officer))
    return rows


def change_history_for(child: Child, officer: Officer | None = None) -> list[dict[str, Any]]:
    """Every recorded change to the child and its involvements and, for an officer, to the
    records of the apps that the officer may open — newest first, in plain English, with who
    made each change."""
    entries = _core_history(child)
    if officer is not None:
        entries += history.registry.entries_for(child, officer)
    entries.sort(key=lambda e: e.at, reverse=True)
    return [
        {
            "at": e.at,
            "what": e.what,
            "officer": e.officer,
            "fields": list(e.fields),
            "changed": list(e.changed),
        }
        for e in entries
    ]


def _core_history(child: Child) -> list[history.HistoryEntry]:
    events = list(
        Events.objects.references(child)
        .filter(pgh_model__in=["cse_portal.ChildEvent", "cse_portal.InvolvementEvent"])
        .order_by("-pgh_created_at", "-pgh_id")
        .values("pgh_created_at", "pgh_label", "pgh_model", "pgh_diff", "pgh_context", "pgh_data")
    )
    officers = history.officers_by_id(history.event_officer_id(e["pgh_context"]) for e in events)
    agencies = dict(
        Agency.objects.filter(
            pk__in={e["pgh_data"].get("agency_id") for e in events if e["pgh_data"]}
        ).values_list("pk", "name")
    )
    entries = []
    for event in events:
        user_id = history.event_officer_id(event["pgh_context"])
        is_child = event["pgh_model"] == "cse_portal.ChildEvent"
        names, labels = history.field_labels(
            Child if is_child else Involvement, (event["pgh_diff"] or {}).keys()
        )
        entries.append(
            history.HistoryEntry(
                at=event["pgh_created_at"],
                what=_core_event_label(event, agencies)
                if not is_child
                else _CHILD_LABELS.get(event["pgh_label"], "Child's record changed"),
                officer=officers.get(user_id) if user_id is not None else None,
                changed=labels,
                fields=names,
            )
        )
    return entries


_CHILD_LABELS = {
    "insert": "Child's record created",
    "update": "Child's record changed",
    "delete": "Child's record deleted",
}


def _core_event_label(event: dict[str, Any], agencies: dict[int, str]) -> str:
    data = event["pgh_data"] or {}
    agency = agencies.get(int(data.get("agency_id") or 0), "An agency")
    if event["pgh_label"] == "insert":
        reason = Involvement.Reason(data["reason"]).label if data.get("reason") else ""
        return f"{agency} involved with the child ({reason.lower()})" if reason else agency
    if data.get("ended_at"):
        return f"{agency}'s involvement ended"
    return f"{agency}'s involvement changed"
