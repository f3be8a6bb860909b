""" "Your work": what needs the signed-in officer now, on the home page.

The core names no app's records; instead each app registers, in its AppConfig.ready(), the
lists it contributes (as it registers record sections, `cse_portal.sections`). A contribution
is a heading, the wording of its empty state, a predicate on the officer deciding whether it
shows, and a function taking the officer and a limit and returning a `WorkList`: the first
rows (title, link, due date, overdue flag, kind) and how many there are in all. Each function
costs one or two queries whatever the number of children (`from_queryset` counts then reads
a slice), and reads only through selectors built on the access door, so nothing about a child
the officer may not see can reach the page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Window
from django.utils import timezone

from cse_portal.navigation import works_for_an_agency

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from cse_portal.models import Officer

ROWS_SHOWN = 8


@dataclass(frozen=True, kw_only=True)
class WorkRow:
    title: str
    link: str
    kind: str
    due: date | datetime | None = None
    overdue: bool = False
    detail: str = ""

    @property
    def due_day(self) -> date | None:
        if isinstance(self.due, datetime):
            return timezone.localtime(self.due).date()
        return self.due


@dataclass(frozen=True)
class WorkList:
    rows: list[WorkRow]
    count: int

    @property
    def more(self) -> int:
        return max(self.count - len(self.rows), 0)


WorkSource = Callable[["Officer", int], WorkList]


@dataclass(frozen=True, kw_only=True)
class WorkContribution:
    key: str
    heading: str
    order: int
    rows: WorkSource
    empty: str
    shows_for: Callable[[Officer], bool] = works_for_an_agency
    # The page with the whole list, when the home page shows only the first rows.
    all_url_name: str = ""
    all_label: str = ""


@dataclass(frozen=True)
class ShownWork:
    contribution: WorkContribution
    work: WorkList

    @property
    def overdue(self) -> int:
        return sum(1 for row in self.work.rows if row.overdue)


def from_queryset(queryset: QuerySet[Any], limit: int, row: Callable[[Any], WorkRow]) -> WorkList:
    """The first `limit` (the queryset already ordered, overdue first) and how many there
    are in all, in one query: `count(*) OVER ()` is worked out before the LIMIT. A DISTINCT
    queryset counts its rows before DISTINCT in a window, so it costs a count and a slice."""
    if queryset.query.distinct:
        count = queryset.count()
        rows = [row(item) for item in queryset[:limit]] if count else []
        return WorkList(rows=rows, count=count)
    items = list(queryset.annotate(_work_total=Window(Count("*")))[:limit])
    return WorkList(rows=[row(item) for item in items], count=items[0]._work_total if items else 0)


def from_rows(rows: Iterable[WorkRow], limit: int) -> WorkList:
    listed = list(rows)
    return WorkList(rows=listed[:limit], count=len(listed))


@dataclass
class _Registry:
    contributions: dict[str, WorkContribution] = field(default_factory=dict)

    def register(self, contribution: WorkContribution) -> None:
        # Keyed, so a second ready() replaces rather than duplicates.
        self.contributions[contribution.key] = contribution

    def for_officer(self, officer: Officer, limit: int = ROWS_SHOWN) -> list[ShownWork]:
        ordered = sorted(self.contributions.values(), key=lambda c: (c.order, c.key))
        return [
            ShownWork(contribution, contribution.rows(officer, limit))
            for contribution in ordered
            if contribution.shows_for(officer)
        ]


registry = _Registry()
register = registry.register
