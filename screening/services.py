"""Writes of the screening tool. The acting officer is passed in; every write is attributed."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cse_portal.lifecycle import ConcurrentEditError, attributed, claim_version
from cse_portal.models import Child, Officer
from screening import rules
from screening.models import (
    Answer,
    CatalogueVersion,
    Indicator,
    Screening,
    ScreeningAdvice,
    ScreeningAnswer,
)
from screening.selectors import can_advise, can_write_draft, current_catalogue

__all__ = [
    "AnswerInput",
    "ConcurrentEditError",
    "screening_advise",
    "screening_create",
    "screening_save_answers",
    "screening_submit",
    "screening_tally",
]


@dataclass(frozen=True)
class AnswerInput:
    answer: str  # an Answer value, or "" for not yet answered
    note: str = ""


def screening_tally(screening: Screening) -> rules.Tally:
    """Count the screening's answers by kind (every indicator of its catalogue counts, so
    indicators without an answer are counted as unanswered)."""
    answers = dict(screening.answers.values_list("indicator_id", "answer"))
    kinds = screening.catalogue.indicators.values_list("pk", "kind")
    return rules.Tally.of((kind, answers.get(pk, "")) for pk, kind in kinds)


@transaction.atomic
def screening_create(
    *,
    child: Child,
    by: Officer,
    answers: dict[str, AnswerInput] | None = None,
    catalogue: CatalogueVersion | None = None,
) -> Screening:
    """Start a draft screening of `child` for the officer's agency, with any answers given
    (keyed by indicator code)."""
    if by.agency_id is None:
        raise PermissionDenied("Only an officer of an agency can screen a child.")
    with attributed(by):
        screening = Screening.objects.create(
            child=child,
            catalogue=catalogue or current_catalogue(),
            agency_id=by.agency_id,
            created_by=by,
        )
        _write_answers(screening, answers or {})
    return screening


@transaction.atomic
def screening_save_answers(
    *,
    screening: Screening,
    by: Officer,
    answers: dict[str, AnswerInput],
    expected_version: int,
) -> Screening:
    """Save a draft's answers unless someone else saved it since `expected_version`.

    The version check and bump are one UPDATE … WHERE, so of two saves at once only one wins;
    the other gets ConcurrentEditError and nothing is overwritten.
    """
    _require_draft_writer(screening, by)
    with attributed(by):
        _claim_draft(screening, expected_version)
        _write_answers(screening, answers)
        screening.refresh_from_db()
    return screening


@transaction.atomic
def screening_submit(
    *,
    screening: Screening,
    by: Officer,
    conclusion: str,
    reason: str,
    expected_version: int,
) -> Screening:
    """Submit a draft with the screener's conclusion (G05). After this nothing changes."""
    _require_draft_writer(screening, by)
    with attributed(by):
        _claim_draft(screening, expected_version)
        tally = screening_tally(screening)
        suggestion = rules.suggest(tally)
        reason = reason.strip()
        _check_conclusion(tally, suggestion, conclusion, reason)
        Screening.objects.filter(pk=screening.pk).update(
            status=Screening.Status.SUBMITTED,
            suggestion=suggestion,
            conclusion=conclusion,
            conclusion_reason=reason,
            submitted_by=by,
            submitted_at=timezone.now(),
            updated_at=timezone.now(),
        )
        screening.refresh_from_db()
    return screening


@transaction.atomic
def screening_advise(*, screening: Screening, by: Officer, text: str) -> ScreeningAdvice:
    """Record the agency CSE lead officer's advice on a submitted screening."""
    if not can_advise(by, screening):
        raise PermissionDenied("Only the screening agency's CSE lead officer can record advice.")
    if not screening.is_submitted:
        raise ValidationError("Advice is recorded on a submitted screening.")
    if not text.strip():
        raise ValidationError({"text": "Enter your advice"})
    with attributed(by):
        return ScreeningAdvice.objects.create(screening=screening, text=text.strip(), given_by=by)


def _require_draft_writer(screening: Screening, by: Officer) -> None:
    if not can_write_draft(by, screening):
        raise PermissionDenied("Only an officer of the screening agency can change a draft.")


def _claim_draft(screening: Screening, expected_version: int) -> None:
    """Claim the draft's version: ConcurrentEditError if someone saved (or submitted) it since."""
    claim_version(screening, expected_version, where=Q(status=Screening.Status.DRAFT))


def _check_conclusion(tally: rules.Tally, suggestion: str, conclusion: str, reason: str) -> None:
    """Every rule of a submission at once, so the page shows all that needs doing (G05)."""
    errors: dict[str, str] = {}
    if tally.unanswered:
        errors[NON_FIELD_ERRORS] = (
            f"{tally.unanswered} indicators have no answer. Go back and answer every indicator "
            "(choose 'Not known' where you do not know) before submitting."
        )
    if conclusion not in rules.Conclusion.values:
        errors["conclusion"] = "Select your conclusion"
    elif rules.reason_required(suggestion, conclusion) and not reason:
        errors["conclusion_reason"] = (
            "Give the reason your conclusion differs from the tool's suggestion"
        )
    if errors:
        raise ValidationError(errors)


def _write_answers(screening: Screening, answers: dict[str, AnswerInput]) -> None:
    indicators = {i.code: i for i in Indicator.objects.filter(version_id=screening.catalogue_id)}
    unknown = set(answers) - set(indicators)
    if unknown:
        raise ValidationError(f"Unknown indicators: {', '.join(sorted(unknown))}")
    existing = {a.indicator_id: a for a in screening.answers.all()}
    for code, given in answers.items():
        if given.answer not in ["", *Answer.values]:
            raise ValidationError(f"Unknown answer for indicator {code}.")
        indicator = indicators[code]
        current = existing.get(indicator.pk)
        if current is None:
            if given.answer or given.note:
                ScreeningAnswer.objects.create(
                    screening=screening, indicator=indicator, answer=given.answer, note=given.note
                )
        elif (current.answer, current.note) != (given.answer, given.note):
            current.answer, current.note = given.answer, given.note
            current.save(update_fields=["answer", "note"])
