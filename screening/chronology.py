"""The screenings in the child's whole file (PDF): their section and their chronology entries
(registered with `cse_portal.sections` in ScreeningConfig.ready()).

The file holds submitted screenings only: a draft is not part of the child's file, even for
the agency writing it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from cse_portal.models import Child, Officer
from cse_portal.sections import ChronologyEntry
from screening.models import Answer, Screening, ScreeningAdvice, ScreeningAnswer
from screening.selectors import screenings_of_child


def submitted_screenings(child: Child, officer: Officer) -> QuerySet[Screening]:
    """The child's submitted screenings the officer may see, oldest first, with their advice
    and the indicators recorded as present."""
    return (
        screenings_of_child(child, officer)
        .filter(status=Screening.Status.SUBMITTED)
        .prefetch_related(
            Prefetch(
                "advice",
                queryset=ScreeningAdvice.objects.select_related("given_by__agency").order_by(
                    "given_at", "id"
                ),
                to_attr="advice_given",
            ),
            Prefetch(
                "answers",
                queryset=ScreeningAnswer.objects.filter(answer=Answer.PRESENT)
                .select_related("indicator")
                .order_by("indicator__heading__position", "indicator__position"),
                to_attr="present_answers",
            ),
        )
        .order_by("submitted_at", "id")
    )


def pdf_section(child: Child, officer: Officer) -> dict[str, Any]:
    return {"screenings": list(submitted_screenings(child, officer))}


def chronology(child: Child, officer: Officer) -> list[ChronologyEntry]:
    entries: list[ChronologyEntry] = []
    for screening in submitted_screenings(child, officer):
        assert screening.submitted_at is not None  # a constraint of submitted screenings
        entries.append(
            ChronologyEntry(
                at=screening.submitted_at,
                kind="Screening",
                event="SAFEGUARD screening submitted",
                summary=(
                    f"The tool suggested: {screening.get_suggestion_display()}. "
                    f"Screener's conclusion: {screening.get_conclusion_display()}."
                ),
                by=str(screening.submitted_by),
                agency=str(screening.agency),
            )
        )
        entries.extend(
            ChronologyEntry(
                at=advice.given_at,
                kind="Screening",
                event="Advice from the CSE lead officer",
                summary=advice.text,
                by=str(advice.given_by),
                agency=str(advice.given_by.agency or ""),
            )
            for advice in screening.advice_given  # type: ignore[attr-defined]  # Prefetch to_attr
        )
    return entries
