"""Writes of the CSE2 risk assessment: starting one (from a referral, or as a reassessment),
answering the tool's indicators, and finalising it with the assessor's judged level (G12–G14,
G16, G40). Contributions and information tasks are in `assessment_work`.

The acting officer is passed in and every write is attributed. The views fetch the assessment
through the door (`referrals.assessment_selectors`) first; these functions check the officer's
part again and refuse with PermissionDenied, and refuse what the assessment's state or the
rules do not allow with ValidationError (field → message where a field is at fault).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from cse_portal.lifecycle import attributed, claim_version
from cse_portal.models import Child, Officer
from cse_portal.themes_summary import records_changed
from referrals.assessment_prefill import map_for, prefills
from referrals.assessment_progress import Progress, progress_of, suggestion_snapshot
from referrals.assessment_selectors import can_write_draft
from referrals.assessment_tools import tool_for
from referrals.models import (
    AssessmentAnswer,
    AssessmentStatus,
    Referral,
    RiskAssessment,
    ToolIndicator,
)
from referrals.scoring import AnswerState, OutcomeKind

USED_FORM = "This form has already been used. Go back to the child's record and start again."
FINALISED = "This assessment has been finalised and can no longer be changed."
DRAFT_EXISTS = (
    "Your agency already has a draft assessment of this child. Carry on with it from the "
    "child's record."
)

# The fields of the judgement whose text the assessor writes (G38), with their labels.
JUDGEMENT_TEXT_FIELDS = {
    "judgement_reason": "Your reasons for the level you judge",
    "summary": "What the assessment found",
}


@dataclass(frozen=True)
class AnswerInput:
    state: str  # an AnswerState value, or "" for not yet answered
    recency: str = ""  # a recency band the indicator takes; kept only when present
    note: str = ""


@dataclass(frozen=True)
class Judgement:
    """The assessor's judged level (an outcome code of the tool) and what they write."""

    outcome: str = ""
    reason: str = ""
    summary: str = ""


def locked(assessment: RiskAssessment) -> RiskAssessment:
    """The assessment's row, locked until the transaction ends, with its current state."""
    return RiskAssessment.objects.select_for_update().get(pk=assessment.pk)


def require_draft_writer(assessment: RiskAssessment, by: Officer) -> None:
    if not assessment.is_draft:
        raise ValidationError(FINALISED)
    if not can_write_draft(by, assessment):
        raise PermissionDenied("Only an officer of the assessing agency can change this draft.")


# --- Starting -------------------------------------------------------------------------------


@transaction.atomic
def assessment_create(
    *,
    child: Child,
    by: Officer,
    referral: Referral | None = None,
    creation_key: uuid.UUID | None = None,
    now: datetime | None = None,
) -> RiskAssessment:
    """Start a draft assessment of `child` for the officer's agency, with the tool of the
    child's home authority (G12); from a sent referral about the child, if given. A
    reassessment (G16) names the child's latest finalised assessment.

    The start form's `creation_key` makes starting idempotent: the same key again returns
    the assessment it started.
    """
    if by.agency_id is None:
        raise PermissionDenied("Only an officer of an agency can assess a child.")
    started = _started_with(creation_key, child=child, by=by)
    if started is not None:
        return started
    if referral is not None and (referral.child_id != child.pk or not referral.is_submitted):
        raise ValidationError({"referral": "Choose a sent referral about this child"})
    tool = tool_for(child.home_authority)
    if tool is None:
        raise ValidationError("No assessment tool is loaded. Ask your system administrator.")
    previous = (
        RiskAssessment.objects.filter(child=child, status=AssessmentStatus.FINALISED)
        .order_by("-finalised_at", "-id")
        .first()
    )
    at = now or timezone.now()
    with attributed(by):
        try:
            with transaction.atomic():
                assessment = RiskAssessment.objects.create(
                    child=child,
                    tool=tool,
                    agency_id=by.agency_id,
                    referral=referral,
                    previous=previous,
                    created_by=by,
                    created_at=at,
                    updated_at=at,
                    creation_key=creation_key or uuid.uuid4(),
                )
                if referral is not None:
                    _prefill_from(assessment, referral, now=at)
                return assessment
        except IntegrityError:
            # The same form posted twice at once, or another draft of the agency started.
            started = _started_with(creation_key, child=child, by=by)
            if started is not None:
                return started
            raise ValidationError(DRAFT_EXISTS) from None


