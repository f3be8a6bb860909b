"""An assessment's tool with its answers, domain by domain (the task list, the domain pages,
the check page and the record read it), and the tool's suggestion from them as the pages show
it and as a finalised assessment keeps it (G12, G40)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from referrals.models import (
    AssessmentAnswer,
    AssessmentTool,
    RiskAssessment,
    ToolDomain,
    ToolIndicator,
    ToolOutcome,
)
from referrals.scoring import (
    Answer,
    AnswerState,
    IndicatorSpec,
    OutcomeSpec,
    RuleKind,
    Suggestion,
    ToolSpec,
    score,
)

if TYPE_CHECKING:
    from referrals.scoring import Driver


# --- A tool with an assessment's answers ----------------------------------------------------


class DomainStatus:
    COMPLETED = "Completed"
    IN_PROGRESS = "In progress"
    NOT_STARTED = "Not yet started"
    TO_CHECK = "To check: from the referral"


@dataclass(frozen=True)
class AnsweredIndicator:
    indicator: ToolIndicator
    answer: AssessmentAnswer | None
    bands: list[tuple[str, str]]  # the (code, label) of the recency bands it takes

    @property
    def answered(self) -> bool:
        return self.answer is not None and bool(self.answer.state)

    @property
    def needs_recency(self) -> bool:
        """Present, taking recency bands, and none recorded."""
        return (
            self.answer is not None
            and self.answer.state == AnswerState.PRESENT
            and bool(self.bands)
            and not self.answer.recency
        )

    @property
    def awaiting_check(self) -> bool:
        """Suggested from the referral, not yet confirmed or changed by the assessor."""
        return self.answer is not None and self.answer.awaiting_check

    @property
    def recency_label(self) -> str:
        if self.answer is None:
            return ""
        return dict(self.bands).get(self.answer.recency, "")


@dataclass(frozen=True)
class AnsweredDomain:
    domain: ToolDomain
    indicators: list[AnsweredIndicator]

    @property
    def slug(self) -> str:
        return self.domain.code

    @property
    def status(self) -> str:
        if any(i.awaiting_check for i in self.indicators):
            return DomainStatus.TO_CHECK
        if all(i.answered for i in self.indicators):
            return DomainStatus.COMPLETED
        if any(i.answer is not None for i in self.indicators):
            return DomainStatus.IN_PROGRESS
        return DomainStatus.NOT_STARTED

    @property
    def completed(self) -> bool:
        return self.status == DomainStatus.COMPLETED


@dataclass(frozen=True)
class Progress:
    """An assessment's tool, domain by domain, with its answers; and the tool as the scoring
    engine sees it, built from the same rows (no further queries)."""

    domains: list[AnsweredDomain]
    spec: ToolSpec
    outcomes: list[ToolOutcome]

    @property
    def completed(self) -> int:
        return sum(1 for d in self.domains if d.completed)

    @property
    def total(self) -> int:
        return len(self.domains)

    @property
    def all_completed(self) -> bool:
        return self.completed == self.total

    def domain(self, slug: str) -> AnsweredDomain | None:
        return next((d for d in self.domains if d.slug == slug), None)

    def groups(self) -> list[tuple[str, list[AnsweredDomain]]]:
        """The domains under the tool's groups ("The SERA model", a domain of the Framework),
        in order: the task list gives each group its heading."""
        grouped: list[tuple[str, list[AnsweredDomain]]] = []
        for domain in self.domains:
            if not grouped or grouped[-1][0] != domain.domain.group:
                grouped.append((domain.domain.group, []))
            grouped[-1][1].append(domain)
        return grouped

    def after(self, slug: str) -> AnsweredDomain | None:
        slugs = [d.slug for d in self.domains]
        if slug not in slugs or slugs.index(slug) + 1 >= len(slugs):
            return None
        return self.domains[slugs.index(slug) + 1]

    def first_to_do(self) -> AnsweredDomain:
        return next((d for d in self.domains if not d.completed), self.domains[0])

    def items(self) -> list[AnsweredIndicator]:
        return [item for d in self.domains for item in d.indicators]

    @property
    def unanswered(self) -> list[AnsweredIndicator]:
        return [i for i in self.items() if not i.answered]

    @property
    def awaiting_check(self) -> list[AnsweredIndicator]:
        return [i for i in self.items() if i.awaiting_check]

    @property
    def from_referral(self) -> list[AnsweredIndicator]:
        return [i for i in self.items() if i.answer is not None and i.answer.from_referral]

    @property
    def without_recency(self) -> list[AnsweredIndicator]:
        return [i for i in self.items() if i.needs_recency]

    def domain_of(self, item: AnsweredIndicator) -> AnsweredDomain:
        return next(d for d in self.domains if item in d.indicators)

    def answers(self) -> dict[str, Answer]:
        """The answers as the scoring engine takes them (indicators not answered left out)."""
        return {
            i.indicator.code: Answer(i.answer.state, i.answer.recency)
            for i in self.items()
            if i.answer is not None and i.answer.state
        }

    def suggestion(self) -> Suggestion:
        return score(self.spec, self.answers())


def progress_of(assessment: RiskAssessment) -> Progress:
    """The assessment's tool with its answers: five queries, however many indicators."""
    tool = assessment.tool
    domains = list(tool.domains.order_by("position"))
    indicators = list(tool.indicators.order_by("domain__position", "position"))
    bands = list(tool.recency_bands.order_by("position").values_list("code", "label"))
    outcomes = list(tool.outcomes.order_by("rank"))
    answers = {a.indicator_id: a for a in assessment.answers.all()}
    by_domain: dict[int, list[AnsweredIndicator]] = {d.pk: [] for d in domains}
    for indicator in indicators:
        taken = [(code, label) for code, label in bands if code in indicator.recency_bands]
        by_domain[indicator.domain_id].append(
            AnsweredIndicator(indicator, answers.get(indicator.pk), taken)
        )
    spec = _spec(tool, domains, indicators, bands, outcomes)
    return Progress(
        domains=[AnsweredDomain(d, by_domain[d.pk]) for d in domains],
        spec=spec,
        outcomes=outcomes,
    )


