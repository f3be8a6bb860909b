"""Invitations: inviting an agency involves it with the child (in the same transaction);
declining or being removed ends that involvement unless another reason holds; invitees are
told inside the portal, and any e-mail carries no case content."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from cse_portal.access import children_visible_to
from cse_portal.models import Involvement, Notification
from strategy_meetings import services
from strategy_meetings.models import InvitationStatus
from tests.factories import OfficerFactory
from tests.mail_helpers import worker_sends
from tests.strategy_meetings.factories import convene

pytestmark = pytest.mark.guidance("G36")


def _invite(meeting, by, agency, officer=None, **fields):
    return services.meeting_invite(
        meeting=meeting, by=by, invitee=services.Invitee(agency, officer, **fields)
    )


def test_inviting_an_agency_involves_it_with_the_child(meeting, world, chair):
    assert world.child not in children_visible_to(world.uninvolved)
    invitation = _invite(meeting, chair, world.health, world.uninvolved)
    involvement = invitation.involvement
    assert (involvement.agency, involvement.reason, involvement.granted_by) == (
        world.health,
        Involvement.Reason.MEETING_INVITATION,
        chair,
    )
    assert meeting.reference in involvement.note
    assert world.child in children_visible_to(world.uninvolved)


def test_the_invitation_and_the_involvement_are_one_transaction(meeting, world, chair):
    with pytest.raises(RuntimeError), transaction.atomic():
        _invite(meeting, chair, world.health, world.uninvolved)
        raise RuntimeError("something later failed")
    assert not meeting.invitations.filter(agency=world.health).exists()
    assert world.child not in children_visible_to(world.uninvolved)


def test_declining_ends_the_invitations_involvement(meeting, world, chair):
    invitation = _invite(meeting, chair, world.health, world.uninvolved)
    services.invitation_decline(invitation=invitation, by=world.uninvolved, reason="On leave")
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.DECLINED
    assert invitation.involvement.ended_at is not None
    assert invitation.involvement.ended_by == world.uninvolved
    assert world.child not in children_visible_to(world.uninvolved)


def test_removing_keeps_access_that_another_reason_holds(meeting, world, chair):
    # The police are involved already (a share): invited, then removed, they still see it.
    invitation = _invite(meeting, chair, world.police, world.involved)
    services.invitation_remove(invitation=invitation, by=chair, reason="Not needed after all")
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.REMOVED
    assert invitation.involvement.ended_at is not None  # the invitation's own involvement
    share = Involvement.objects.get(
        child=world.child, agency=world.police, reason=Involvement.Reason.EXPLICIT_SHARE
    )
    assert share.ended_at is None
    assert world.child in children_visible_to(world.involved)


def test_another_open_invitation_of_the_agency_keeps_its_involvement(meeting, world, chair):
    colleague = OfficerFactory(agency=world.health)
    first = _invite(meeting, chair, world.health, world.uninvolved)
    second = _invite(meeting, chair, world.health, colleague)
    assert first.involvement == second.involvement
    services.invitation_remove(invitation=first, by=chair, reason="Colleague goes instead")
    second.involvement.refresh_from_db()
    assert second.involvement.ended_at is None
    assert world.child in children_visible_to(world.uninvolved)  # through the agency


def test_only_the_invited_officer_declines(meeting, world, chair):
    invitation = _invite(meeting, chair, world.health, world.uninvolved)
    with pytest.raises(PermissionDenied):
        services.invitation_decline(invitation=invitation, by=chair)


def test_only_the_chair_or_the_convening_agency_invites(meeting, world):
    with pytest.raises(PermissionDenied):
        _invite(meeting, world.involved, world.health, world.uninvolved)


def test_the_convening_agency_invites(meeting, world):
    invitation = _invite(meeting, world.team_manager, world.health, world.uninvolved)
    assert invitation.invited_by == world.team_manager


def test_the_chair_cannot_be_removed(meeting, chair):
    invitation = meeting.invitations.get(officer=chair)
    with pytest.raises(ValidationError):
        services.invitation_remove(invitation=invitation, by=chair, reason="Try")


def test_removal_needs_a_reason(meeting, world, chair):
    invitation = _invite(meeting, chair, world.health, world.uninvolved)
    with pytest.raises(ValidationError) as error:
        services.invitation_remove(invitation=invitation, by=chair, reason=" ")
    assert "reason" in error.value.message_dict


def test_an_officer_is_invited_once(meeting, world, chair):
    _invite(meeting, chair, world.health, world.uninvolved)
    with pytest.raises(ValidationError):
        _invite(meeting, chair, world.health, world.uninvolved)


def test_the_person_must_work_for_the_agency(meeting, world, chair):
    with pytest.raises(ValidationError) as error:
        _invite(meeting, chair, world.police, world.uninvolved)
    assert "officer" in error.value.message_dict


def test_a_person_not_on_the_portal_can_be_invited_by_name(meeting, world, chair):
    invitation = _invite(
        meeting, chair, world.health, person_name="Dr Ada Field", role="Paediatrician"
    )
    assert (invitation.person_display, invitation.role) == ("Dr Ada Field", "Paediatrician")


def test_invitees_are_told_inside_the_portal(meeting, world, chair, minute_taker):
    _invite(meeting, chair, world.health, world.uninvolved)
    notice = Notification.objects.get(recipient=world.uninvolved)
    assert notice.kind == "meeting.invited" and notice.link == meeting.get_absolute_url()
    assert meeting.reference in notice.text
    assert Notification.objects.filter(recipient=minute_taker, kind="meeting.invited").exists()


def test_a_change_of_date_or_place_tells_the_invitees(meeting, world, chair):
    _invite(meeting, chair, world.health, world.uninvolved)
    meeting.refresh_from_db()
    details = services.MeetingDetails(
        starts_at=meeting.starts_at,
        place="Room 5 instead",
        young_person_invited=True,
        family_invited=True,
    )
    services.meeting_update_details(
        meeting=meeting, by=chair, details=details, expected_version=meeting.version
    )
    assert Notification.objects.filter(recipient=world.uninvolved, kind="meeting.changed").exists()


def test_the_invitation_email_carries_no_case_content(world, involved_csc, chair, settings):
    settings.CSE_PUBLIC_URL = "https://portal.example"
    world.uninvolved.email = "una@example.test"
    world.uninvolved.save()
    meeting = convene(child=world.child, by=world.csc_officer, chair=chair)
    with worker_sends() as sent:
        _invite(meeting, chair, world.health, world.uninvolved)
    [email] = sent
    assert email.to == ["una@example.test"]
    assert email.subject == "You have a new strategy meeting invitation in CSE Portal"
    assert email.body == (
        "You have a new strategy meeting invitation in CSE Portal\n\n"
        "https://portal.example/meetings/\n"
    )
    for secret in [world.child.first_name, world.child.last_name, meeting.reference, meeting.place]:
        assert secret not in email.subject + email.body


def test_an_invitation_rolled_back_sends_no_email(world, involved_csc, chair):
    meeting = convene(child=world.child, by=world.csc_officer, chair=chair)
    with worker_sends() as sent, pytest.raises(RuntimeError), transaction.atomic():
        _invite(meeting, chair, world.health, world.uninvolved)
        raise RuntimeError("something later failed")
    assert sent == []


def test_whoever_invites_themselves_gets_no_email(world, involved_csc, chair):
    meeting = convene(child=world.child, by=world.csc_officer, chair=chair)
    colleague = OfficerFactory(agency=world.csc)
    with worker_sends() as sent:
        _invite(meeting, world.csc_officer, world.csc, world.csc_officer)
        _invite(meeting, world.csc_officer, world.csc, colleague)
    assert [m.to for m in sent] == [[colleague.email]]
