"""The SMART action plan (G22), the attendees' sign-ups (G23) and the review date (G24).

The chair and the minute-taker write the plan while the minutes are a draft. Every change to
the plan — an action added, changed or removed, the review date set — raises the plan's
version; a sign-up names the version its signer read, so after a change the earlier sign-ups
no longer count (they stay, as history) and the chair sees who must sign the changed plan.

Each rule and its message lives once, in a `*_problems` function the page asks as well:
- an action says what will be done, how we will know it is done, by when, and who owns it:
  an officer of an agency involved with the child, or a named person and their agency;
- the review meeting, unless the outcome is no further action or s47 enquiries, is after
  this meeting and no later than three months after it (`plan_finalise_problems`, with the
  sign-ups, is the rule finalising adds through `register_finalise_rule`; the database asks
  the same as the meeting becomes final).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from cse_portal.lifecycle import ConcurrentEditError, attributed, claim_version
from cse_portal.models import Agency, Involvement, Officer
from strategy_meetings.action_selectors import (
    attendee_sign_ups,
    can_edit_plan,
    can_record_agreement,
    can_sign,
    latest_review_date,
    meeting_day,
    review_required,
)
from strategy_meetings.models import (
    Action,
    ActionPlan,
    ActionStatus,
    Invitation,
    Meeting,
    MeetingOutcome,
    SignUp,
    SignUpMethod,
)
from strategy_meetings.services.common import locked, require, require_draft, text
from strategy_meetings.services.notices import tell_action_owner, tell_sign_up_needed

PLAN_WRITERS_ONLY = "Only the chair and the minute-taker write the action plan."
PLAN_CHANGED = (
    "The action plan changed while you were reading it. Read the plan as it is now, then "
    "sign up to it."
)


@dataclass(frozen=True)
class ActionAnswers:
    what: str = ""
    owner_officer: Officer | None = None
    owner_name: str = ""
    owner_agency: Agency | None = None
    due: date | None = None
    measure: str = ""
    status: str = ActionStatus.NOT_STARTED

    def cleaned(self) -> ActionAnswers:
        officer = self.owner_officer
        return replace(
            self,
            what=text(self.what),
            measure=text(self.measure),
            owner_name="" if officer is not None else text(self.owner_name),
            owner_agency=officer.agency if officer is not None else self.owner_agency,
        )


def _agency_involved(meeting: Meeting, agency_id: int | None) -> bool:
    if agency_id is None:
        return False
    return Involvement.objects.filter(
        child_id=meeting.child_id, agency_id=agency_id, ended_at__isnull=True
    ).exists()


def _owner_problems(meeting: Meeting, answers: ActionAnswers) -> dict[str, str]:
    officer, name = answers.owner_officer, text(answers.owner_name)
    if officer is None and not name:
        return {"owner_officer": "Select who owns the action, or enter the name of the person"}
    if officer is not None and name:
        return {"owner_name": "Select an officer or enter a name, not both"}
    if officer is not None:
        if not officer.is_active or not _agency_involved(meeting, officer.agency_id):
            return {
                "owner_officer": "The owner must be an officer of an agency involved with the child"
            }
        return {}
    if answers.owner_agency is None:
        return {"owner_agency": "Select the agency of the person who owns the action"}
    return {}


def action_problems(meeting: Meeting, answers: ActionAnswers) -> dict[str, str]:
    """What stands in the way of an action being SMART (G22), field → message."""
    problems: dict[str, str] = {}
    if not text(answers.what):
        problems["what"] = "Enter what will be done"
    problems.update(_owner_problems(meeting, answers))
    if answers.due is None:
        problems["due"] = "Enter the date the action is due"
    elif answers.due < meeting_day(meeting):
        problems["due"] = "The due date must be on or after the day of the meeting"
    if not text(answers.measure):
        problems["measure"] = "Enter how we will know the action is done"
    if answers.status not in ActionStatus.values:
        problems["status"] = "Select the action's status"
    return problems


def _plan_changed(meeting: Meeting, by: Officer) -> ActionPlan:
    """The plan's row (made on the first change) with its version raised: earlier sign-ups
    no longer count. The caller holds the meeting's row lock."""
    plan, created = ActionPlan.objects.get_or_create(meeting=meeting, defaults={"updated_by": by})
    if not created:
        ActionPlan.objects.filter(pk=plan.pk).update(
            version=F("version") + 1, updated_by=by, updated_at=timezone.now()
        )
        plan.refresh_from_db()
        tell_sign_up_needed(meeting, plan.version, by)
    return plan


