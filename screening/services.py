"""Writes of the screening tool. The acting officer is passed in; every write is attributed."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from cse_portal.lifecycle import ConcurrentEditError, attributed, claim_version
from cse_portal.models import Child, Officer
from cse_portal.notifications import notify
from cse_portal.themes_summary import records_changed
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
    "FollowUp",
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


@dataclass(frozen=True)
class FollowUp:
    """Who will find out what is not known, and by when (G40)."""

    by: str = ""
    due: date | None = None


USED_FORM = "This form has already been used. Go back to the child's record and start again."


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
    creation_key: uuid.UUID | None = None,
) -> Screening:
    """Start a draft screening of `child` for the officer's agency, with any answers given
    (keyed by indicator code).

    The start form's `creation_key` makes starting idempotent: the same key again (a double
    click, a re-posted form, two posts at once) returns the screening it started, answers
    as they are.
    """
    if by.agency_id is None:
        raise PermissionDenied("Only an officer of an agency can screen a child.")
    started = _started_with(creation_key, child=child, by=by)
    if started is not None:
        return started
    with attributed(by):
        try:
            with transaction.atomic():
                screening = Screening.objects.create(
                    child=child,
                    catalogue=catalogue or current_catalogue(),
                    agency_id=by.agency_id,
                    created_by=by,
                    creation_key=creation_key,
                )
        except IntegrityError:
            # The same form posted twice at once: the other post started it (the unique key
            # made this insert wait for it, then refused).
            started = _started_with(creation_key, child=child, by=by)
            if started is None:
                raise
            return started
        _write_answers(screening, answers or {})
    return screening


def _started_with(key: uuid.UUID | None, *, child: Child, by: Officer) -> Screening | None:
    if key is None:
        return None
    started = Screening.objects.filter(creation_key=key).first()
    if started is not None and (started.child_id != child.pk or started.agency_id != by.agency_id):
        raise ValidationError(USED_FORM)
    return started


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
    follow_up: FollowUp | None = None,
) -> Screening:
    """Submit a draft with the screener's conclusion (G05). After this nothing changes.

    A conclusion of "no CSE concern" while indicators are not known needs a reason and a
    follow-up: who will find out what is not known, by when (G40).
    """
    _require_draft_writer(screening, by)
    with attributed(by):
        _claim_draft(screening, expected_version)
        tally = screening_tally(screening)
        suggestion = rules.suggest(tally)
        reason = reason.strip()
        follow_up = _check_conclusion(tally, suggestion, conclusion, reason, follow_up)
        Screening.objects.filter(pk=screening.pk).update(
            status=Screening.Status.SUBMITTED,
            suggestion=suggestion,
            conclusion=conclusion,
            conclusion_reason=reason,
            not_known_count=tally.not_known,
            follow_up_by=follow_up.by,
            follow_up_due=follow_up.due,
            submitted_by=by,
            submitted_at=timezone.now(),
            updated_at=timezone.now(),
        )
        screening.refresh_from_db()
    records_changed([screening.child_id])
    if conclusion == rules.Conclusion.DISCUSS:
        _tell_lead_officers(screening, by)
    return screening


def _tell_lead_officers(screening: Screening, by: Officer) -> None:
    """A screening to discuss with the lead officer: the agency's CSE lead officers are told
    that it awaits their advice (the screening's page, behind the door, says the rest)."""
    leads = Officer.objects.filter(agency_id=screening.agency_id, is_cse_lead=True, is_active=True)
    notify(
        recipients=[lead for lead in leads if lead.pk != by.pk],
        kind="screening.awaiting_advice",
        text="A screening of your agency awaits your advice",
        link=screening.get_absolute_url(),
    )


@transaction.atomic
def screening_advise(
    *, screening: Screening, by: Officer, text: str, creation_key: uuid.UUID | None = None
) -> ScreeningAdvice:
    """Record the agency CSE lead officer's advice on a submitted screening.

    The advice form's `creation_key` makes it idempotent: the same form posted twice, or at
    once, records the advice once (further advice is a further form, with its own key).
    """
    if not can_advise(by, screening):
        raise PermissionDenied("Only the screening agency's CSE lead officer can record advice.")
    if not screening.is_submitted:
        raise ValidationError("Advice is recorded on a submitted screening.")
    given = _advice_with(creation_key, screening=screening)
    if given is not None:
        return given
    if not text.strip():
        raise ValidationError({"text": "Enter your advice"})
    with attributed(by):
        try:
            with transaction.atomic():
                advice = ScreeningAdvice.objects.create(
                    screening=screening, text=text.strip(), given_by=by, creation_key=creation_key
                )
        except IntegrityError:
            given = _advice_with(creation_key, screening=screening)
            if given is None:
                raise
            return given
    notify(
        recipients=[screening.submitted_by] if screening.submitted_by_id != by.pk else [],
        kind="screening.advice_given",
        text="Your lead officer gave advice on a screening you submitted",
        link=screening.get_absolute_url(),
    )
    return advice


def _advice_with(key: uuid.UUID | None, *, screening: Screening) -> ScreeningAdvice | None:
    if key is None:
        return None
    given = ScreeningAdvice.objects.filter(creation_key=key).first()
    if given is not None and given.screening_id != screening.pk:
        raise ValidationError(USED_FORM)
    return given


def _require_draft_writer(screening: Screening, by: Officer) -> None:
    if not can_write_draft(by, screening):
        raise PermissionDenied("Only an officer of the screening agency can change a draft.")


def _claim_draft(screening: Screening, expected_version: int) -> None:
    """Claim the draft's version: ConcurrentEditError if someone saved (or submitted) it since."""
    claim_version(screening, expected_version, where=Q(status=Screening.Status.DRAFT))


def _check_conclusion(
    tally: rules.Tally,
    suggestion: str | None,
    conclusion: str,
    reason: str,
    follow_up: FollowUp | None,
) -> FollowUp:
    """Every rule of a submission at once, so the page shows all that needs doing (G05, G40).
    Returns the follow-up to record: only with "no CSE concern" while indicators are not known.
    """
    errors: dict[str, str] = {}
    if tally.unanswered:
        errors[NON_FIELD_ERRORS] = (
            f"{tally.unanswered} indicators have no answer. Go back and answer every indicator "
            "(choose 'Not known' where you do not know) before submitting."
        )
    if conclusion not in rules.Conclusion.values:
        errors["conclusion"] = "Select your conclusion"
    elif suggestion is not None and not reason:
        if rules.follow_up_required(conclusion, not_known=tally.not_known):
            errors["conclusion_reason"] = (
                "Give your reasons for concluding there is no CSE concern while "
                f"{_indicators(tally.not_known)} not known"
            )
        elif rules.reason_required(suggestion, conclusion):
            errors["conclusion_reason"] = (
                "Give the reason your conclusion differs from the tool's suggestion"
            )
    if not rules.follow_up_required(conclusion, not_known=tally.not_known):
        if errors:
            raise ValidationError(errors)
        return FollowUp()
    follow_up = FollowUp(by=(follow_up or FollowUp()).by.strip(), due=(follow_up or FollowUp()).due)
    if not follow_up.by:
        errors["follow_up_by"] = "Enter who will find out what is not known: a person or agency"
    if follow_up.due is None:
        errors["follow_up_due"] = "Enter the date by which they will find out"
    elif follow_up.due < timezone.localdate():
        errors["follow_up_due"] = "The date to find out by must be today or in the future"
    if errors:
        raise ValidationError(errors)
    return follow_up


def _indicators(count: int) -> str:
    return "1 indicator is" if count == 1 else f"{count} indicators are"


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
