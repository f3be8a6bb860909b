"""Screening's contributions to the lead officer's caseload and themes (G34, G35)."""

from __future__ import annotations

from cse_portal import caseload, themes
from screening.caseload import headings_theme, indicators_theme, latest_screening, screening_cell


def register_caseload_and_themes() -> None:
    caseload.register(
        caseload.CaseloadColumn(
            key="screening",
            label="Latest screening",
            order=10,
            annotations=latest_screening,
            cell=screening_cell,
            sort="screening_at",
        )
    )
    themes.register(
        themes.Theme(
            key="safeguard_headings",
            title="SAFEGUARD headings",
            order=10,
            unit="children",
            description=(
                "Children with at least one indicator present under each heading, in the "
                "screenings submitted in the period. A child can count under several headings."
            ),
            counts=headings_theme,
            monthly_title="Children screened with at least one indicator present, each month",
        )
    )
    themes.register(
        themes.Theme(
            key="safeguard_indicators",
            title="Indicators present most often",
            order=11,
            unit="children",
            description=(
                "The fifteen indicators present for the most children in the screenings "
                "submitted in the period."
            ),
            counts=indicators_theme,
        )
    )
