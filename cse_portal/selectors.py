"""Reads of the shared model that views share. Queries stay flat as rows grow."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from pghistory.models import Events

from cse_portal.access import children_visible_to
from cse_portal.models import AccessLog, Child, ChildQuerySet, Involvement, Officer


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
