"""Writes of children's social care's response to a sent referral: the acknowledgement to the
referrer (G07) and the decision (G08, G09, G10); informing the team manager and the IRO about
a looked-after child (G11) is `looked_after`. Only the receiving CSC's officers record them;
each is recorded once and never changed.

Each rule is written once, in a `*_problems` function that the service applies and the page
asks as well, so its error summary lists every problem at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cse_portal.lifecycle import attributed
from cse_portal.models import Officer
from cse_portal.notifications import notify
from referrals.models import (
    ApprovalMethod,
    Outcome,
    Referral,
    ReferralAcknowledgement,
    ReferralDecision,
)
from referrals.services.common import locked, require_receiving_csc

DECIDING_ROLES = (Officer.Role.SOCIAL_WORKER, Officer.Role.TEAM_MANAGER)


def one_row[R](create: Callable[[], R], what: str) -> R:
    try:
        with transaction.atomic():
            return create()
    except IntegrityError as error:
        raise ValidationError(f"{what} has already been recorded for this referral.") from error


# --- The acknowledgement (G07) --------------------------------------------------------------


@dataclass(frozen=True)
class Acknowledgement:
    """What CSC writes to the referrer: that the referral was received, and the action being
    taken [002 §6]."""

    message: str
    action_being_taken: str


def acknowledgement_problems(*, message: str, action_being_taken: str) -> dict[str, str]:
    problems = {}
    if not message.strip():
        problems["message"] = "Enter the confirmation to send to the referrer"
    if not action_being_taken.strip():
        problems["action_being_taken"] = "Enter the action being taken about the referral"
    return problems


def _acknowledged(referral: Referral) -> bool:
    return ReferralAcknowledgement.objects.filter(referral=referral).exists()


def _create_acknowledgement(
    referral: Referral, by: Officer, agency_id: int, text: Acknowledgement, at: datetime
) -> ReferralAcknowledgement:
    acknowledgement = one_row(
        lambda: ReferralAcknowledgement.objects.create(
            referral=referral,
            message=text.message.strip(),
            action_being_taken=text.action_being_taken.strip(),
            sent_by=by,
            sent_by_agency_id=agency_id,
            sent_at=at,
        ),
        "An acknowledgement",
    )
    notify(
        recipients=[referral.referred_by],
        kind="referral.acknowledged",
        text=f"Children's social care acknowledged your referral {referral.reference}",
        link=referral.get_absolute_url(),
        at=at,
    )
    return acknowledgement


@transaction.atomic
def referral_acknowledge(
    *,
    referral: Referral,
    by: Officer,
    message: str,
    action_being_taken: str,
    now: datetime | None = None,
) -> ReferralAcknowledgement:
    """Record CSC's written confirmation to the referrer (G07): received, and the action
    being taken. Sent now, by the officer recording it."""
    referral = locked(referral)
    agency_id = require_receiving_csc(referral, by)
    problems = acknowledgement_problems(message=message, action_being_taken=action_being_taken)
    if problems:
        raise ValidationError(problems)
    if _acknowledged(referral):
        raise ValidationError("The acknowledgement has already been sent.")
    with attributed(by):
        return _create_acknowledgement(
            referral,
            by,
            agency_id,
            Acknowledgement(message, action_being_taken),
            now or timezone.now(),
        )


# --- The decision (G08, G09, G10) -----------------------------------------------------------


def asks_whether_person_well_evidenced(referral: Referral) -> bool:
    """G10: the decision asks whether the concern about an identified person of concern is
    sufficiently well evidenced when the referral names one and the child was identified. (A
    child not yet identified with an identified person meets the threshold already.)"""
    return referral.names_identified_person and not referral.child_was_unidentified


def meets_threshold_with(referral: Referral, person_well_evidenced: bool | None) -> bool:
    """G10 [002 §8]: the strategy-meeting threshold, with CSC's answer on the evidence."""
    if referral.child_was_unidentified and referral.names_identified_person:
        return True
    return bool(person_well_evidenced) and asks_whether_person_well_evidenced(referral)


def _is_csc(officer: Officer | None, referral: Referral, roles: tuple[str, ...]) -> bool:
    return (
        officer is not None and officer.agency_id == referral.to_agency_id and officer.role in roles
    )


def _threshold_problems(
    referral: Referral,
    outcome: str,
    person_well_evidenced: bool | None,
    evidence_judged_by: Officer | None,
    threshold_not_met_reason: str,
) -> dict[str, str]:
    problems = {}
    if asks_whether_person_well_evidenced(referral):
        if person_well_evidenced is None:
            problems["person_well_evidenced"] = (
                "Select whether the concern about the identified person of concern is "
                "sufficiently well evidenced"
            )
        if not _is_csc(evidence_judged_by, referral, DECIDING_ROLES):
            problems["evidence_judged_by"] = "Select who judged the evidence"
    if (
        outcome == Outcome.EARLY_HELP
        and meets_threshold_with(referral, person_well_evidenced)
        and not threshold_not_met_reason.strip()
    ):
        problems["threshold_not_met_reason"] = (
            "Enter why the threshold for children's social care is not met although the "
            "referral meets the strategy-meeting threshold"
        )
    return problems


