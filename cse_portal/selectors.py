"""Reads of the shared model that views share. Queries stay flat as rows grow."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.utils import timezone
from django.utils.functional import cached_property
from pghistory.models import Events

from cse_portal import history
from cse_portal.access import children_visible_to, count_visible_children
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


class CountedPaginator(Paginator):
    """A paginator whose total is counted another, cheaper way (`count`)."""

    def __init__(self, object_list: QuerySet[Any], per_page: int, *, count: Callable[[], int]):
        super().__init__(object_list, per_page)
        self._count = count

    @cached_property
    def count(self) -> int:
        return self._count()


def child_list_page(
    officer: Officer, *, search: str, number: str | None, per_page: int
) -> Page[Child]:
    """A page of the children list. Without a search the total is the count of the agency's
    `view_child` permission rows: one per visible child (guardian's unique index), counted in
    the index alone, not by joining 3,000 children at every page."""
    children = child_list_for(officer, search=search)
    count = children.count if search else partial(count_visible_children, officer)
    return CountedPaginator(children, per_page, count=count).get_page(number)


def possible_duplicates_for(
    officer: Officer,
    *,
    first_name: str,
    last_name: str,
    date_of_birth: date | None,
    approximate_age: int | None,
    creation_key: uuid.UUID | None = None,
) -> list[Child]:
    """Children the officer may already see with the same name whose age does not differ:
    the same date of birth, or the same age today (from a date of birth or an approximate
    age), or an age not known on one side. Only visible children are searched: a warning
    about any other would tell the officer that a record they may not see exists."""
    if not (first_name or last_name):
        return []
    # The age today of the child being added, as the record will derive it.
    age = Child(date_of_birth=date_of_birth, approximate_age=approximate_age).age_on(
        timezone.localdate()
    )
    candidates = (
        children_visible_to(officer)
        .filter(first_name__iexact=first_name, last_name__iexact=last_name)
        .select_related("owning_agency")
        .order_by("created_at")
    )
    if creation_key is not None:  # the child this very form added, sent a second time
        candidates = candidates.exclude(creation_key=creation_key)
    found = []
    for child in candidates[:20]:
        if date_of_birth and child.date_of_birth:
            same = date_of_birth == child.date_of_birth
        else:
            same = age is None or child.age is None or age == child.age
        if same:
            found.append(child)
    return found


def share_made_with_key(child: Child, officer: Officer, key: object) -> Involvement | None:
    """The share that this officer's share form (its hidden key) already made, if any."""
    try:
        share_key = uuid.UUID(str(key))
    except ValueError:
        return None
    return (
        child.involvements.filter(creation_key=share_key, granted_by=officer)
        .select_related("agency")
        .first()
    )


def involvements_of(child: Child) -> QuerySet[Involvement]:
    """The child's involvements with what the record page shows of each: the agency and its
    authority, who granted it (the whole file adds who ended it, `cse_portal.exports`)."""
    return child.involvements.select_related(
        "agency", "agency__local_authority", "granted_by"
    ).order_by("-ended_at", "granted_at")


def child_with_involvements(child: Child) -> Child:
    """The child (as `access.get_child_for` read it, with its authorities, owning agency and
    creator) with its involvements: one query for them, not the child read again."""
    prefetch_related_objects([child], Prefetch("involvements", queryset=involvements_of(child)))
    return child


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
