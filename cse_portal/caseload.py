"""Columns that apps add to the lead officer's caseload (G34).

The core imports no app; each app registers, in its AppConfig.ready(), the columns it
contributes, as it registers record sections (`cse_portal.sections`). A column gives:
- `annotations(scope)`: expressions (subqueries on `OuterRef("pk")`, the child) that the core
  adds to the queryset of the scope's children. The agency (and, for CSC, the authority) is
  in `scope`. Every column of the page is then read in the one query that fetches the page of
  children, and filtered, sorted and counted in SQL: the page costs the same queries for 5 or
  500 children.
- `cell(child)`: the column's `Cell` for one row, from those annotations (no query).
- `sort`: the annotation the column sorts by, if it can be sorted;
- `filters`: the filters the column offers, each a GET parameter whose values are codes
  (never a child's name) and the condition on the annotated rows.

The expressions must only read rows of the child in hand: which children are listed is the
core's business, done through the access layer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

if TYPE_CHECKING:
    from cse_portal.models import Child
    from cse_portal.scope import Scope


@dataclass(frozen=True, kw_only=True)
class Cell:
    text: str
    hint: str = ""  # a second line, smaller
    tag: str = ""  # a GOV.UK tag, e.g. "Overdue"
    tag_colour: str = "red"
    url: str = ""


@dataclass(frozen=True, kw_only=True)
class CaseloadFilter:
    param: str
    label: str
    choices: Callable[[], list[tuple[str, str]]]
    condition: Callable[[str], Q]


@dataclass(frozen=True, kw_only=True)
class CaseloadColumn:
    key: str
    label: str
    order: int
    annotations: Callable[[Scope], dict[str, Any]]
    cell: Callable[[Child], Cell]
    sort: str = ""
    filters: tuple[CaseloadFilter, ...] = ()


@dataclass
class _Registry:
    columns: dict[str, CaseloadColumn] = field(default_factory=dict)

    def register(self, column: CaseloadColumn) -> None:
        self.columns[column.key] = column

    def ordered(self) -> list[CaseloadColumn]:
        return sorted(self.columns.values(), key=lambda c: (c.order, c.key))

    def annotations(self, scope: Scope) -> dict[str, Any]:
        return {
            name: expression
            for column in self.ordered()
            for name, expression in column.annotations(scope).items()
        }

    def filters(self) -> list[CaseloadFilter]:
        return [f for column in self.ordered() for f in column.filters]


registry = _Registry()
register = registry.register


def count_of(queryset: QuerySet[Any], child_field: str = "child") -> Coalesce:
    """How many rows of `queryset` are the child's: a subquery on the child (`OuterRef`), 0
    when none — for a column that counts (overdue actions, missing episodes)."""
    rows = queryset.filter(**{child_field: OuterRef("pk")}).order_by().values(child_field)
    return Coalesce(
        Subquery(rows.annotate(n=Count("pk")).values("n")[:1]),
        Value(0),
        output_field=IntegerField(),
    )