def _spec(
    tool: AssessmentTool,
    domains: list[ToolDomain],
    indicators: list[ToolIndicator],
    bands: list[tuple[str, str]],
    outcomes: list[ToolOutcome],
) -> ToolSpec:
    codes = {d.pk: d.code for d in domains}
    return ToolSpec(
        code=tool.code,
        version=tool.version,
        title=tool.title,
        rule=tool.rule,
        recency_bands=tuple(bands),
        outcomes=tuple(
            OutcomeSpec(o.code, o.label, o.rank, o.kind, o.description, o.response)
            for o in outcomes
        ),
        indicators=tuple(
            IndicatorSpec(
                code=i.code,
                text=i.text,
                domain=codes[i.domain_id],
                level=i.level,
                category=i.category,
                recency_bands=tuple(i.recency_bands),
            )
            for i in indicators
        ),
    )


# --- The suggestion as the pages show it (and as a finalised assessment keeps it) -----------


def suggestion_snapshot(spec: ToolSpec, suggestion: Suggestion) -> dict[str, Any]:
    """The suggestion and why, with every label resolved: what the suggestion card shows, and
    what a finalised assessment keeps (`RiskAssessment.suggestion_detail`)."""
    bands = dict(spec.recency_bands)
    if spec.rule["kind"] == RuleKind.POINTS_BANDS:
        signals = {c["code"]: c.get("label", c["code"]) for c in spec.rule["categories"]}
    else:
        signals = {o.code: f"{o.label} signal" for o in spec.outcomes}

    def driver(d: Driver) -> dict[str, Any]:
        return {
            "code": d.code,
            "text": d.text,
            "signals": signals.get(d.signals, d.signals),
            "recency": bands.get(d.recency, ""),
            "points": d.points,
        }

    return {
        "outcome": suggestion.outcome,
        "label": suggestion.label,
        "response": suggestion.response,
        "is_not_enough_information": suggestion.is_not_enough_information,
        "drivers": [driver(d) for d in suggestion.drivers],
        "not_counted": [driver(d) for d in suggestion.not_counted],
        "not_known": len(suggestion.not_known),
        "unanswered": len(suggestion.unanswered),
        "total": suggestion.total,
        "could_be": spec.outcome(suggestion.could_be).label if suggestion.could_be else "",
        "reasons": list(suggestion.reasons),
        "points": spec.rule["kind"] == RuleKind.POINTS_BANDS,
    }