def _prefill_from(assessment: RiskAssessment, referral: Referral, *, now: datetime) -> None:
    """The referral's indicators, through the tool's map, as suggested answers awaiting the
    assessor's check (`referrals.assessment_prefill`)."""
    prefill_map = map_for(assessment)
    if prefill_map is None:
        return
    RiskAssessment.objects.filter(pk=assessment.pk).update(prefill_map=prefill_map)
    assessment.prefill_map = prefill_map
    AssessmentAnswer.objects.bulk_create(
        AssessmentAnswer(
            assessment=assessment,
            indicator=p.indicator,
            state=AnswerState.PRESENT,
            recency=p.recency,
            referral_suggestion=p.suggestion,
            awaiting_check=True,
        )
        for p in prefills(referral, prefill_map, now=now)
    )


def _started_with(key: uuid.UUID | None, *, child: Child, by: Officer) -> RiskAssessment | None:
    if key is None:
        return None
    started = RiskAssessment.objects.filter(creation_key=key).first()
    if started is not None and (started.child_id != child.pk or started.agency_id != by.agency_id):
        raise ValidationError(USED_FORM)
    return started


# --- Answering ------------------------------------------------------------------------------


@transaction.atomic
def assessment_save_answers(
    *,
    assessment: RiskAssessment,
    by: Officer,
    answers: dict[str, AnswerInput],
    expected_version: int,
) -> RiskAssessment:
    """Save a draft's answers (keyed by indicator code) unless someone saved it since
    `expected_version` (ConcurrentEditError: nothing is overwritten)."""
    require_draft_writer(assessment, by)
    with attributed(by):
        claim_version(assessment, expected_version, where=Q(status=AssessmentStatus.DRAFT))
        _write_answers(assessment, answers)
        assessment.refresh_from_db()
    return assessment


def _write_answers(assessment: RiskAssessment, answers: dict[str, AnswerInput]) -> None:
    indicators = {i.code: i for i in ToolIndicator.objects.filter(tool_id=assessment.tool_id)}
    unknown = set(answers) - set(indicators)
    if unknown:
        raise ValidationError(f"Unknown indicators: {', '.join(sorted(unknown))}")
    existing = {a.indicator_id: a for a in assessment.answers.all()}
    for code, given in answers.items():
        indicator = indicators[code]
        state, recency, note = _checked(indicator, given)
        current = existing.get(indicator.pk)
        if current is not None and current.awaiting_check:
            # Saved by the assessor from the page that showed it: confirmed, or changed.
            current.awaiting_check = False
            current.state, current.recency, current.note = state, recency, note
            current.save(update_fields=["state", "recency", "note", "awaiting_check"])
        elif current is None:
            if state or note:
                AssessmentAnswer.objects.create(
                    assessment=assessment,
                    indicator=indicator,
                    state=state,
                    recency=recency,
                    note=note,
                )
        elif (current.state, current.recency, current.note) != (state, recency, note):
            current.state, current.recency, current.note = state, recency, note
            current.save(update_fields=["state", "recency", "note"])


def _checked(indicator: ToolIndicator, given: AnswerInput) -> tuple[str, str, str]:
    if given.state not in ["", *AnswerState.values]:
        raise ValidationError(f"Unknown answer for indicator {indicator.code}.")
    # How recently is asked of a present indicator only: radios cannot be cleared, so a band
    # chosen before the answer changed to "not present" is not kept.
    recency = given.recency if given.state == AnswerState.PRESENT else ""
    if recency and recency not in indicator.recency_bands:
        raise ValidationError(f"Indicator {indicator.code} does not take that recency.")
    return given.state, recency, given.note.strip()


