"""Referrals' contributions to the lead officer's caseload and themes (G34, G35)."""

from __future__ import annotations

from django.db.models import Q

from cse_portal import caseload, themes
from referrals import caseload as columns
from referrals.themes import levels_theme, missing_theme, recurring_theme


def _columns() -> None:
    caseload.register(
        caseload.CaseloadColumn(
            key="level",
            label="Latest assessed level",
            order=20,
            annotations=columns.latest_level,
            cell=columns.level_cell,
            sort="level_rank",
            filters=(
                caseload.CaseloadFilter(
                    param="level",
                    label="Latest assessed level",
                    choices=columns.level_choices,
                    condition=lambda code: Q(level_code=code),
                ),
            ),
        )
    )
    caseload.register(
        caseload.CaseloadColumn(
            key="next_assessment",
            label="Next assessment",
            order=25,
            annotations=columns.next_assessment,
            cell=columns.next_assessment_cell,
            sort="next_from",
            filters=(
                caseload.CaseloadFilter(
                    param="case",
                    label="Case",
                    choices=lambda: list(columns.CaseState.choices),
                    condition=columns.case_state_q,
                ),
            ),
        )
    )
    caseload.register(
        caseload.CaseloadColumn(
            key="referral",
            label="Referral",
            order=30,
            annotations=columns.latest_referral,
            cell=columns.referral_cell,
            sort="referral_state",
            filters=(
                caseload.CaseloadFilter(
                    param="state",
                    label="Referral",
                    choices=lambda: list(columns.ReferralState.choices),
                    condition=columns.referral_state_q,
                ),
            ),
        )
    )
    caseload.register(
        caseload.CaseloadColumn(
            key="missing",
            label="Missing (90 days)",
            order=60,
            annotations=columns.missing_recently,
            cell=columns.missing_cell,
            sort="missing_90",
        )
    )


def _themes() -> None:
    themes.register(
        themes.Theme(
            key="levels",
            title="Assessed levels of risk",
            order=20,
            unit="children",
            description=(
                "Children assessed in the period, each at the judged level of their latest "
                "assessment in the period."
            ),
            counts=levels_theme,
            monthly_title="Assessments finalised each month",
        )
    )
    themes.register(
        themes.Theme(
            key="missing",
            title="Missing episodes",
            order=30,
            unit="missing episodes and children",
            description="Episodes of going missing reported in the period.",
            counts=missing_theme,
            monthly_title="Missing episodes reported each month",
        )
    )
    themes.register(
        themes.Theme(
            key="recurring",
            title="Persons and places of concern recurring across children",
            order=40,
            unit="persons and places",
            description=(
                "Persons of concern and places named for two or more of the children. Counts "
                "only: who and where are on the children's records."
            ),
            counts=recurring_theme,
        )
    )


def register_caseload_and_themes() -> None:
    _columns()
    _themes()
