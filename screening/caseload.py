"""What screening adds to the lead officer's caseload (G34) and themes (G35).

Caseload: the child's latest submitted screening's conclusion (any agency's: a submitted
screening is a final record the involved agencies may read). Themes: the SAFEGUARD headings
and the indicators answered "present" in the screenings of the scope's children submitted
in the period, counted as children (a child screened twice counts once), and by month the
children screened with at least one indicator present. One query per figure set.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.dateformat import format as date_format

from cse_portal.caseload import Cell
from cse_portal.themes import ThemeCounts, ThemeRow
from screening.models import (
    Answer,
    CatalogueVersion,
    Conclusion,
    Heading,
    Screening,
    ScreeningAnswer,
)

if TYPE_CHECKING:
    from cse_portal.models import Child, ChildQuerySet
    from cse_portal.scope import Scope
    from cse_portal.themes import Period

_CONCLUSION_TAG = {Conclusion.REFER: "red", Conclusion.DISCUSS: "yellow"}


def latest_screening(scope: Scope) -> dict[str, Any]:
    latest = Screening.objects.filter(
        child=OuterRef("pk"), status=Screening.Status.SUBMITTED
    ).order_by("-submitted_at", "-id")
    return {
        "screening_conclusion": Subquery(latest.values("conclusion")[:1]),
        "screening_at": Subquery(latest.values("submitted_at")[:1]),
    }


def screening_cell(child: Child) -> Cell:
    conclusion = getattr(child, "screening_conclusion", None)
    if not conclusion:
        return Cell(text="No screening")
    when = timezone.localtime(child.screening_at)  # type: ignore[attr-defined]
    label = Conclusion(conclusion).label.split(":")[0].split(" (")[0]
    return Cell(text=label, hint=date_format(when, "j M Y"))


def _present(children: ChildQuerySet, period: Period) -> Any:
    return ScreeningAnswer.objects.filter(
        answer=Answer.PRESENT,
        screening__status=Screening.Status.SUBMITTED,
        screening__submitted_at__gte=period.start_at,
        screening__submitted_at__lt=period.end_at,
        screening__child__in=children,
    )


def headings_theme(scope: Scope, children: ChildQuerySet, period: Period) -> ThemeCounts:
    heading = (
        "indicator__heading__code",
        "indicator__heading__letter",
        "indicator__heading__title",
    )
    by_heading = (
        _present(children, period)
        .values(*heading)
        .annotate(n=Count("screening__child", distinct=True))
        .order_by()
        .values_list(*heading, "n")
    )
    counts = {code: (f"{letter} — {title}", n) for code, letter, title, n in by_heading}
    # Every heading of the current catalogue is a row, zeros included; headings of an older
    # catalogue that only older screenings used follow.
    newest = CatalogueVersion.objects.order_by("-number").values("pk")[:1]
    headings = Heading.objects.filter(version=Subquery(newest)).order_by("position")
    rows = [
        ThemeRow(h.code, f"{h.letter} — {h.title}", counts.pop(h.code, ("", 0))[1])
        for h in headings
    ]
    rows += [ThemeRow(code, label, n) for code, (label, n) in counts.items()]
    monthly = {
        row["month"].date(): row["n"]
        for row in _present(children, period)
        .annotate(month=TruncMonth("screening__submitted_at"))
        .values("month")
        .annotate(n=Count("screening__child", distinct=True))
        .order_by()
    }
    return ThemeCounts(rows=rows, monthly=monthly)


def indicators_theme(scope: Scope, children: ChildQuerySet, period: Period) -> ThemeCounts:
    rows = [
        ThemeRow(code, f"{code} {text}", n)
        for code, text, n in _present(children, period)
        .values("indicator__code", "indicator__text")
        .annotate(n=Count("screening__child", distinct=True))
        .order_by("-n", "indicator__code")
        .values_list("indicator__code", "indicator__text", "n")[:15]
    ]
    return ThemeCounts(rows=rows)
