"""The core's own themes: the children in the period, and who they are (G39).

"The agency's cases over the period" are the children of the scope (`cse_portal.scope`) with
whom the agency was involved at some time in the period: an involvement begun before the
period ended and not ended before it began. Gender, age, ethnicity and looked-after status
partition those children (each child counts once), so their tables have a total. Boys and
young men are counted with the same prominence as girls and young women: every gender is a
row of its own, in the order of the record's choices, zeros included (G39).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Min, OuterRef, Q, Subquery
from django.db.models.functions import TruncMonth

from cse_portal.models import Child, Ethnicity, Gender, Involvement, LookedAfterStatus
from cse_portal.scope import AgeBand, age_band_case, age_on
from cse_portal.themes import Period, Theme, ThemeCounts, ThemeRow, register

if TYPE_CHECKING:
    from django.db.models import TextChoices

    from cse_portal.models import ChildQuerySet
    from cse_portal.scope import Scope


def children_in_period(children: ChildQuerySet, scope: Scope, period: Period) -> ChildQuerySet:
    involved = Involvement.objects.filter(agency=scope.agency, granted_at__lt=period.end_at).filter(
        Q(ended_at__isnull=True) | Q(ended_at__gte=period.start_at)
    )
    return children.filter(pk__in=involved.values("child_id"))


def _children(scope: Scope, children: ChildQuerySet, period: Period) -> ThemeCounts:
    first = Subquery(
        Involvement.objects.filter(child=OuterRef("pk"), agency=scope.agency)
        .values("child")
        .annotate(first=Min("granted_at"))
        .values("first")[:1]
    )
    new = (
        Child.objects.filter(pk__in=children.values("pk"))
        .annotate(first=first)
        .filter(first__gte=period.start_at, first__lt=period.end_at)
        .annotate(month=TruncMonth("first"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    monthly = {row["month"].date(): row["n"] for row in new}
    known = Child.objects.filter(pk__in=children.values("pk")).count()
    return ThemeCounts(
        rows=[
            ThemeRow("known", "Children known in the period", known),
            ThemeRow("new", "Of whom newly involved in the period", sum(monthly.values())),
        ],
        monthly=monthly,
    )


def _by_choice(children: ChildQuerySet, field: str, choices: type[TextChoices]) -> ThemeCounts:
    counts = dict(
        Child.objects.filter(pk__in=children.values("pk"))
        .values_list(field)
        .annotate(n=Count("pk"))
        .order_by()
        .values_list(field, "n")
    )
    rows = [ThemeRow(c.value, c.label, counts.get(c.value, 0)) for c in choices]
    return ThemeCounts(rows=rows, total=sum(r.count for r in rows))


def _genders(scope: Scope, children: ChildQuerySet, period: Period) -> ThemeCounts:
    return _by_choice(children, "gender", Gender)


def _ethnicities(scope: Scope, children: ChildQuerySet, period: Period) -> ThemeCounts:
    result = _by_choice(children, "ethnicity", Ethnicity)
    # Twenty-one groups: show those with children (and keep the total of all).
    return ThemeCounts(rows=[r for r in result.rows if r.count], total=result.total)


def _looked_after(scope: Scope, children: ChildQuerySet, period: Period) -> ThemeCounts:
    return _by_choice(children, "looked_after_status", LookedAfterStatus)


def _ages(scope: Scope, children: ChildQuerySet, period: Period) -> ThemeCounts:
    counts = dict(
        Child.objects.filter(pk__in=children.values("pk"))
        .annotate(age_at_end=age_on(period.end))
        .annotate(band=age_band_case("age_at_end"))
        .values_list("band")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("band", "n")
    )
    rows = [ThemeRow(b.value, b.label, counts.get(b.value, 0)) for b in AgeBand]
    return ThemeCounts(rows=rows, total=sum(r.count for r in rows))


def register_core_themes() -> None:
    register(
        Theme(
            key="children",
            title="Children",
            order=0,
            unit="children",
            description="Children the agency was involved with at some time in the period.",
            counts=_children,
            monthly_title="Children newly involved each month",
        )
    )
    register(
        Theme(
            key="gender",
            title="Gender",
            order=60,
            unit="children",
            description="Boys and young men are reported on equally with girls and young women.",
            counts=_genders,
        )
    )
    register(
        Theme(
            key="age",
            title="Age",
            order=61,
            unit="children",
            description="Age at the end of the period.",
            counts=_ages,
        )
    )
    register(
        Theme(
            key="ethnicity",
            title="Ethnicity",
            order=62,
            unit="children",
            description="Census 2021 ethnic groups; groups with no child are left out.",
            counts=_ethnicities,
        )
    )
    register(
        Theme(
            key="looked_after",
            title="Looked-after status",
            order=63,
            unit="children",
            description="As the child's record says now.",
            counts=_looked_after,
        )
    )
