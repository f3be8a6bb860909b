"""What the assessment's domain pages show beside an indicator (never an answer, G40):

- the answer suggested from the referral the assessment started from, awaiting the
  assessor's check (`referrals.assessment_prefill`);
- beside the tool's indicators about going missing (named by its map, `missing_indicators`):
  "N missing episodes recorded in the last 90 days", with a link to the episodes (G33).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from referrals.assessment_prefill import map_for
from referrals.assessment_progress import AnsweredIndicator
from referrals.models import RiskAssessment
from referrals.selectors_missing import RECENT_DAYS, missing_count


@dataclass(frozen=True)
class MissingPrompt:
    codes: frozenset[str]
    count: int
    url: str

    @property
    def text(self) -> str:
        episodes = "missing episode" if self.count == 1 else "missing episodes"
        return f"{self.count} {episodes} recorded in the last {RECENT_DAYS} days"


def missing_prompt(assessment: RiskAssessment) -> MissingPrompt:
    """The count of the child's missing episodes in the last 90 days, for the tool's missing
    indicators (two queries). The child came through the door with the assessment."""
    prefill_map = map_for(assessment)
    codes = frozenset(prefill_map.missing_indicators if prefill_map else ())
    return MissingPrompt(
        codes=codes,
        count=missing_count(assessment.child) if codes else 0,
        url=reverse("referrals:missing_list", kwargs={"child_pk": assessment.child_id}),
    )


def hints_for(items: list[AnsweredIndicator], prompt: MissingPrompt) -> dict[str, SafeString]:
    """The hint under each indicator's answer, by indicator code (escaped HTML)."""
    hints: dict[str, SafeString] = {}
    for item in items:
        parts: list[SafeString] = []
        answer = item.answer
        if answer is not None and answer.from_referral:
            status = (
                "check it, then confirm or change it"
                if answer.awaiting_check
                else "checked by your agency"
            )
            parts.append(
                format_html(
                    '<strong class="govuk-tag govuk-tag--yellow">From the referral</strong> '
                    "{} ({}).",
                    answer.referral_suggestion,
                    status,
                )
            )
        if item.indicator.code in prompt.codes:
            parts.append(
                format_html(
                    '{} (<a class="govuk-link" href="{}">see the missing episodes</a>). A '
                    "prompt, not an answer: you decide whether this indicator is present.",
                    prompt.text,
                    prompt.url,
                )
            )
        if parts:
            hints[item.indicator.code] = SafeString("<br>".join(parts))  # each part escaped
    return hints
