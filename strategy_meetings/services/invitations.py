"""Inviting agencies and people to a meeting, their declining, and their removal.

Inviting an agency involves it with the child, in the same transaction (involvement reason
"Invited to a strategy meeting"), so its officers can open the record and prepare. Declining
or being removed ends that involvement unless another open invitation still holds it; the
agency keeps access while any other involvement of its own remains (`involvement_end`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cse_portal.lifecycle import attributed
from cse_portal.models import Agency, Involvement, Officer
from cse_portal.services import involvement_end, involvement_grant
from strategy_meetings.models import Invitation, InvitationStatus, Meeting, NoticeKind
from strategy_meetings.selectors import can_decline, can_manage_invitations
from strategy_meetings.services.common import locked, require, require_draft, text
from strategy_meetings.services.notices import notify, send_invitation_emails


@dataclass(frozen=True)
class Invitee:
    """Who is invited: an agency, and an officer of it or a person named (not on the portal)."""

    agency: Agency | None
    officer: Officer | None = None
    person_name: str = ""
    role: str = ""
    is_iro: bool = False


def invitation_problems(meeting: Meeting, invitee: Invitee) -> dict[str, str]:
    problems: dict[str, str] = {}
    if invitee.agency is None:
        problems["agency"] = "Select the agency to invite"
        return problems
    if not invitee.agency.is_active:
        problems["agency"] = "That agency is no longer active"
    if invitee.officer is None and not text(invitee.person_name):
        problems["officer"] = (
            "Select the person to invite, or enter the name of someone not on the portal"
        )
    elif invitee.officer is not None and invitee.officer.agency_id != invitee.agency.pk:
        problems["officer"] = "Select a person who works for the agency you chose"
    elif invitee.officer is not None and _open_invitation_of(meeting, invitee.officer):
        problems["officer"] = f"{invitee.officer} is already invited to this meeting"
    return problems


def _open_invitation_of(meeting: Meeting, officer: Officer) -> bool:
    return meeting.invitations.filter(officer=officer, status=InvitationStatus.INVITED).exists()


def invite(
    meeting: Meeting, invitee: Invitee, *, by: Officer, creation_key: uuid.UUID | None = None
) -> Invitation:
    """Write one invitation (the caller holds the meeting's lock and checked the rules): the
    agency involved with the child, the officer told inside the portal and (unless they
    invited themselves) by an e-mail queued for when the invitation commits."""
    assert invitee.agency is not None  # (for the type checker: the rules asked for one)
    involvement = involvement_grant(
        child=meeting.child,
        agency=invitee.agency,
        reason=Involvement.Reason.MEETING_INVITATION,
        by=by,
        note=f"Invited to strategy meeting {meeting.reference}",
    )
    officer = invitee.officer
    invitation = Invitation.objects.create(
        meeting=meeting,
        agency=invitee.agency,
        officer=officer,
        person_name="" if officer else text(invitee.person_name),
        role=text(invitee.role)
        or (officer.job_title or officer.get_role_display() if officer else ""),
        is_iro=invitee.is_iro,
        involvement=involvement,
        invited_by=by,
        creation_key=creation_key,
    )
    notify(meeting, [officer], NoticeKind.INVITED, _when(meeting))
    if officer is not None and officer.pk != by.pk:
        send_invitation_emails([officer])
    return invitation


def _when(meeting: Meeting) -> str:
    local = timezone.localtime(meeting.starts_at)
    return f"{meeting.reference}: {local:%A %-d %B %Y at %H:%M}"


@transaction.atomic
def meeting_invite(
    *, meeting: Meeting, by: Officer, invitee: Invitee, creation_key: uuid.UUID | None = None
) -> Invitation:
    """Invite an agency and a person in it. The same form sent twice invites once."""
    meeting = locked(meeting)
    require_draft(meeting)
    require(can_manage_invitations(by, meeting), "Only the chair or the convening agency invites.")
    if creation_key is not None:
        earlier = Invitation.objects.filter(creation_key=creation_key).first()
        if earlier is not None:
            if earlier.meeting_id != meeting.pk:
                raise ValidationError("This form has already been used. Open the meeting again.")
            return earlier
    problems = invitation_problems(meeting, invitee)
    if problems:
        raise ValidationError(problems)
    with attributed(by):
        try:
            with transaction.atomic():
                invitation = invite(meeting, invitee, by=by, creation_key=creation_key)
        except IntegrityError as error:
            raise ValidationError({"officer": "This person is already invited"}) from error
    return invitation


def _locked_invitation(invitation: Invitation) -> tuple[Meeting, Invitation]:
    meeting = locked(invitation.meeting)
    current = Invitation.objects.select_for_update().select_related("meeting").get(pk=invitation.pk)
    return meeting, current


def _end(invitation: Invitation, *, by: Officer, status: InvitationStatus, reason: str) -> None:
    """End the invitation, and the involvement it holds unless another open invitation (of
    this meeting or another of the child's) holds it too."""
    Invitation.objects.filter(pk=invitation.pk).update(
        status=status, ended_by=by, ended_at=timezone.now(), ended_reason=reason
    )
    held = invitation.involvement
    if held is None or not held.is_active:
        return
    still_held = Invitation.objects.filter(
        involvement=held, status=InvitationStatus.INVITED
    ).exists()
    if not still_held:
        involvement_end(involvement=held, by=by, reason=f"{status.label}: {reason}".strip(": "))


@transaction.atomic
def invitation_decline(*, invitation: Invitation, by: Officer, reason: str = "") -> Invitation:
    """The invited officer declines (their agency's access by the invitation ends)."""
    meeting, invitation = _locked_invitation(invitation)
    require(can_decline(by, invitation), "Only the person invited can decline the invitation.")
    with attributed(by):
        _end(invitation, by=by, status=InvitationStatus.DECLINED, reason=text(reason))
        notify(meeting, [meeting.chair], NoticeKind.CHANGED, f"{by} declined ({meeting.reference})")
    invitation.refresh_from_db()
    return invitation


def removal_problems(meeting: Meeting, invitation: Invitation, reason: str) -> dict[str, str]:
    problems: dict[str, str] = {}
    if not text(reason):
        problems["reason"] = "Enter why this person is no longer invited"
    if invitation.officer_id is not None and invitation.officer_id == meeting.chair_id:
        problems[""] = "The chair cannot be removed from the meeting"
    elif invitation.is_iro and meeting.child_looked_after and not _other_iro(meeting, invitation):
        problems[""] = (
            "The child is looked after, so the IRO is invited (G20): invite another IRO before "
            "removing this one"
        )
    return problems


def _other_iro(meeting: Meeting, invitation: Invitation) -> bool:
    return (
        meeting.invitations.filter(is_iro=True, status=InvitationStatus.INVITED)
        .exclude(pk=invitation.pk)
        .exists()
    )


@transaction.atomic
def invitation_remove(*, invitation: Invitation, by: Officer, reason: str) -> Invitation:
    """The chair or the convening agency removes an invitation, with a reason."""
    meeting, invitation = _locked_invitation(invitation)
    require_draft(meeting)
    require(can_manage_invitations(by, meeting), "Only the chair or the convening agency removes.")
    if not invitation.is_open:
        raise ValidationError("This invitation has already ended.")
    problems = removal_problems(meeting, invitation, reason)
    if problems:
        raise ValidationError(problems)
    with attributed(by):
        _end(invitation, by=by, status=InvitationStatus.REMOVED, reason=text(reason))
        notify(meeting, [invitation.officer], NoticeKind.REMOVED, meeting.reference)
    invitation.refresh_from_db()
    return invitation
