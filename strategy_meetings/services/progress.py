"""After the minutes are final: the progress of the actions (G26) and the review meeting
convened from the plan (G24).

The final plan is frozen in the database. A change of an action's status is an ActionUpdate
of its own, attributed (who, their agency, when, a note); the action's current status is the
latest update's. The review is a new meeting with `review_of` naming this one, convened with
this meeting's chair, place and attendees on the agreed review date; the chair changes its
details on the meeting's own pages, and the review shows each earlier action's progress.
"""

from __future__ import annotations

import uuid
from datetime import datetime, time

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cse_portal.lifecycle import attributed
from cse_portal.models import Officer
from strategy_meetings.action_selectors import can_convene_review, can_record_progress
from strategy_meetings.models import (
    ActionPlan,
    ActionStatus,
    ActionUpdate,
    Attendance,
    Invitation,
    InvitationStatus,
    Meeting,
    Origin,
)
from strategy_meetings.models.actions import Action
from strategy_meetings.services.common import locked, require, text
from strategy_meetings.services.convening import (
    Convening,
    MeetingDetails,
    Source,
    meeting_convene,
)
from strategy_meetings.services.invitations import Invitee, invitation_problems, meeting_invite


def progress_problems(*, status: str, note: str) -> dict[str, str]:
    problems: dict[str, str] = {}
    if status not in ActionStatus.values:
        problems["status"] = "Select the action's status now"
    if status in (ActionStatus.DONE, ActionStatus.NO_LONGER_NEEDED) and not text(note):
        problems["note"] = (
            "Say how we know it is done"
            if status == ActionStatus.DONE
            else "Say why the action is no longer needed"
        )
    return problems


@transaction.atomic
def action_record_progress(
    *,
    action: Action,
    by: Officer,
    status: str,
    note: str,
    creation_key: uuid.UUID | None = None,
) -> tuple[ActionUpdate, bool]:
    """Record an action's status now, as its own row (G26): (update, recorded). The same form
    sent twice records it once."""
    meeting = locked(action.meeting)
    action.meeting = meeting
    require(
        can_record_progress(by, action),
        "The action's owner, their agency or the chair records its progress.",
    )
    if not meeting.is_final:
        raise ValidationError("The minutes are not final yet: change the plan instead.")
    if creation_key is not None and (earlier := _recorded_with(creation_key, action)):
        return earlier, False
    problems = progress_problems(status=status, note=note)
    if problems:
        raise ValidationError(problems)
    assert by.agency_id is not None  # an officer who may record progress works for an agency
    with attributed(by):
        try:
            with transaction.atomic():
                update = ActionUpdate.objects.create(
                    action=action,
                    status=status,
                    note=text(note),
                    by=by,
                    by_agency_id=by.agency_id,
                    creation_key=creation_key,
                )
        except IntegrityError:
            if creation_key is None or (earlier := _recorded_with(creation_key, action)) is None:
                raise
            return earlier, False
    return update, True


def _recorded_with(key: uuid.UUID, action: Action) -> ActionUpdate | None:
    earlier = ActionUpdate.objects.filter(creation_key=key).first()
    if earlier is not None and earlier.action_id != action.pk:
        raise ValidationError("This form has already been used. Open the action again.")
    return earlier


# --- The review meeting (G24) ---------------------------------------------------------------


def _review_starts_at(meeting: Meeting, plan: ActionPlan | None) -> datetime:
    """The agreed review date, at the time of day this meeting was held (UK time)."""
    if plan is None or plan.review_date is None:
        raise ValidationError("Agree the date of the review meeting first.")
    held = timezone.localtime(meeting.starts_at)
    at = time(held.hour, held.minute)
    return timezone.make_aware(datetime.combine(plan.review_date, at))


def _review_convening(meeting: Meeting) -> Convening:
    plan = ActionPlan.objects.filter(meeting=meeting).first()
    iro_invitation = meeting.invitations.filter(
        is_iro=True, status=InvitationStatus.INVITED
    ).first()
    details = MeetingDetails(
        starts_at=_review_starts_at(meeting, plan),
        place=meeting.place,
        call_details=meeting.call_details,
        minute_taker=meeting.minute_taker,
        young_person_invited=meeting.young_person_invited,
        young_person_not_invited_reason=meeting.young_person_not_invited_reason,
        family_invited=meeting.family_invited,
        family_not_invited_reason=meeting.family_not_invited_reason,
    )
    return Convening(
        details=details,
        chair=meeting.chair,
        iro=iro_invitation.officer if iro_invitation else None,
        iro_name=iro_invitation.person_name if iro_invitation else "",
        convening_authority=meeting.convening_authority,
        host_cp_manager=meeting.host_cp_manager,
        host_cp_manager_contacted_at=meeting.host_cp_manager_contacted_at,
        host_contact_note=meeting.host_contact_note,
    )


def _invite_attendees(review: Meeting, earlier: Meeting, by: Officer) -> None:
    """Everyone who attended the earlier meeting is invited to its review (the chair, the
    minute-taker and the IRO are invited by convening already)."""
    invited = set(
        review.invitations.filter(officer__isnull=False).values_list("officer_id", flat=True)
    )
    named = set(
        review.invitations.filter(officer__isnull=True).values_list("person_name", flat=True)
    )
    attendees = Invitation.objects.filter(
        meeting=earlier, attendance=Attendance.ATTENDED
    ).select_related("agency", "officer")
    for attendee in attendees:
        if attendee.officer_id in invited or (
            attendee.officer_id is None and attendee.person_name in named
        ):
            continue
        invitee = Invitee(
            attendee.agency, attendee.officer, person_name=attendee.person_name, role=attendee.role
        )
        # Someone who has left, or an agency no longer active, is not invited again: the
        # chair sees the invitations on the review's page and adds whoever is needed.
        if not invitation_problems(review, invitee):
            meeting_invite(meeting=review, by=by, invitee=invitee)


@transaction.atomic
def review_convene(
    *, meeting: Meeting, by: Officer, creation_key: uuid.UUID | None = None
) -> tuple[Meeting, bool]:
    """Convene the review of a final meeting from its plan: (review, created)."""
    meeting = locked(meeting)
    require(can_convene_review(by, meeting), "Children's social care convenes the review.")
    review, created = meeting_convene(
        child=meeting.child,
        by=by,
        convening=_review_convening(meeting),
        source=Source(origin=Origin.REVIEW, review_of=meeting),
        creation_key=creation_key,
    )
    if created:
        _invite_attendees(review, meeting, by)
    return review, created


__all__ = ["action_record_progress", "progress_problems", "review_convene"]
