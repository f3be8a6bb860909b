"""What referrals count in the lead officer's themes (G35): assessed levels, missing
episodes, and persons and places of concern recurring across children.

Each function receives the scope's children in the period as an unevaluated queryset and
counts over it in SQL: a few queries, whatever the number of children. Persons and places
are in `recurring_theme` alone, one small function, since their models are still growing.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from django.db.models import Count, OuterRef, Subquery, TextField, Value
from django.db.models.functions import Coalesce, Lower, NullIf, Trim, TruncMonth

from cse_portal.models import Child
from cse_portal.themes import ThemeCounts, ThemeRow
from referrals.caseload import level_choices
from referrals.models import MissingEpisode, PersonLink, Referral, ReferralPlace, RiskAssessment

if TYPE_CHECKING:
    from cse_portal.models import ChildQuerySet
    from cse_portal.scope import Scope
    from cse_portal.themes import Period


def _finalised_in(period: Period) -> Any:
    return RiskAssessment.objects.filter(
        status=RiskAssessment.Status.FINALISED,
        finalised_at__gte=period.start_at,
        finalised_at__lt=period.end_at,
    )


def levels_theme(scope: Scope, children: ChildQuerySet, period: Period) -> ThemeCounts:
    """Each child assessed in the period once, at the level of their latest assessment."""
    latest = (
        _finalised_in(period)
        .filter(child=OuterRef("pk"))
        .order_by("-finalised_at", "-id")
        .values("judged_outcome__code")[:1]
    )
    counts = dict(
        Child.objects.filter(pk__in=children.values("pk"))
        .annotate(level=Subquery(latest))
        .filter(level__isnull=False)
        .values_list("level")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("level", "n")
    )
    labels = dict(level_choices())
    rows = [ThemeRow(code, label, counts.pop(code, 0)) for code, label in reversed(labels.items())]
    rows += [ThemeRow(code, code, n) for code, n in counts.items()]
    monthly = {
        row["month"].date(): row["n"]
        for row in _finalised_in(period)
        .filter(child__in=children)
        .annotate(month=TruncMonth("finalised_at"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by()
    }
    return ThemeCounts(rows=rows, total=sum(r.count for r in rows), monthly=monthly)


def missing_theme(scope: Scope, children: ChildQuerySet, period: Period) -> ThemeCounts:
    episodes = MissingEpisode.objects.filter(
        child__in=children,
        reported_missing_at__gte=period.start_at,
        reported_missing_at__lt=period.end_at,
    )
    per_child = list(episodes.values("child").annotate(n=Count("pk")).order_by().values_list("n"))
    monthly = {
        row["month"].date(): row["n"]
        for row in episodes.annotate(month=TruncMonth("reported_missing_at"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by()
    }
    return ThemeCounts(
        rows=[
            ThemeRow("episodes", "Missing episodes reported", sum(n for (n,) in per_child)),
            ThemeRow("children", "Children who went missing", len(per_child)),
            ThemeRow(
                "repeat", "Children missing 3 times or more", sum(n >= 3 for (n,) in per_child)
            ),
        ],
        monthly=monthly,
    )


def _bands(children_per_item: list[int], noun: str) -> list[ThemeRow]:
    bands = Counter(min(n, 4) for n in children_per_item if n >= 2)
    return [
        ThemeRow(f"{noun}_2", f"{noun.capitalize()}s linked to 2 children", bands[2]),
        ThemeRow(f"{noun}_3", f"{noun.capitalize()}s linked to 3 children", bands[3]),
        ThemeRow(f"{noun}_4", f"{noun.capitalize()}s linked to 4 children or more", bands[4]),
    ]


def recurring_theme(scope: Scope, children: ChildQuerySet, period: Period) -> ThemeCounts:
    """Persons of concern and places named for two or more of the children (links and
    places recorded at any time): how many, by how many children. A place is the same
    place when its name (else its address) is the same, ignoring case and spaces around."""
    persons = (
        PersonLink.objects.filter(child__in=children)
        .values("person")
        .annotate(n=Count("child", distinct=True))
        .filter(n__gte=2)
        .order_by()
        .values_list("n", flat=True)
    )
    place_key = Lower(
        Trim(Coalesce(NullIf(Trim("name"), Value("")), "address", output_field=TextField()))
    )
    places = (
        ReferralPlace.objects.filter(
            referral__child__in=children, referral__status=Referral.Status.SUBMITTED
        )
        .annotate(key=place_key)
        .values("key")
        .annotate(n=Count("referral__child", distinct=True))
        .filter(n__gte=2)
        .order_by()
        .values_list("n", flat=True)
    )
    return ThemeCounts(rows=_bands(list(persons), "person") + _bands(list(places), "place"))
