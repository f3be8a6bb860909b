"""Reads of CSE2 risk assessments that the pages share, the door to an assessment, and who may
do what to one.

A draft belongs to its assessing agency: other agencies involved with the child neither see
nor open it (404) — except an agency the assessing agency asked for a contribution, which
opens it to add one (G15). A finalised assessment is seen by every agency involved with the
child. Each permission rule is one predicate here, used by views, services and templates.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from cse_portal.access import case_objects_visible_to, get_case_object_for
from cse_portal.lifecycle import openable_by
from cse_portal.models import Agency, Child, Involvement, Officer
from referrals.models import (
    AssessmentAnswer,
    AssessmentContribution,
    AssessmentInformationTask,
    AssessmentInvitation,
    AssessmentStatus,
    AssessmentTool,
    Referral,
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

# --- The door -------------------------------------------------------------------------------


def _invited(agency_id: int) -> Exists:
    return Exists(
        AssessmentInvitation.objects.filter(assessment=OuterRef("pk"), agency_id=agency_id)
    )


def assessments_openable_by(officer: Officer | AnonymousUser) -> QuerySet[RiskAssessment]:
    """Finalised assessments, drafts of the officer's own agency, and drafts the officer's
    agency was asked to contribute to (not yet child-filtered: pass through the access layer)."""
    own = openable_by(
        officer,
        RiskAssessment.objects.all(),
        agency_field="agency",
        final_values=(AssessmentStatus.FINALISED,),
    )
    agency_id = getattr(officer, "agency_id", None)
    if agency_id is not None:
        own = own | RiskAssessment.objects.filter(
            _invited(agency_id), status=AssessmentStatus.DRAFT
        )
    return own.select_related(
        "child",
        "agency",
        "tool",
        "created_by",
        "finalised_by",
        "judged_outcome",
        "suggested_outcome",
        "referral",
        "previous__judged_outcome",
    )


def get_assessment_for(
    officer: Officer | AnonymousUser, pk: object, *, child_pk: object
) -> RiskAssessment:
    """The assessment `pk` of child `child_pk` if the officer may open it; else 404."""
    return get_case_object_for(officer, assessments_openable_by(officer), pk, child_pk=child_pk)


def is_assessor(officer: Officer | AnonymousUser, assessment: RiskAssessment) -> bool:
    agency_id = getattr(officer, "agency_id", None)
    return agency_id is not None and agency_id == assessment.agency_id


def can_write_draft(officer: Officer | AnonymousUser, assessment: RiskAssessment) -> bool:
    """The assessing agency's officers answer, judge and finalise a draft."""
    return assessment.is_draft and is_assessor(officer, assessment)


def is_invited(officer: Officer | AnonymousUser, assessment: RiskAssessment) -> bool:
    agency_id = getattr(officer, "agency_id", None)
    if agency_id is None or is_assessor(officer, assessment):
        return False
    return assessment.invitations.filter(agency_id=agency_id).exists()


def can_contribute(officer: Officer | AnonymousUser, assessment: RiskAssessment) -> bool:
    """While it is a draft: the assessing agency, and the agencies it asked."""
    return assessment.is_draft and (
        is_assessor(officer, assessment) or is_invited(officer, assessment)
    )


def can_mark_task_done(officer: Officer, task: AssessmentInformationTask) -> bool:
    """A task of a finalised assessment, not yet done, is marked done by the assessing agency
    or by whoever was to get the information (their agency)."""
    if task.is_done or not task.assessment.is_finalised or officer.agency_id is None:
        return False
    agencies = {task.assessment.agency_id, task.responsible_agency_id}
    if task.responsible_officer is not None:
        agencies.add(task.responsible_officer.agency_id)
    return officer.agency_id in agencies


# --- The child's assessments -----------------------------------------------------------------


def _with_flags(qs: QuerySet[RiskAssessment]) -> QuerySet[RiskAssessment]:
    """What the lists show without a query per row: whether another agency contributed (G15),
    the open and overdue information tasks (G14)."""
    today = timezone.localdate()
    return qs.annotate(
        other_agency_contributed=Exists(
            AssessmentContribution.objects.filter(assessment=OuterRef("pk")).exclude(
                agency_id=OuterRef("agency_id")
            )
        ),
        open_tasks=Count(
            "information_tasks", filter=Q(information_tasks__done_at__isnull=True), distinct=True
        ),
        overdue_tasks=Count(
            "information_tasks",
            filter=Q(information_tasks__done_at__isnull=True, information_tasks__due__lt=today),
            distinct=True,
        ),
    )