def _writable(meeting: Meeting, by: Officer) -> Meeting:
    meeting = locked(meeting)
    require_draft(meeting)  # final: say so, to anyone (nobody may change it)
    require(can_edit_plan(by, meeting), PLAN_WRITERS_ONLY)
    return meeting


@transaction.atomic
def action_add(
    *,
    meeting: Meeting,
    by: Officer,
    answers: ActionAnswers,
    creation_key: uuid.UUID | None = None,
) -> tuple[Action, bool]:
    """Add an action to the draft plan: (action, added). The same form sent twice adds one."""
    meeting = _writable(meeting, by)
    if creation_key is not None and (earlier := _added_with(creation_key, meeting)):
        return earlier, False
    problems = action_problems(meeting, answers)
    if problems:
        raise ValidationError(problems)
    answers = answers.cleaned()
    assert answers.owner_agency is not None and answers.due is not None  # the rules above
    with attributed(by):
        try:
            with transaction.atomic():
                action = Action.objects.create(
                    meeting=meeting,
                    what=answers.what,
                    owner_officer=answers.owner_officer,
                    owner_name=answers.owner_name,
                    owner_agency=answers.owner_agency,
                    due=answers.due,
                    measure=answers.measure,
                    status=answers.status,
                    created_by=by,
                    updated_by=by,
                    creation_key=creation_key,
                )
        except IntegrityError:
            if creation_key is None or (earlier := _added_with(creation_key, meeting)) is None:
                raise
            return earlier, False
        _plan_changed(meeting, by)
    tell_action_owner(meeting, answers.owner_officer, by)
    return action, True


def _added_with(key: uuid.UUID, meeting: Meeting) -> Action | None:
    earlier = Action.objects.filter(creation_key=key).first()
    if earlier is not None and earlier.meeting_id != meeting.pk:
        raise ValidationError("This form has already been used. Open the plan again.")
    return earlier


@transaction.atomic
def action_change(
    *, action: Action, by: Officer, answers: ActionAnswers, expected_version: int
) -> Action:
    """Change an action of the draft plan, unless someone saved it since `expected_version`
    (ConcurrentEditError: nothing is overwritten)."""
    meeting = _writable(action.meeting, by)
    problems = action_problems(meeting, answers)
    if problems:
        raise ValidationError(problems)
    answers = answers.cleaned()
    earlier_owner_id = action.owner_officer_id
    with attributed(by):
        claim_version(
            action,
            expected_version,
            where=Q(meeting__status=Meeting.Status.DRAFT),
            what=answers.what,
            owner_officer=answers.owner_officer,
            owner_name=answers.owner_name,
            owner_agency=answers.owner_agency,
            due=answers.due,
            measure=answers.measure,
            status=answers.status,
            updated_by=by,
        )
        _plan_changed(meeting, by)
    action.refresh_from_db()
    if action.owner_officer_id != earlier_owner_id:
        tell_action_owner(meeting, answers.owner_officer, by)
    return action


@transaction.atomic
def action_remove(*, action: Action, by: Officer, expected_version: int) -> None:
    """Take an action out of the draft plan (its history stays)."""
    meeting = _writable(action.meeting, by)
    with attributed(by):
        removed, _ = Action.objects.filter(
            pk=action.pk, version=expected_version, meeting=meeting
        ).delete()
        if not removed:
            raise ConcurrentEditError
        _plan_changed(meeting, by)


# --- The review date (G24) ------------------------------------------------------------------


def review_date_problems(meeting: Meeting, review_date: date | None) -> dict[str, str]:
    """The review date, when given, is after the meeting and no later than three months after
    it; unless the outcome is NFA or s47 it is required (asked when finalising)."""
    if review_date is None:
        return {}
    latest = latest_review_date(meeting)
    if review_date <= meeting_day(meeting):
        return {"review_date": "The review meeting must be after this meeting"}
    if review_date > latest:
        return {
            "review_date": "The review meeting must be no later than three months after this "
            f"meeting: on or before {latest.day} {latest:%B %Y}"
        }
    return {}


@transaction.atomic
def plan_set_review_date(
    *, meeting: Meeting, by: Officer, review_date: date | None, expected_version: int
) -> ActionPlan:
    """Set (or clear) the date of the review meeting; part of the plan, so earlier sign-ups
    no longer count. `expected_version` is the plan's version the page showed (0: none)."""
    meeting = _writable(meeting, by)
    problems = review_date_problems(meeting, review_date)
    if problems:
        raise ValidationError(problems)
    plan = ActionPlan.objects.filter(meeting=meeting).first()
    if (plan.version if plan else 0) != expected_version:
        raise ConcurrentEditError
    with attributed(by):
        plan = _plan_changed(meeting, by)
        ActionPlan.objects.filter(pk=plan.pk).update(review_date=review_date)
    plan.refresh_from_db()
    return plan


