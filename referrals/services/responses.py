"""Writes of children's social care's response to a sent referral: the acknowledgement to the
referrer (G07), the decision (G09), and informing the team manager and the IRO about a
looked-after child (G11). Only the receiving CSC's officers record them; each is recorded
once and never changed.

Each rule is written once, in a `*_problems` function that the service applies and the page
asks as well, so its error summary lists every problem at once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cse_portal.lifecycle import attributed
from cse_portal.models import LookedAfterStatus, Officer
from referrals.models import (
    LookedAfterNotice,
    Outcome,
    Referral,
    ReferralAcknowledgement,
    ReferralDecision,
)
from referrals.services.common import locked, require_receiving_csc

DECIDING_ROLES = (Officer.Role.SOCIAL_WORKER, Officer.Role.TEAM_MANAGER)


def _one_row[R](create: Callable[[], R], what: str) -> R:
    try:
        with transaction.atomic():
            return create()
    except IntegrityError as error:
        raise ValidationError(f"{what} has already been recorded for this referral.") from error


# --- The acknowledgement (G07) --------------------------------------------------------------


def acknowledgement_problems(*, message: str, action_being_taken: str) -> dict[str, str]:
    problems = {}
    if not message.strip():
        problems["message"] = "Enter the confirmation to send to the referrer"
    if not action_being_taken.strip():
        problems["action_being_taken"] = "Enter the action being taken about the referral"
    return problems


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
    if ReferralAcknowledgement.objects.filter(referral=referral).exists():
        raise ValidationError("The acknowledgement has already been sent.")
    with attributed(by):
        return _one_row(
            lambda: ReferralAcknowledgement.objects.create(
                referral=referral,
                message=message.strip(),
                action_being_taken=action_being_taken.strip(),
                sent_by=by,
                sent_by_agency_id=agency_id,
                sent_at=now or timezone.now(),
            ),
            "An acknowledgement",
        )


# --- The decision (G08, G09) ----------------------------------------------------------------


def decision_problems(
    referral: Referral,
    *,
    outcome: str,
    rationale: str,
    decided_by: Officer | None,
    approved_by: Officer | None,
) -> dict[str, str]:
    """Exactly one of the three outcomes, its reasons, a social worker (or team manager) of
    the receiving CSC who decided, and a team manager of it who approved."""
    problems = {}
    if outcome not in Outcome.values:
        problems["outcome"] = "Select the decision"
    if not rationale.strip():
        problems["rationale"] = "Enter the reasons for the decision"
    if (
        decided_by is None
        or decided_by.agency_id != referral.to_agency_id
        or decided_by.role not in DECIDING_ROLES
    ):
        problems["decided_by"] = "Select the social worker who made the decision"
    if (
        approved_by is None
        or approved_by.agency_id != referral.to_agency_id
        or approved_by.role != Officer.Role.TEAM_MANAGER
    ):
        problems["approved_by"] = "Select the team manager who approved the decision"
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
    now: datetime | None = None,
) -> ReferralDecision:
    """Record the decision: exactly one of the three outcomes (G09), with its rationale, the
    social worker who decided and the team manager who approved."""
    referral = locked(referral)
    agency_id = require_receiving_csc(referral, by)
    problems = decision_problems(
        referral,
        outcome=outcome,
        rationale=rationale,
        decided_by=decided_by,
        approved_by=approved_by,
    )
    if problems or decided_by is None or approved_by is None:  # None has a problem too
        raise ValidationError(problems)
    if ReferralDecision.objects.filter(referral=referral).exists():
        raise ValidationError("A decision has already been recorded for this referral.")
    with attributed(by):
        return _one_row(
            lambda: ReferralDecision.objects.create(
                referral=referral,
                outcome=outcome,
                rationale=rationale.strip(),
                decided_by=decided_by,
                approved_by=approved_by,
                recorded_by=by,
                agency_id=agency_id,
                decided_at=now or timezone.now(),
            ),
            "A decision",
        )


# --- Informing the team manager and the IRO (G11) -------------------------------------------


def looked_after_notice_problems(
    referral: Referral,
    *,
    team_manager: Officer | None,
    informed_at: datetime | None,
    method: str,
    iro: Officer | None = None,
    iro_name: str = "",
) -> dict[str, str]:
    """A team manager of the receiving CSC, the IRO (an officer or a name), how, and a time
    between the referral's receipt and now. A time not given is the form's to ask for."""
    problems = {}
    if (
        team_manager is None
        or team_manager.agency_id != referral.to_agency_id
        or team_manager.role != Officer.Role.TEAM_MANAGER
    ):
        problems["team_manager"] = "Select the team manager you informed"
    if iro is not None and iro.role != Officer.Role.IRO:
        problems["iro"] = "Select the independent reviewing officer you informed"
    if iro is None and not iro_name.strip():
        problems["iro"] = "Select the independent reviewing officer, or enter their name"
    if method not in LookedAfterNotice.Method.values:
        problems["method"] = "Select how you informed them"
    when = _informed_at_problem(referral, informed_at) if informed_at is not None else None
    if when:
        problems["informed_on"] = when
    return problems


def _informed_at_problem(referral: Referral, informed_at: datetime) -> str | None:
    if informed_at > timezone.now():
        return "The date and time must be now or in the past"
    received = referral.received_at
    if received and informed_at < received.replace(second=0, microsecond=0):
        return "The date and time must be after the referral was received"
    return None


@transaction.atomic
def referral_record_looked_after_notice(
    *,
    referral: Referral,
    by: Officer,
    team_manager: Officer | None,
    informed_at: datetime,
    method: str,
    iro: Officer | None = None,
    iro_name: str = "",
    detail: str = "",
) -> LookedAfterNotice:
    """Record that the team manager and the IRO were informed of a referral about a
    looked-after child (G11)."""
    referral = locked(referral)
    require_receiving_csc(referral, by)
    if referral.looked_after_status_at_submission != LookedAfterStatus.LOOKED_AFTER:
        raise ValidationError("The child was not looked after when the referral was sent.")
    problems = looked_after_notice_problems(
        referral,
        team_manager=team_manager,
        informed_at=informed_at,
        method=method,
        iro=iro,
        iro_name=iro_name,
    )
    if problems or team_manager is None:  # None has a problem too
        raise ValidationError(problems)
    if LookedAfterNotice.objects.filter(referral=referral).exists():
        raise ValidationError("This has already been recorded for this referral.")
    with attributed(by):
        return _one_row(
            lambda: LookedAfterNotice.objects.create(
                referral=referral,
                team_manager=team_manager,
                iro=iro,
                iro_name="" if iro else iro_name.strip(),
                informed_at=informed_at,
                method=method,
                detail=detail.strip(),
                recorded_by=by,
            ),
            "Informing the team manager and the IRO",
        )
