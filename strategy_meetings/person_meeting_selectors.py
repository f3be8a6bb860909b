"""The door to a separate meeting about a person of concern, who may do what, and what each
viewer may see of the children it links [002 §7–8].

A separate meeting is not about one child, so its door is its own: it opens to officers of
the convening agency (children's social care), to its chair, and to officers of the agencies
invited; to anyone else it answers 404. Inside, each linked child's meeting and the note
about that child are shown only to an officer whose agency may see that child (the core's
door, `children_visible_to`); the others are not named. Children's social care and the
police (the agencies that convene, issue 8) see how many linked meetings they cannot see,
phrased so that it discloses no identity; other agencies see nothing of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404

from cse_portal.access import can_convene, case_objects_visible_to, children_visible_to
from cse_portal.models import Agency, Officer
from referrals.models import PersonLink, PersonOfConcern
from referrals.selectors_persons import persons_visible_to
from strategy_meetings.models import (
    Meeting,
    PersonMeeting,
    PersonMeetingAction,
    PersonMeetingInvitation,
    PersonMeetingLink,
)

AnyOfficer = Officer | AnonymousUser


def person_meetings_openable_by(officer: AnyOfficer) -> QuerySet[PersonMeeting]:
    agency_id = getattr(officer, "agency_id", None)
    if not officer.is_authenticated or not officer.is_active or agency_id is None:
        return PersonMeeting.objects.none()
    invited = PersonMeetingInvitation.objects.filter(agency_id=agency_id).values(
        "person_meeting_id"
    )
    return PersonMeeting.objects.filter(
        Q(convening_agency_id=agency_id) | Q(chair=officer) | Q(pk__in=invited)
    ).select_related("person", "convening_agency", "convened_by", "chair", "finalised_by")


def get_person_meeting_for(officer: AnyOfficer, pk: int | str) -> PersonMeeting:
    meeting = person_meetings_openable_by(officer).filter(pk=pk).first()
    if meeting is None:
        raise Http404("No such meeting.")
    return meeting


def person_meetings_for(officer: Officer) -> QuerySet[PersonMeeting]:
    """For "Your meetings": the separate meetings the officer chairs or is invited to."""
    mine = PersonMeetingInvitation.objects.filter(officer=officer).values("person_meeting_id")
    return person_meetings_openable_by(officer).filter(Q(chair=officer) | Q(pk__in=mine))


# --- Who may do what ------------------------------------------------------------------------


def can_convene_about(officer: AnyOfficer, person: PersonOfConcern) -> bool:
    """Children's social care, about a person it may see: one linked to a child its agency may
    see, by a link that is not in another agency's draft (the persons subject's own rule)."""
    if not can_convene(officer):
        return False
    return persons_visible_to(officer).filter(pk=person.pk).exists()


def can_manage(officer: AnyOfficer, meeting: PersonMeeting) -> bool:
    """The chair and the convening agency invite and link, while it is a draft."""
    agency_id = getattr(officer, "agency_id", None)
    return meeting.is_draft and (
        officer.pk == meeting.chair_id or agency_id == meeting.convening_agency_id
    )


def can_write(officer: AnyOfficer, meeting: PersonMeeting) -> bool:
    """The chair writes the minutes, the notes about each child and the actions, and
    finalises (the chair may see every linked child: linking requires it)."""
    return meeting.is_draft and officer.is_authenticated and officer.pk == meeting.chair_id


def may_see_hidden_count(officer: AnyOfficer) -> bool:
    agency: Agency | None = getattr(officer, "agency", None)
    return agency is not None and agency.kind in {
        Agency.Kind.CHILDRENS_SOCIAL_CARE,
        Agency.Kind.POLICE,
    }


# --- What a viewer sees ---------------------------------------------------------------------


@dataclass(frozen=True)
class PersonMeetingContents:
    visible_links: list[PersonMeetingLink]
    hidden_count: int  # linked meetings about children the viewer may not see
    show_hidden_count: bool
    invitations: list[PersonMeetingInvitation]
    actions: list[PersonMeetingAction]


def person_meeting_contents(meeting: PersonMeeting, officer: Officer) -> PersonMeetingContents:
    """Five queries, however many links, invitations or actions."""
    links = list(
        meeting.links.select_related("meeting", "meeting__child", "note_updated_by").order_by(
            "linked_at", "id"
        )
    )
    visible = set(
        children_visible_to(officer)
        .filter(pk__in=[link.meeting.child_id for link in links])
        .values_list("pk", flat=True)
    )
    return PersonMeetingContents(
        visible_links=[link for link in links if link.meeting.child_id in visible],
        hidden_count=sum(1 for link in links if link.meeting.child_id not in visible),
        show_hidden_count=may_see_hidden_count(officer),
        invitations=list(meeting.invitations.select_related("agency", "officer")),
        actions=list(meeting.actions.select_related("owner_agency")),
    )


def get_link_for(officer: Officer, meeting: PersonMeeting, link_pk: int | str) -> PersonMeetingLink:
    """A link of the meeting whose child the officer may see; else 404."""
    link = (
        meeting.links.filter(pk=link_pk, meeting__child__in=children_visible_to(officer))
        .select_related("meeting", "meeting__child")
        .first()
    )
    if link is None:
        raise Http404("No such linked meeting.")
    return link


def linkable_meetings(meeting: PersonMeeting, officer: Officer) -> QuerySet[Meeting]:
    """The strategy meetings of children linked to the person that both the officer and the
    chair may see, not yet linked."""
    children = PersonLink.objects.filter(person_id=meeting.person_id).values("child_id")
    return (
        case_objects_visible_to(officer, Meeting.objects.filter(child_id__in=children))
        .filter(child__in=children_visible_to(meeting.chair))
        .exclude(pk__in=meeting.links.values("meeting_id"))
        .select_related("child")
        .order_by("-starts_at", "-id")
    )


def children_linked_count(person: PersonOfConcern) -> int:
    return PersonLink.objects.filter(person=person).values("child_id").distinct().count()