# --- Sign-ups (G23) -------------------------------------------------------------------------


def _sign_up(
    meeting: Meeting, invitation: Invitation, by: Officer, method: str, plan_version: int
) -> SignUp:
    plan, created = ActionPlan.objects.get_or_create(meeting=meeting, defaults={"updated_by": by})
    # 0: the page showed no plan yet (nothing written); signing it makes the plan's row.
    if plan.version != plan_version and not (created and plan_version == 0):
        raise ValidationError(PLAN_CHANGED)
    earlier = SignUp.objects.filter(invitation=invitation, plan_version=plan.version).first()
    if earlier is not None:
        return earlier  # signed already (a second click, two tabs)
    with attributed(by):
        return SignUp.objects.create(
            meeting=meeting,
            invitation=invitation,
            plan_version=plan.version,
            method=method,
            signed_by=by if method == SignUpMethod.SIGNED_IN else None,
            recorded_by=by,
        )


def _attendance_of(meeting: Meeting, invitation: Invitation) -> Invitation:
    invitation = Invitation.objects.select_related("officer").get(pk=invitation.pk)
    if invitation.meeting_id != meeting.pk:
        raise ValidationError("That attendee is not of this meeting.")
    invitation.meeting = meeting
    return invitation


@transaction.atomic
def plan_sign(
    *, meeting: Meeting, by: Officer, invitation: Invitation, plan_version: int
) -> SignUp:
    """The attendee signs up to the plan they read (`plan_version`), signed in (G23)."""
    meeting = locked(meeting)
    require_draft(meeting)
    invitation = _attendance_of(meeting, invitation)
    require(can_sign(by, invitation), "Only the attendee can sign up to the plan themselves.")
    return _sign_up(meeting, invitation, by, SignUpMethod.SIGNED_IN, plan_version)


@transaction.atomic
def plan_record_agreement(
    *, meeting: Meeting, by: Officer, invitation: Invitation, plan_version: int
) -> SignUp:
    """The chair records that an attendee with no portal account agreed the plan at the
    meeting."""
    meeting = locked(meeting)
    require_draft(meeting)
    invitation = _attendance_of(meeting, invitation)
    require(
        can_record_agreement(by, invitation),
        "Only the chair records the agreement of an attendee without a portal account.",
    )
    return _sign_up(meeting, invitation, by, SignUpMethod.RECORDED_BY_CHAIR, plan_version)


# --- What finalising asks of the plan (registered with register_finalise_rule) -------------


def _sign_up_problems(meeting: Meeting, version: int) -> dict[str, str]:
    problems: dict[str, str] = {}
    for attendee in attendee_sign_ups(meeting, version):
        if attendee.signed:
            continue
        who = attendee.invitation.person_display
        problems[f"sign_up_{attendee.invitation.pk}"] = (
            f"{who} signed an earlier version of the plan: they must sign up to the changed plan"
            if attendee.earlier is not None
            else f"{who} has not yet signed up to the action plan"
        )
    return problems


def plan_finalise_problems(meeting: Meeting) -> dict[str, str]:
    """G22–G24 before the minutes are final: a plan with actions (unless no further action),
    the review date unless NFA or s47, and every attendee signed up to the current plan."""
    problems: dict[str, str] = {}
    plan = ActionPlan.objects.filter(meeting=meeting).first()
    if meeting.outcome != MeetingOutcome.NFA and not meeting.actions.exists():
        problems["plan_actions"] = (
            "Add the actions of the plan: what will be done, by whom and by when (G22)"
        )
    review_date = plan.review_date if plan else None
    if meeting.outcome and review_required(meeting) and review_date is None:
        problems["review_date"] = (
            "Agree the date of the review meeting, no later than three months after this one"
        )
    problems.update(review_date_problems(meeting, review_date))
    problems.update(_sign_up_problems(meeting, plan.version if plan else 0))
    return problems


__all__ = [
    "PLAN_CHANGED",
    "ActionAnswers",
    "action_add",
    "action_change",
    "action_problems",
    "action_remove",
    "plan_finalise_problems",
    "plan_record_agreement",
    "plan_set_review_date",
    "plan_sign",
    "review_date_problems",
]
