"""Reads of the shared model that views share. Queries stay flat as rows grow."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from pghistory.models import Events

from cse_portal.access import children_visible_to
from cse_portal.models import AccessLog, Child, ChildQuerySet, Involvement, Officer


def child_list_for(officer: Officer, *, search: str = "") -> ChildQuerySet:
    qs = children_visible_to(officer).select_related("home_authority", "owning_agency")
    if search:
        qs = qs.search(search)
    return qs.order_by("last_name", "first_name", "created_at")


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


def access_log_for(child: Child) -> QuerySet[AccessLog]:
    return child.access_log.select_related("officer", "agency").order_by("-at", "-id")


def change_history_for(child: Child) -> list[dict[str, Any]]:
    """Every recorded change to the child and its involvements, newest first, with who made it."""
    events = (
        Events.objects.references(child)
        .order_by("-pgh_created_at", "-pgh_id")
        .values("pgh_created_at", "pgh_label", "pgh_model", "pgh_diff", "pgh_context")
    )
    rows = list(events)
    officer_ids: set[int] = {
        int(row["pgh_context"]["user"])
        for row in rows
        if row["pgh_context"] and row["pgh_context"].get("user") is not None
    }
    officers = {
        o.pk: o for o in Officer.objects.filter(pk__in=officer_ids).select_related("agency")
    }
    history = []
    for row in rows:
        context = row["pgh_context"] or {}
        user_id = context.get("user")
        officer = officers.get(int(user_id)) if user_id is not None else None
        diff = row["pgh_diff"] or {}
        history.append(
            {
                "at": row["pgh_created_at"],
                "what": _event_label(row["pgh_model"], row["pgh_label"]),
                "officer": officer,
                "fields": sorted(k for k in diff if k not in {"updated_at", "version"}),
            }
        )
    return history


def _event_label(model: str, label: str) -> str:
    subject = {
        "cse_portal.ChildEvent": "Child's record",
        "cse_portal.InvolvementEvent": "Involvement",
    }
    verbs = {"insert": "created", "update": "changed", "delete": "deleted"}
    return f"{subject.get(model, model)} {verbs.get(label, label)}"
