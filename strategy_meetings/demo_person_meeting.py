"""The demo's separate meeting about a person of concern linked to several children [002 §8]:
Marcus Webb, named in Jasmine Chen's referral and seen with Kofi Asante, about whom a
separate meeting links both children's own meetings. The police and the school are invited;
each sees, of the two children, only those its agency is involved with. Every name and
detail is fictional.

A link of the person to Kofi is made here when no other part of the demo made one (a link by
no referral, recorded by the police), so the demo shows a person linked to two children.
Running it again creates nothing: a person with a separate meeting is left alone.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.management.base import OutputWrapper
from django.utils import timezone

from cse_portal.models import Officer
from referrals.models import PersonLink, PersonOfConcern
from strategy_meetings.models import Meeting, PersonMeeting
from strategy_meetings.services import person_meetings as services

PERSON = "Marcus Webb"
CHILDREN = (("Jasmine", "Chen"), ("Kofi", "Asante"))
NOTES = {
    "Jasmine": "Police have seen her get into his car twice near the retail park; she says he "
    "is a friend of her cousin. Her own meeting plans her safety.",
    "Kofi": "Youth workers saw Kofi at the flat Marcus Webb uses on Cinder Row. Kofi says he "
    "goes there to play games; he has new trainers he cannot explain.",
}
MINUTES = (
    "Marcus Webb, about 32, is linked to two children in the area. He drives a dark estate car "
    "and uses a flat on Cinder Row where young people are seen arriving late at night. Police "
    "will consider Child Abduction Warning Notices for each child under 16, and a search of "
    "the flat under PACE if there is information to justify it. Each child's own strategy "
    "meeting plans that child's safety; this meeting co-ordinates the disruption of the adult."
)


def _at(days: int, hour: int = 14) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, 0))


def load_demo(stdout: OutputWrapper, convener: Officer, officers: dict[str, Officer]) -> None:
    person = PersonOfConcern.objects.filter(full_name=PERSON).first()
    chair, police, school = (
        officers.get(n) for n in ("cp.coordinator", "police.officer", "school.lead")
    )
    if person is None or chair is None or police is None or school is None:
        return
    if PersonMeeting.objects.filter(person=person).exists() or police.agency is None:
        return
    meetings = [
        Meeting.objects.filter(child__first_name=first, child__last_name=last)
        .select_related("child")
        .order_by("-starts_at")
        .first()
        for first, last in CHILDREN
    ]
    if any(m is None for m in meetings):
        return
    for meeting in meetings:
        assert meeting is not None
        if not PersonLink.objects.filter(person=person, child=meeting.child).exists():
            PersonLink.objects.create(
                person=person,
                child=meeting.child,
                relationship_to_child="Seen with the child at the flat on Cinder Row",
                linked_by=police,
                linked_by_agency=police.agency,  # checked above
            )
    try:
        _create(person, convener, chair, [m for m in meetings if m], police, school)
    except ValidationError as error:
        stdout.write(f"Strategy meetings: skipped the separate demo meeting: {error}")
        return
    stdout.write("Strategy meetings: created 1 separate meeting about a person of concern.")


def _create(
    person: PersonOfConcern,
    convener: Officer,
    chair: Officer,
    meetings: list[Meeting],
    police: Officer,
    school: Officer,
) -> None:
    separate = services.person_meeting_convene(
        person=person,
        by=convener,
        details=services.PersonMeetingDetails(
            reason=PersonMeeting.Reason.SEVERAL_CHILDREN,
            chair=chair,
            starts_at=_at(6),
            place="Meeting room 2, Northdale Civic Centre, Market Square",
        ),
    )
    for invitee, role in ((police, "CSE team"), (school, "Designated safeguarding lead")):
        assert invitee.agency is not None
        services.person_meeting_invite(
            meeting=separate, by=convener, agency=invitee.agency, officer=invitee, role=role
        )
    for meeting in meetings:
        link = services.person_meeting_link(meeting=separate, by=chair, child_meeting=meeting)
        services.person_meeting_save_note(
            link=link,
            by=chair,
            note=NOTES[meeting.child.first_name],
            expected_version=link.note_version,
        )
    separate = services.person_meeting_save_minutes(
        meeting=separate, by=chair, minutes=MINUTES, expected_version=separate.version
    )
    assert police.agency is not None
    services.person_meeting_add_action(
        meeting=separate,
        by=chair,
        action=services.PersonActionInput(
            what="Consider Child Abduction Warning Notices for each child under 16 linked to "
            "Marcus Webb",
            owner_agency=police.agency,
            owner_name=str(police),
            due=timezone.localdate() + timedelta(days=14),
            measure="A decision recorded for each child, and any notice served.",
        ),
    )