def decision_problems(
    referral: Referral,
    *,
    outcome: str,
    rationale: str,
    decided_by: Officer | None,
    approved_by: Officer | None,
    person_well_evidenced: bool | None = None,
    evidence_judged_by: Officer | None = None,
    threshold_not_met_reason: str = "",
    acknowledgement: Acknowledgement | None = None,
) -> dict[str, str]:
    """Exactly one of the three outcomes, its reasons, a social worker (or team manager) of
    the receiving CSC who decided, and a team manager of it who approved; on a referral that
    names an identified person, the judgement of the evidence (G10); and, when the
    acknowledgement has not been sent yet, the acknowledgement to send with the decision."""
    problems = {}
    if outcome not in Outcome.values:
        problems["outcome"] = "Select the decision"
    if not rationale.strip():
        problems["rationale"] = "Enter the reasons for the decision"
    if not _is_csc(decided_by, referral, DECIDING_ROLES):
        problems["decided_by"] = "Select the social worker who made the decision"
    if not _is_csc(approved_by, referral, (Officer.Role.TEAM_MANAGER,)):
        problems["approved_by"] = "Select the team manager who approved the decision"
    problems.update(
        _threshold_problems(
            referral, outcome, person_well_evidenced, evidence_judged_by, threshold_not_met_reason
        )
    )
    if acknowledgement is not None:
        problems.update(
            acknowledgement_problems(
                message=acknowledgement.message,
                action_being_taken=acknowledgement.action_being_taken,
            )
        )
    return problems


@transaction.atomic
def referral_decide(
    *,
    referral: Referral,
    by: Officer,
    outcome: str,
    rationale: str,
    decided_by: Officer | None,
    approved_by: Officer | None,
    person_well_evidenced: bool | None = None,
    evidence_judged_by: Officer | None = None,
    threshold_not_met_reason: str = "",
    acknowledgement: Acknowledgement | None = None,
    now: datetime | None = None,
) -> ReferralDecision:
    """Record the decision: exactly one of the three outcomes (G09), with its rationale, the
    social worker who decided and the team manager who approved — signed in, when they record
    it themselves, or verbally, recorded by `by` (the record says which).

    The acknowledgement comes first (G07): if it has not been sent, `acknowledgement` is sent
    with the decision, in the same transaction; without it, the decision is refused.
    """
    referral = locked(referral)
    agency_id = require_receiving_csc(referral, by)
    acknowledged = _acknowledged(referral)
    answers: dict[str, Any] = {
        "outcome": outcome,
        "rationale": rationale,
        "decided_by": decided_by,
        "approved_by": approved_by,
        "person_well_evidenced": person_well_evidenced,
        "evidence_judged_by": evidence_judged_by,
        "threshold_not_met_reason": threshold_not_met_reason,
    }
    problems = decision_problems(
        referral, **answers, acknowledgement=None if acknowledged else acknowledgement
    )
    if problems or decided_by is None or approved_by is None:  # None has a problem too
        raise ValidationError(problems)
    if not acknowledged and acknowledgement is None:
        raise ValidationError(
            "Send the acknowledgement to the referrer first, or send it with the decision."
        )
    if ReferralDecision.objects.filter(referral=referral).exists():
        raise ValidationError("A decision has already been recorded for this referral.")
    at = now or timezone.now()
    with attributed(by):
        if not acknowledged and acknowledgement is not None:
            _create_acknowledgement(referral, by, agency_id, acknowledgement, at)
        return _create_decision(referral, by, agency_id, answers, at)


def _create_decision(
    referral: Referral, by: Officer, agency_id: int, answers: dict[str, Any], at: datetime
) -> ReferralDecision:
    asked = asks_whether_person_well_evidenced(referral)
    evidenced = answers["person_well_evidenced"] if asked else None
    approved_by = answers["approved_by"]
    decision = one_row(
        lambda: ReferralDecision.objects.create(
            referral=referral,
            outcome=answers["outcome"],
            rationale=answers["rationale"].strip(),
            decided_by=answers["decided_by"],
            approved_by=approved_by,
            approval_method=ApprovalMethod.SIGNED_IN
            if approved_by.pk == by.pk
            else ApprovalMethod.VERBAL,
            recorded_by=by,
            agency_id=agency_id,
            decided_at=at,
            person_well_evidenced=evidenced,
            evidence_judged_by=answers["evidence_judged_by"] if asked else None,
            met_threshold=meets_threshold_with(referral, evidenced),
            threshold_not_met_reason=answers["threshold_not_met_reason"].strip()
            if answers["outcome"] == Outcome.EARLY_HELP
            else "",
        ),
        "A decision",
    )
    notify(
        recipients=[referral.referred_by],
        kind="referral.decided",
        text=f"Children's social care recorded its decision on your referral {referral.reference}",
        link=referral.get_absolute_url(),
        at=at,
    )
    return decision