def assessments_of_child(child: Child, officer: Officer) -> QuerySet[RiskAssessment]:
    """The child's assessments the officer may open, newest first."""
    return (
        _with_flags(case_objects_visible_to(officer, assessments_openable_by(officer)))
        .filter(child=child)
        .order_by("-created_at", "-id")
    )


def finalised_of_child(child: Child, officer: Officer) -> list[RiskAssessment]:
    """The child's finalised assessments in the order they were finalised (G16)."""
    return list(
        case_objects_visible_to(officer, assessments_openable_by(officer))
        .filter(child=child, status=AssessmentStatus.FINALISED)
        .order_by("finalised_at", "id")
    )


def own_draft_of(child: Child, officer: Officer) -> RiskAssessment | None:
    if officer.agency_id is None:
        return None
    return RiskAssessment.objects.filter(
        child=child, agency_id=officer.agency_id, status=AssessmentStatus.DRAFT
    ).first()


def referrals_to_start_from(child: Child, officer: Officer) -> list[Referral]:
    """The child's sent referrals (every involved agency may open them), newest first."""
    return list(
        case_objects_visible_to(officer, Referral.objects.submitted())
        .filter(child=child)
        .select_related("referring_agency")
        .order_by("-received_at", "-id")
    )


def involved_agencies(child: Child) -> list[Agency]:
    """The agencies involved with the child now (an involvement not ended)."""
    involved = Involvement.objects.filter(child=child, ended_at__isnull=True).values("agency_id")
    return list(Agency.objects.filter(pk__in=involved).order_by("name"))


def officers_of(agencies: Iterable[Agency]) -> QuerySet[Officer]:
    return (
        Officer.objects.filter(agency__in=list(agencies), is_active=True)
        .select_related("agency")
        .order_by("agency__name", "last_name", "first_name")
    )


def contributions_of(assessment: RiskAssessment) -> list[AssessmentContribution]:
    return list(assessment.contributions.select_related("agency", "officer"))


def invitations_of(assessment: RiskAssessment) -> list[AssessmentInvitation]:
    return list(assessment.invitations.select_related("agency", "invited_by"))


def tasks_of(assessment: RiskAssessment) -> list[AssessmentInformationTask]:
    return list(
        assessment.information_tasks.select_related(
            "assessment",
            "responsible_agency",
            "responsible_officer",
            "responsible_officer__agency",
            "created_by",
            "done_by",
        ).order_by("due", "id")
    )


def contributing_agencies(
    assessment: RiskAssessment, contributions: list[AssessmentContribution]
) -> list[Agency]:
    """The assessing agency, then every other agency that added a contribution (G15)."""
    agencies = {assessment.agency_id: assessment.agency}
    for contribution in contributions:
        agencies.setdefault(contribution.agency_id, contribution.agency)
    return list(agencies.values())


# --- A tool with an assessment's answers ----------------------------------------------------


class DomainStatus:
    COMPLETED = "Completed"
    IN_PROGRESS = "In progress"
    NOT_STARTED = "Not yet started"


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


# --- Reassessment (G16) ---------------------------------------------------------------------

REASSESS_EVERY_MONTHS = 3


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it has no such day)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class NextDue:
    due: date
    overdue: bool


def next_assessment_due(finalised: list[RiskAssessment]) -> NextDue | None:
    """When the child's next assessment is due: three months after the latest finalised one,
    while the case is open. The portal records no case closure yet, so every child with a
    finalised assessment has a next one due."""
    if not finalised:
        return None
    latest = max(finalised, key=lambda a: (a.finalised_at, a.pk))
    assert latest.finalised_at is not None  # finalised (a check constraint)
    due = add_months(timezone.localtime(latest.finalised_at).date(), REASSESS_EVERY_MONTHS)
    return NextDue(due=due, overdue=due < timezone.localdate())
