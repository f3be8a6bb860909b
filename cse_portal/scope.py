"""Whose cases a lead officer's caseload and themes cover, and the child facts they share.

A lead officer sees their own agency's cases: the children the agency is involved with, as
the access layer says (`children_visible_to`). A lead officer of children's social care sees
the same for their authority: the children their CSC may see whose home authority, or host
authority when placed there, is the CSC's own. Nothing widens access: the scope is always a
subset of what the officer's agency may see.

The age of a child is worked out in SQL (`age_on`), as `Child.age_on` does in Python, so that
the caseload can filter and sort by it and the themes can count by it in one query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date

from django.db import models
from django.db.models import Case, F, Func, Q, Value, When
from django.db.models.functions import Coalesce, Greatest, TruncDate

from cse_portal.access import children_of_visible_ids, children_visible_to, visible_child_ids
from cse_portal.models import Agency, Child, ChildQuerySet, LocalAuthority, Officer


@dataclass(frozen=True)
class Scope:
    """The agency whose cases are counted, and for CSC the authority."""

    agency: Agency
    authority: LocalAuthority | None  # set for children's social care only

    @property
    def description(self) -> str:
        if self.authority is not None:
            return f"children known to {self.agency} in {self.authority}"
        return f"children {self.agency} is involved with"


def is_lead_officer(officer: Officer) -> bool:
    """A lead officer is an agency's named CSE lead (`Officer.is_cse_lead`), of any role."""
    return bool(officer.is_authenticated and officer.is_cse_lead and officer.agency_id)


def scope_for(officer: Officer) -> Scope:
    agency = officer.agency
    assert agency is not None  # lead officers always hold an agency
    return scope_of_agency(agency)


def scope_of_agency(agency: Agency) -> Scope:
    return Scope(agency=agency, authority=agency.local_authority if agency.is_csc else None)


def children_in_scope(officer: Officer, scope: Scope) -> ChildQuerySet:
    """The children of the scope, never more than the officer's agency may see."""
    return _within_authority(children_visible_to(officer), scope)


def caseload_children(officer: Officer, scope: Scope) -> ChildQuerySet:
    """`children_in_scope` for a page sorted and cut to a few rows (the caseload): the same
    children, their ids read first, as one array (`id = ANY(ARRAY(SELECT …))`), then the
    children. With `id IN (SELECT …)` the planner joins the agency's permission rows to the
    children and, misjudging how many are in scope (329 for 6,227), walks the children's name
    index, in parallel, probing each child: 18,000 children read for 25 kept. The array is an
    InitPlan it cannot flatten: it reads the scope's children by their primary key, sorts them
    and keeps the page, and works each column out for the page's rows only. The set is the
    access door's (`access.in_visible_ids`), nothing wider."""
    return _within_authority(children_of_visible_ids(officer), scope)


def children_of_scope(scope: Scope) -> ChildQuerySet:
    """The children of the scope as its agency sees them (`children_in_scope` of any active
    officer of the agency): for the themes' summaries, computed ahead by a task."""
    return _within_authority(Child.objects.filter(pk__in=visible_child_ids(scope.agency)), scope)


def _within_authority(children: ChildQuerySet, scope: Scope) -> ChildQuerySet:
    if scope.authority is not None:
        children = children.filter(
            Q(home_authority=scope.authority) | Q(host_authority=scope.authority)
        )
    return children


class _YearsBetween(Func):
    template = "EXTRACT(YEAR FROM AGE(%(expressions)s))::integer"
    output_field = models.IntegerField()


class _DaysBetween(Func):
    arg_joiner = " - "
    template = "(%(expressions)s)"
    output_field = models.IntegerField()


def age_on(day: date, prefix: str = "") -> Case:
    """The child's age in whole years on `day`: from the date of birth, else the approximate
    age plus a year for each 365 days since it was recorded (as `Child.age_on`); NULL when
    neither is known. `prefix` reaches the child through a relation ("child__")."""
    today = Value(day, output_field=models.DateField())
    recorded = Coalesce(
        F(f"{prefix}approximate_age_recorded_on"), TruncDate(f"{prefix}created_at", tzinfo=UTC)
    )
    return Case(
        When(
            **{f"{prefix}date_of_birth__isnull": False},
            then=_YearsBetween(today, F(f"{prefix}date_of_birth")),
        ),
        When(
            **{f"{prefix}approximate_age__isnull": False},
            then=F(f"{prefix}approximate_age")
            + Greatest(Value(0), _DaysBetween(today, recorded) / Value(365)),
        ),
        default=None,
        output_field=models.IntegerField(),
    )


class AgeBand(models.TextChoices):
    UNDER_10 = "0-9", "Under 10"
    TEN_TO_12 = "10-12", "10 to 12"
    THIRTEEN_TO_15 = "13-15", "13 to 15"
    SIXTEEN_TO_17 = "16-17", "16 or 17"
    NOT_KNOWN = "not_known", "Age not known"


_BAND_LIMITS = {
    AgeBand.UNDER_10: (0, 9),
    AgeBand.TEN_TO_12: (10, 12),
    AgeBand.THIRTEEN_TO_15: (13, 15),
    AgeBand.SIXTEEN_TO_17: (16, 17),
}


def age_band_q(band: str, field: str = "age_now") -> Q:
    """Rows whose annotated age `field` falls in `band`."""
    if band == AgeBand.NOT_KNOWN:
        return Q(**{f"{field}__isnull": True})
    low, high = _BAND_LIMITS[AgeBand(band)]
    return Q(**{f"{field}__gte": low, f"{field}__lte": high})


def age_band_of(age: int | None) -> AgeBand:
    if age is None:
        return AgeBand.NOT_KNOWN
    for band, (low, high) in _BAND_LIMITS.items():
        if low <= age <= high:
            return band
    # An age of 18 (a child who has turned 18 since) counts with the oldest band.
    return AgeBand.SIXTEEN_TO_17 if age > 17 else AgeBand.UNDER_10


def age_band_case(field: str) -> Case:
    """The band of an annotated age, in SQL (for counting by band in one query)."""
    return Case(
        *[
            When(**{f"{field}__gte": low, f"{field}__lte": high}, then=Value(band.value))
            for band, (low, high) in _BAND_LIMITS.items()
        ],
        When(**{f"{field}__gt": 17}, then=Value(AgeBand.SIXTEEN_TO_17.value)),
        default=Value(AgeBand.NOT_KNOWN.value),
        output_field=models.CharField(),
    )
