"""Risk assessments made through the real services, for the tests of the assessment records
(and for the URL access tests: `route_kwargs.py`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from cse_portal.models import Agency, Child, LocalAuthority, Officer
from referrals import services
from referrals.assessment_prefill import SHIPPED_MAPS, load_map, read_map
from referrals.assessment_tools import SHIPPED_FILES, load_tool, read_tool
from referrals.models import (
    AssessmentInformationTask,
    AssessmentTool,
    AuthorityAssessmentTool,
    Referral,
    RiskAssessment,
    ToolDomain,
    ToolIndicator,
    ToolOutcome,
    ToolPrefillLink,
    ToolPrefillMap,
    ToolRecencyBand,
)
from referrals.services import AnswerInput, Judgement, TaskInput

# SERA v1's codes used in the tests: a low, a medium and a high signal.
LOW, MEDIUM, HIGH = "L-01", "M-01", "H-01"


def ensure_tools() -> None:
    """The shipped tools, loaded by the data migration; loaded again if a flushing test (a
    browser test's live server) removed them."""
    models = (AssessmentTool, ToolRecencyBand, ToolOutcome, ToolDomain, ToolIndicator)
    for path in SHIPPED_FILES:
        load_tool(read_tool(path), models=models)
    ensure_prefill_maps()


def ensure_prefill_maps() -> None:
    """The shipped maps from the SAFEGUARD indicators (after the tools and the catalogue)."""
    from screening.models import Indicator
    from tests.screening.factories import ensure_catalogue

    ensure_catalogue()
    models = (AssessmentTool, ToolIndicator, ToolPrefillMap, ToolPrefillLink, Indicator)
    for path in SHIPPED_MAPS:
        load_map(read_map(path), models=models)


@pytest.fixture(autouse=True)
def shipped_tools(db: None) -> None:
    """Imported by each test module of the assessment records: the tools are there even after
    a browser test's live server flushed the database."""
    ensure_tools()


def tool(code: str = "sera") -> AssessmentTool:
    ensure_tools()
    return AssessmentTool.objects.filter(code=code).order_by("-version").first()


def choose_tool(authority: LocalAuthority, code: str, *, by: Officer) -> None:
    AuthorityAssessmentTool.objects.update_or_create(
        local_authority=authority, defaults={"tool": tool(code), "chosen_by": by}
    )


def all_answers(
    assessment: RiskAssessment,
    present: Mapping[str, str] | None = None,
    *,
    not_known: Iterable[str] = (),
    unanswered: Iterable[str] = (),
    notes: Mapping[str, str] | None = None,
) -> dict[str, AnswerInput]:
    """An answer for every indicator of the assessment's tool: `present` (code → recency),
    `not_known`, `unanswered` left out, and every other one not present."""
    present, notes = present or {}, notes or {}
    not_known, unanswered = set(not_known), set(unanswered)
    result = {}
    for code in assessment.tool.indicators.values_list("code", flat=True):
        if code in unanswered:
            continue
        state = (
            "present" if code in present else "not_known" if code in not_known else "not_present"
        )
        result[code] = AnswerInput(
            state=state, recency=present.get(code, ""), note=notes.get(code, "")
        )
    return result


def answer(
    assessment: RiskAssessment, by: Officer, answers: dict[str, AnswerInput]
) -> RiskAssessment:
    return services.assessment_save_answers(
        assessment=assessment, by=by, answers=answers, expected_version=assessment.version
    )


def outcome(assessment: RiskAssessment, code: str) -> ToolOutcome:
    return ToolOutcome.objects.get(tool=assessment.tool, code=code)


def make_assessment(
    *,
    child: Child,
    by: Officer,
    present: Mapping[str, str] | None = None,
    not_known: Iterable[str] = (),
    referral: Referral | None = None,
    judged: str = "",
    reason: str = "",
    tasks: Iterable[TaskInput] = (),
    contributors: Iterable[Officer] = (),
    now: datetime | None = None,
) -> RiskAssessment:
    """A draft with every indicator answered (`present` ones with their recency); finalised
    with the `judged` level (an outcome code) if given, after the `tasks` and the
    contributions of `contributors` (each of whose agency is asked first)."""
    ensure_tools()
    at = now or timezone.now()
    assessment = services.assessment_create(child=child, by=by, referral=referral, now=at)
    answer(assessment, by, all_answers(assessment, present or {}, not_known=not_known))
    assessment.refresh_from_db()
    for contributor in contributors:
        assert contributor.agency is not None
        services.assessment_invite(assessment=assessment, by=by, agencies=[contributor.agency])
        services.assessment_contribute(
            assessment=assessment, by=contributor, text=f"What {contributor.agency} knows."
        )
    for task in tasks:
        services.assessment_task_add(assessment=assessment, by=by, task=task, now=at)
    if judged:
        assessment.refresh_from_db()
        assessment = services.assessment_finalise(
            assessment=assessment,
            by=by,
            judgement=Judgement(outcome=judged, reason=reason),
            expected_version=assessment.version,
            now=at,
        )
    return assessment


def a_task(*, agency: Agency | None = None, name: str = "", due: date | None = None) -> TaskInput:
    return TaskInput(
        information="Whether the child attended the clinic appointment",
        agency=agency,
        name=name or ("" if agency else "Sam Patel, school nurse"),
        due=due or timezone.localdate() + timedelta(days=7),
    )


def overdue(task: AssessmentInformationTask, days: int = 3) -> None:
    """Move a task's due date into the past, as time passing would (the table allows it while
    the assessment is a draft; tests do this before finalising)."""
    AssessmentInformationTask.objects.filter(pk=task.pk).update(
        due=timezone.localdate() - timedelta(days=days)
    )
