"""Writes of a separate meeting about a person of concern [002 §7–8]: convening it (CSC, a
CP coordinator or IRO in the chair, G17), inviting agencies and people (which involves the
agency with no child), linking the children's own meetings, the minutes about the person,
the note about each child, SMART actions (G22), and finalising (frozen by triggers).

Keeping one child's details from another child's agencies: the general minutes are about the
person; a save that names a linked child there is refused, with the writer's text kept, and
the writer is asked to put it in that child's note, which only officers who may see the
child are shown (`strategy_meetings.person_meeting_selectors`).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from cse_portal.access import children_visible_to
from cse_portal.lifecycle import ConcurrentEditError, attributed, claim_version
from cse_portal.models import Agency, Officer
from referrals.models import PersonOfConcern
from strategy_meetings.models import (
    CHAIR_ROLES,
    Meeting,
    PersonMeeting,
    PersonMeetingAction,
    PersonMeetingInvitation,
    PersonMeetingLink,
)
from strategy_meetings.person_meeting_selectors import (
    can_convene_about,
    can_manage,
    can_write,
)
from strategy_meetings.services.common import require, text

FINAL = "This separate meeting is final and can no longer be changed."


@dataclass(frozen=True)
class PersonMeetingDetails:
    reason: str = ""
    chair: Officer | None = None
    starts_at: datetime | None = None
    place: str = ""
    call_details: str = ""


def convene_problems(details: PersonMeetingDetails) -> dict[str, str]:
    problems: dict[str, str] = {}
    if details.reason not in PersonMeeting.Reason.values:
        problems["reason"] = "Select why the separate meeting is held"
    if details.chair is None:
        problems["chair"] = "Select the chair"
    elif details.chair.role not in CHAIR_ROLES:
        problems["chair"] = (
            "The chair must be a child protection coordinator or an independent reviewing officer"
        )
    if details.starts_at is None:
        problems["starts_at"] = "Enter the date and time of the meeting"
    if not text(details.place) and not text(details.call_details):
        problems["place"] = "Enter where the meeting is held, or how to join the call"
    return problems


def _locked(meeting: PersonMeeting) -> PersonMeeting:
    current = PersonMeeting.objects.select_for_update().get(pk=meeting.pk)
    if not current.is_draft:
        raise ValidationError(FINAL)
    return current


@transaction.atomic
def person_meeting_convene(
    *,
    person: PersonOfConcern,
    by: Officer,
    details: PersonMeetingDetails,
    creation_key: uuid.UUID | None = None,
) -> PersonMeeting:
    """Convene a separate meeting about `person`; the chair is invited. The same form sent
    twice (its `creation_key`) convenes one meeting."""
    require(can_convene_about(by, person), "Children's social care convenes a separate meeting.")
    key = creation_key or uuid.uuid4()
    earlier = PersonMeeting.objects.filter(creation_key=key).first()
    if earlier is not None:
        if earlier.person_id != person.pk:
            raise ValidationError("This form has already been used. Start again.")
        return earlier
    problems = convene_problems(details)
    if problems:
        raise ValidationError(problems)
    chair, starts_at = details.chair, details.starts_at
    assert chair is not None and chair.agency is not None and by.agency_id is not None
    assert starts_at is not None  # checked by convene_problems
    with attributed(by):
        try:
            with transaction.atomic():
                meeting = PersonMeeting.objects.create(
                    person=person,
                    reason=details.reason,
                    convening_agency_id=by.agency_id,
                    convened_by=by,
                    chair=chair,
                    starts_at=starts_at,
                    place=text(details.place),
                    call_details=text(details.call_details),
                    creation_key=key,
                )
        except IntegrityError:
            earlier = PersonMeeting.objects.filter(creation_key=key).first()
            if earlier is None:
                raise
            return earlier
        PersonMeetingInvitation.objects.create(
            person_meeting=meeting, agency=chair.agency, officer=chair, role="Chair", invited_by=by
        )
    return meeting


@transaction.atomic
def person_meeting_invite(
    *,
    meeting: PersonMeeting,
    by: Officer,
    agency: Agency,
    officer: Officer | None = None,
    person_name: str = "",
    role: str = "",
) -> PersonMeetingInvitation:
    """Invite an agency and a person in it. This involves the agency with no child: its
    officers open this meeting, and see of each linked child only what they already may."""
    meeting = _locked(meeting)
    require(can_manage(by, meeting), "Only the chair or the convening agency can invite.")
    if officer is None and not text(person_name):
        raise ValidationError({"officer": "Select the person, or enter their name"})
    if officer is not None and officer.agency_id != agency.pk:
        raise ValidationError({"officer": "Select a person of the agency you invite"})
    if officer is not None and meeting.invitations.filter(officer=officer).exists():
        raise ValidationError({"officer": "That person is already invited"})
    with attributed(by):
        return PersonMeetingInvitation.objects.create(
            person_meeting=meeting,
            agency=agency,
            officer=officer,
            person_name="" if officer else text(person_name),
            role=text(role),
            invited_by=by,
        )


@transaction.atomic
def person_meeting_link(
    *, meeting: PersonMeeting, by: Officer, child_meeting: Meeting
) -> PersonMeetingLink:
    """Link a child's own strategy meeting: a child linked to the person, whom both the
    officer and the chair may see (the database checks the person's link too)."""
    meeting = _locked(meeting)
    require(can_manage(by, meeting), "Only the chair or the convening agency can link meetings.")
    for who in (by, meeting.chair):
        if not children_visible_to(who).filter(pk=child_meeting.child_id).exists():
            raise ValidationError({"meeting": "Choose a meeting from the list"})
    if meeting.links.filter(meeting=child_meeting).exists():
        raise ValidationError({"meeting": "That meeting is already linked"})
    with attributed(by):
        try:
            with transaction.atomic():
                return PersonMeetingLink.objects.create(
                    person_meeting=meeting, meeting=child_meeting, linked_by=by
                )
        except IntegrityError:
            raise ValidationError({"meeting": "Choose a meeting from the list"}) from None


def _names_in(minutes: str, links: list[PersonMeetingLink]) -> list[str]:
    """The linked children's names (first, last, known-as) the minutes use as words."""
    found = []
    for link in links:
        child = link.meeting.child
        for name in (child.first_name, child.last_name, child.known_as):
            name = (name or "").strip()
            if len(name) >= 3 and re.search(rf"\b{re.escape(name)}\b", minutes, re.IGNORECASE):
                found.append(name)
    return sorted(set(found))


@transaction.atomic
def person_meeting_save_minutes(
    *, meeting: PersonMeeting, by: Officer, minutes: str, expected_version: int
) -> PersonMeeting:
    """The minutes about the person, unless someone saved them since `expected_version`
    (ConcurrentEditError). Minutes naming a linked child are refused (module docstring)."""
    current = _locked(meeting)
    require(can_write(by, current), "Only the chair writes the minutes.")
    minutes = text(minutes)
    links = list(current.links.select_related("meeting__child"))
    named = _names_in(minutes, links)
    if named:
        raise ValidationError(
            {
                "minutes": (
                    f"The minutes about the person name a child ({', '.join(named)}). Write "
                    "what concerns one child in the note about that child: only agencies "
                    "involved with that child see it"
                )
            }
        )
    with attributed(by):
        claim_version(current, expected_version, minutes=minutes, minutes_updated_by=by)
    current.refresh_from_db()
    return current


@transaction.atomic
def person_meeting_save_note(
    *, link: PersonMeetingLink, by: Officer, note: str, expected_version: int
) -> PersonMeetingLink:
    """What the meeting said about one child, unless saved since `expected_version`."""
    meeting = _locked(link.person_meeting)
    require(can_write(by, meeting), "Only the chair writes the notes.")
    with attributed(by):
        changed = PersonMeetingLink.objects.filter(
            pk=link.pk, note_version=expected_version
        ).update(note=text(note), note_updated_by=by, note_version=F("note_version") + 1)
    if not changed:
        raise ConcurrentEditError
    link.refresh_from_db()
    return link


@dataclass(frozen=True)
class PersonActionInput:
    what: str = ""
    owner_agency: Agency | None = None
    owner_name: str = ""
    due: date | None = None
    measure: str = ""


def action_problems(action: PersonActionInput) -> dict[str, str]:
    problems: dict[str, str] = {}
    if not text(action.what):
        problems["what"] = "Enter what will be done"
    if action.owner_agency is None:
        problems["owner_agency"] = "Select the agency that will do it"
    if not text(action.owner_name):
        problems["owner_name"] = "Enter who will do it"
    if action.due is None:
        problems["due"] = "Enter the date it is due"
    elif action.due < timezone.localdate():
        problems["due"] = "The due date must be today or in the future"
    if not text(action.measure):
        problems["measure"] = "Enter how we will know it is done"
    return problems


@transaction.atomic
def person_meeting_add_action(
    *,
    meeting: PersonMeeting,
    by: Officer,
    action: PersonActionInput,
    creation_key: uuid.UUID | None = None,
) -> PersonMeetingAction:
    current = _locked(meeting)
    require(can_write(by, current), "Only the chair records the actions.")
    key = creation_key or uuid.uuid4()
    earlier = PersonMeetingAction.objects.filter(creation_key=key, person_meeting=current).first()
    if earlier is not None:
        return earlier
    problems = action_problems(action)
    if problems:
        raise ValidationError(problems)
    assert action.owner_agency is not None and action.due is not None  # checked just above
    with attributed(by):
        return PersonMeetingAction.objects.create(
            person_meeting=current,
            what=text(action.what),
            owner_agency=action.owner_agency,
            owner_name=text(action.owner_name),
            due=action.due,
            measure=text(action.measure),
            created_by=by,
            creation_key=key,
        )


def finalise_problems(meeting: PersonMeeting) -> dict[str, str]:
    problems: dict[str, str] = {}
    if not meeting.minutes.strip():
        problems["minutes"] = "Write the minutes about the person before you finalise"
    if not meeting.links.exists():
        problems["links"] = "Link at least one child's strategy meeting before you finalise"
    return problems


@transaction.atomic
def person_meeting_finalise(
    *, meeting: PersonMeeting, by: Officer, expected_version: int
) -> PersonMeeting:
    current = _locked(meeting)
    require(can_write(by, current), "Only the chair finalises.")
    problems = finalise_problems(current)
    if problems:
        raise ValidationError(problems)
    with attributed(by):
        claim_version(
            current,
            expected_version,
            status=PersonMeeting.Status.FINAL,
            finalised_by=by,
            finalised_at=timezone.now(),
        )
    current.refresh_from_db()
    return current
