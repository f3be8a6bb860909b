"""Small helpers for the selectors' querysets."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet


def with_only_relations[Q: QuerySet[Any]](queryset: Q, relations: tuple[str, ...] | None) -> Q:
    """`queryset` joining exactly `relations` (`select_related` names), and nothing for an
    empty tuple: a selector whose callers show less than its default page asks for only what
    they show (every join is planned on each read). None leaves the queryset's own.

    Never `select_related()` with no names: that follows every non-null relation (and is
    deprecated), the opposite of "none"."""
    if relations is None:
        return queryset
    queryset = queryset.select_related(None)
    return queryset.select_related(*relations) if relations else queryset


def given_the_child[M: Any](rows: QuerySet[M], child: Any) -> list[M]:
    """The rows of one child's queryset, each given `child` (the page's own row, fetched
    through the door) instead of joining or fetching it again. A row of another child is a
    selector's mistake, and raises rather than showing under the wrong child."""
    listed = list(rows)
    for row in listed:
        if row.child_id != child.pk:
            raise ValueError(f"{type(row).__name__} {row.pk} is not of child {child.pk}")
        row.child = child
    return listed
