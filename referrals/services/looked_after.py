"""Informing the team manager and the IRO of a referral about a looked-after child, and the
outcome of their discussion (G11). Only the receiving CSC's officers record it; recorded once
and never changed."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cse_portal.lifecycle import attributed
from cse_portal.models import LookedAfterStatus, Officer
from referrals.models import LookedAfterNotice, Referral
from referrals.services.common import locked, require_receiving_csc
from referrals.services.responses import one_row


def looked_after_notice_problems(
    referral: Referral,
    *,
    team_manager: Officer | None,
    informed_at: datetime | None,
    method: str,
    iro: Officer | None = None,
    iro_name: str = "",
    bring_lac_review_forward: bool | None = None,
    combine_with_strategy_meeting: bool | None = None,
) -> dict[str, str]:
    """A team manager of the receiving CSC, the IRO (an officer or a name), how, a time
    between the referral's receipt and now, and the outcome of the team manager's and the
    IRO's discussion: bring the LAC review forward or not and, if so, combine it with the
    strategy meeting or not [002 §7]. A time not given is the form's to ask for."""
    problems = _discussion_problems(bring_lac_review_forward, combine_with_strategy_meeting)
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


def _discussion_problems(bring_forward: bool | None, combine: bool | None) -> dict[str, str]:
    if bring_forward is None:
        return {"bring_lac_review_forward": "Select whether the LAC review will be brought forward"}
    if bring_forward and combine is None:
        return {
            "combine_with_strategy_meeting": (
                "Select whether the LAC review will be combined with the strategy meeting"
            )
        }
    return {}


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
    bring_lac_review_forward: bool | None = None,
    combine_with_strategy_meeting: bool | None = None,
    detail: str = "",
    now: datetime | None = None,
) -> LookedAfterNotice:
    """Record that the team manager and the IRO were informed of a referral about a
    looked-after child, and what they decided about the LAC review (G11)."""
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
        bring_lac_review_forward=bring_lac_review_forward,
        combine_with_strategy_meeting=combine_with_strategy_meeting,
    )
    if problems or team_manager is None:  # None has a problem too
        raise ValidationError(problems)
    if LookedAfterNotice.objects.filter(referral=referral).exists():
        raise ValidationError("This has already been recorded for this referral.")
    with attributed(by):
        return one_row(
            lambda: LookedAfterNotice.objects.create(
                referral=referral,
                team_manager=team_manager,
                iro=iro,
                iro_name="" if iro else iro_name.strip(),
                informed_at=informed_at,
                method=method,
                bring_lac_review_forward=bring_lac_review_forward,
                combine_with_strategy_meeting=combine_with_strategy_meeting
                if bring_lac_review_forward
                else None,
                detail=detail.strip(),
                recorded_by=by,
                recorded_at=now or timezone.now(),
            ),
            "Informing the team manager and the IRO",
        )