# --- Finalising -----------------------------------------------------------------------------


def _indicators(count: int) -> str:
    return "1 indicator" if count == 1 else f"{count} indicators"


def finalisation_problems(
    progress: Progress, judgement: Judgement, *, task_count: int
) -> dict[str, str]:
    """Every rule of finalising at once (G13, G14, G40), so the page shows all that needs
    doing: every indicator answered, how recently for each present one, a judged level, a
    reason where it differs from the suggestion, and, for "not enough information", each
    missing piece of information recorded."""
    problems: dict[str, str] = {}
    unanswered, no_recency = progress.unanswered, progress.without_recency
    if unanswered:
        has = "has" if len(unanswered) == 1 else "have"
        problems[NON_FIELD_ERRORS] = (
            f"{_indicators(len(unanswered))} {has} no answer. Answer every indicator (choose "
            "'Not known' where you do not know) before you finalise."
        )
    elif no_recency:
        problems[NON_FIELD_ERRORS] = (
            f"{_indicators(len(no_recency))} recorded as present "
            f"{'has' if len(no_recency) == 1 else 'have'} no answer to how recently. Choose "
            "how recently for each before you finalise."
        )
    awaiting = progress.awaiting_check
    if awaiting and NON_FIELD_ERRORS not in problems:
        problems[NON_FIELD_ERRORS] = (
            f"{_indicators(len(awaiting))} suggested from the referral "
            f"{'has' if len(awaiting) == 1 else 'have'} not been checked. Open each section "
            "marked “From the referral”, confirm or change the answer, and save it."
        )
    outcomes = {o.code: o for o in progress.outcomes}
    chosen = outcomes.get(judgement.outcome)
    if chosen is None:
        problems["judged_outcome"] = "Select the level you judge"
        return problems
    suggested = progress.suggestion().outcome
    if suggested is not None and chosen.code != suggested and not judgement.reason.strip():
        problems["judgement_reason"] = (
            "Give the reason the level you judge differs from the tool's suggestion"
        )
    if chosen.kind == OutcomeKind.NOT_ENOUGH_INFORMATION and task_count == 0:
        problems["information_tasks"] = (
            "Add each piece of missing information, who will get it and by when, before you "
            "finalise “Not enough information”"
        )
    return problems


@transaction.atomic
def assessment_finalise(
    *,
    assessment: RiskAssessment,
    by: Officer,
    judgement: Judgement,
    expected_version: int,
    now: datetime | None = None,
) -> RiskAssessment:
    """Finalise a draft with the assessor's judged level (G13): the tool's suggestion, and
    why, are kept beside it (G40). After this nothing of it changes."""
    require_draft_writer(assessment, by)
    with attributed(by):
        claim_version(assessment, expected_version, where=Q(status=AssessmentStatus.DRAFT))
        current = locked(assessment)
        progress = progress_of(current)
        task_count = current.information_tasks.count()
        problems = finalisation_problems(progress, judgement, task_count=task_count)
        if problems:
            raise ValidationError(problems)
        suggestion = progress.suggestion()
        outcomes = {o.code: o for o in progress.outcomes}
        at = now or timezone.now()
        RiskAssessment.objects.filter(pk=assessment.pk).update(
            status=AssessmentStatus.FINALISED,
            suggested_outcome=outcomes[str(suggestion.outcome)],
            suggestion_detail=suggestion_snapshot(progress.spec, suggestion),
            judged_outcome=outcomes[judgement.outcome],
            judgement_reason=judgement.reason.strip(),
            summary=judgement.summary.strip(),
            finalised_by=by,
            finalised_at=at,
            updated_at=at,
        )
        assessment.refresh_from_db()
    records_changed([assessment.child_id])
    return assessment
