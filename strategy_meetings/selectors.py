"""Reads of strategy meetings that views share, the door to a meeting, and who may do what.

A meeting is a child-related object: every agency involved with the child sees it (draft or
final), through the access door (`cse_portal.access`); an officer of an uninvolved agency
gets 404. Inviting an agency involves it with the child, so every invitee can open it.
Each permission rule is one predicate here, beside the door, used by views, services and
templates alike:

- `can_convene(officer, child)`: children's social care convenes;
- `is_chair`, `is_minute_taker`; `can_write_minutes`: the chair and the named minute-taker,
  while the minutes are a draft; `can_manage_invitations`: the chair and the convening
  agency's officers, while a draft; `can_finalise`: the chair, while a draft;
  `can_add_addendum`: the chair and the minute-taker, once final;
  `can_decline(officer, invitation)`: the invited officer, while a draft.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)

from cse_portal import access
from cse_portal.access import case_objects_visible_to, get_case_object_for
from cse_portal.models import Agency, Child, Notification, Officer
from cse_portal.notifications import notifications_for
from cse_portal.querysets import with_only_relations
from referrals.assessment_selectors import finalised_of_child
from referrals.assessment_selectors import leads_to_strategy_meeting as assessment_leads_to_meeting
from referrals.selectors import leads_to_strategy_meeting, referrals_of_child
from screening.selectors import screenings_of_child
from strategy_meetings.models import (
    CHAIR_ROLES,
    Addendum,
    Invitation,
    InvitationStatus,
    Meeting,
    MinutesSection,
    PersonMeetingInvitation,
)

if TYPE_CHECKING:
    from referrals.models import Referral, RiskAssessment
    from screening.models import Screening

AnyOfficer = Officer | AnonymousUser


# What a meeting's own page, its forms and its PDF read of the meeting's relations, in the
# meeting's one query.
PAGE_RELATIONS = (
    "child",
    "child__home_authority",
    "child__host_authority",
    "convening_agency",
    "convened_by",
    "chair",
    "chair__agency",
    "minute_taker",
    "minute_taker__agency",
    "referral",
    "review_of",
    "source_assessment",
    "convening_authority",
    "child_host_authority",
    "finalised_by",
    "finalised_by_agency",
)


def _minutes_started() -> ExpressionWrapper:
    """A section written or an attendance recorded: the meeting has been held and its
    minutes are in draft."""
    started = Exists(
        MinutesSection.objects.filter(meeting=OuterRef("pk")).exclude(text="")
    ) | Exists(Invitation.objects.filter(meeting=OuterRef("pk")).exclude(attendance=""))
    return ExpressionWrapper(started, output_field=BooleanField())


def _meetings(
    relations: tuple[str, ...] = PAGE_RELATIONS, *, started: bool = True
) -> QuerySet[Meeting]:
    """Meetings with `relations` (by default what their pages show), and `minutes_started`
    unless `started` is False (a list that does not show the status).

    Every relation is a join that PostgreSQL plans on each read (the 16 of a meeting's page
    cost ~12 ms of planning at national scale, for 0.5 ms of execution): a page or a list
    that shows less reads less."""
    meetings = Meeting.objects.all()
    if started:
        meetings = meetings.annotate(minutes_started=_minutes_started())
    return with_only_relations(meetings, relations)


# --- The door -------------------------------------------------------------------------------


def get_meeting_for(officer: AnyOfficer, pk: object, *, child_pk: object) -> Meeting:
    """The meeting `pk` of child `child_pk` if the officer's agency is involved with the
    child; else 404."""
    return get_case_object_for(officer, _meetings(), pk, child_pk=child_pk)


def get_minutes_meeting_for(officer: AnyOfficer, pk: object, *, child_pk: object) -> Meeting:
    """`get_meeting_for` (the same door: 404 unless involved), with the child only: what the
    minutes' pages (the task list, attendance, a section, the outcome) and the panel beside
    them read of the meeting's relations. No `minutes_started`: they do not show it."""
    return get_case_object_for(
        officer, Meeting.objects.select_related("child"), pk, child_pk=child_pk
    )


def meetings_of_child(
    child: Child, officer: AnyOfficer, relations: tuple[str, ...] = PAGE_RELATIONS
) -> QuerySet[Meeting]:
    """The child's meetings (the child is fetched through the door already), latest first,
    with `relations` (by default what a meeting's page shows: the child's file reads each
    meeting whole)."""
    return case_objects_visible_to(officer, _meetings(relations)).filter(child=child)


# --- Who may do what ------------------------------------------------------------------------


def _agency_id(officer: AnyOfficer) -> int | None:
    return getattr(officer, "agency_id", None)


def can_convene(officer: AnyOfficer, child: Child) -> bool:
    """Children's social care convenes a strategy meeting about a child it is involved with
    (the child was fetched through the door): the access layer's rule."""
    return access.can_convene(officer)


def is_chair(officer: AnyOfficer, meeting: Meeting) -> bool:
    return officer.is_authenticated and officer.pk == meeting.chair_id


def is_minute_taker(officer: AnyOfficer, meeting: Meeting) -> bool:
    return (
        officer.is_authenticated
        and meeting.minute_taker_id is not None
        and officer.pk == meeting.minute_taker_id
    )


def can_write_minutes(officer: AnyOfficer, meeting: Meeting) -> bool:
    """The chair and the named minute-taker write the draft minutes (attendance, sections,
    outcome); nobody writes final ones."""
    return meeting.is_draft and (is_chair(officer, meeting) or is_minute_taker(officer, meeting))


def can_manage_invitations(officer: AnyOfficer, meeting: Meeting) -> bool:
    """The chair and the convening agency's officers invite, remove and change the details."""
    agency_id = _agency_id(officer)
    return meeting.is_draft and (
        is_chair(officer, meeting)
        or (agency_id is not None and agency_id == meeting.convening_agency_id)
    )


def can_finalise(officer: AnyOfficer, meeting: Meeting) -> bool:
    return meeting.is_draft and is_chair(officer, meeting)


def can_add_addendum(officer: AnyOfficer, meeting: Meeting) -> bool:
    """Corrections to final minutes are the chair's and the minute-taker's (G26)."""
    return meeting.is_final and (is_chair(officer, meeting) or is_minute_taker(officer, meeting))


def can_decline(officer: AnyOfficer, invitation: Invitation) -> bool:
    return (
        officer.is_authenticated
        and invitation.is_open
        and invitation.officer_id == officer.pk
        and invitation.meeting.is_draft
    )


def require(allowed: bool) -> None:
    """403 when a visible meeting's action is not the officer's."""
    if not allowed:
        raise PermissionDenied


# --- What the pages show --------------------------------------------------------------------


def invitations_of(meeting: Meeting) -> QuerySet[Invitation]:
    return meeting.invitations.select_related(
        "agency", "officer", "invited_by", "ended_by", "attendance_recorded_by"
    ).order_by("invited_at", "id")


def sections_of(meeting: Meeting) -> QuerySet[MinutesSection]:
    return meeting.sections.select_related("updated_by").order_by("position")


def addenda_of(meeting: Meeting) -> QuerySet[Addendum]:
    return meeting.addenda.select_related("written_by", "written_by_agency").order_by(
        "written_at", "id"
    )


@dataclass(frozen=True)
class MeetingContents:
    invitations: list[Invitation]
    sections: list[MinutesSection]
    addenda: list[Addendum]

    @property
    def open_invitations(self) -> list[Invitation]:
        return [i for i in self.invitations if i.is_open]

    @property
    def ended_invitations(self) -> list[Invitation]:
        return [i for i in self.invitations if not i.is_open]

    def addenda_at(self, place: str) -> list[Addendum]:
        return [a for a in self.addenda if a.place == place]

    @property
    def details_addenda(self) -> list[Addendum]:
        return self.addenda_at("details")

    @property
    def attendance_addenda(self) -> list[Addendum]:
        return self.addenda_at("attendance")

    @property
    def outcome_addenda(self) -> list[Addendum]:
        return self.addenda_at("outcome")

    @property
    def sections_with_addenda(self) -> list[tuple[MinutesSection, list[Addendum]]]:
        return [(s, self.addenda_at(s.key)) for s in self.sections]

    @property
    def addressed_count(self) -> int:
        return sum(1 for s in self.sections if s.is_addressed)


def meeting_contents(meeting: Meeting) -> MeetingContents:
    """Everything a meeting page shows besides the meeting row: three queries, whatever the
    number of invitees, sections or addenda."""
    return MeetingContents(
        invitations=list(invitations_of(meeting)),
        sections=list(sections_of(meeting)),
        addenda=list(addenda_of(meeting)),
    )


@dataclass(frozen=True)
class TaskList:
    """What the minutes' task list shows: each section (its title and whether it is
    addressed), and the open invitations (whether each one's attendance is recorded). No
    addenda: those are of final minutes, which the meeting's page shows."""

    sections: list[MinutesSection]
    open_invitations: list[Invitation]

    @property
    def addressed_count(self) -> int:
        return sum(1 for s in self.sections if s.is_addressed)


def task_list_of(meeting: Meeting) -> TaskList:
    """The minutes' task list: two queries, whatever the number of sections or invitees,
    with no relation (the list shows none of who wrote, invited or recorded)."""
    return TaskList(
        sections=list(meeting.sections.order_by("position")),
        open_invitations=list(
            meeting.invitations.filter(status=InvitationStatus.INVITED).order_by("invited_at", "id")
        ),
    )


@dataclass(frozen=True)
class ChildContext:
    """What the chair sees of the child beside the minutes, within what they may see."""

    latest_screening: Screening | None
    referrals: list[Referral]


CONTEXT_REFERRALS = 5


def child_context(meeting: Meeting, officer: Officer) -> ChildContext:
    """The latest submitted screening and the latest sent referrals, through their doors,
    with only the relations the panel shows: a screening's agency, a referral's
    acknowledgement and decision (its stage). The lists' other relations would be joins
    planned on every read of the minutes."""
    screening = (
        screenings_of_child(meeting.child, officer)
        .filter(status="submitted")
        .select_related(None)
        .select_related("agency")
        .first()
    )
    referrals = (
        referrals_of_child(meeting.child, officer)
        .filter(status="submitted")
        .select_related(None)
        .select_related("acknowledgement", "decision")
    )
    return ChildContext(latest_screening=screening, referrals=list(referrals[:CONTEXT_REFERRALS]))


def sent_referrals_of(child: Child, officer: Officer) -> list[Referral]:
    """The child's sent referrals the officer may see, newest first, with everything a
    referral list reads."""
    return list(referrals_of_child(child, officer).filter(status="submitted"))


# --- Choices offered by the forms -----------------------------------------------------------


def chair_candidates(child: Child) -> QuerySet[Officer]:
    """Child protection coordinators and independent reviewing officers (G17) of the child's
    home authority and, for a child placed elsewhere, the host authority."""
    areas = [child.home_authority_id, child.host_authority_id]
    return (
        Officer.objects.filter(
            role__in=CHAIR_ROLES, is_active=True, agency__local_authority_id__in=areas
        )
        .select_related("agency")
        .order_by("last_name", "first_name")
    )


def iro_candidates(child: Child) -> QuerySet[Officer]:
    return chair_candidates(child).filter(role=Officer.Role.IRO)


def minute_taker_candidates(agency_id: int | None) -> QuerySet[Officer]:
    """Officers of the convening agency (children's social care) may take the minutes."""
    if agency_id is None:
        return Officer.objects.none()
    return Officer.objects.filter(agency_id=agency_id, is_active=True).order_by(
        "last_name", "first_name"
    )


def invitable_agencies() -> QuerySet[Agency]:
    return Agency.objects.filter(is_active=True).select_related("local_authority")


def invitable_officers(agency: Agency, meeting: Meeting) -> QuerySet[Officer]:
    """The agency's active officers not already invited to the meeting."""
    invited = meeting.invitations.filter(
        status=InvitationStatus.INVITED, officer__isnull=False
    ).values("officer_id")
    return (
        Officer.objects.filter(agency=agency, is_active=True)
        .exclude(pk__in=invited)
        .order_by("last_name", "first_name")
    )


# --- "Your meetings" ------------------------------------------------------------------------


def meetings_for(officer: Officer, *, started: bool = True) -> QuerySet[Meeting]:
    """The meetings the officer chairs, takes the minutes of, or is invited to (and has not
    declined or been removed from), of children they can still see; latest first. With
    `minutes_started` unless `started` is False ("Your work" shows no status)."""
    invited = Exists(
        Invitation.objects.filter(
            meeting=OuterRef("pk"), officer=officer, status=InvitationStatus.INVITED
        )
    )
    mine = Q(chair=officer) | Q(minute_taker=officer) | invited
    # The lists show the child's name and the meeting's own fields: the child is the one
    # relation read. An invitation is asked with EXISTS, so a meeting is one row without
    # DISTINCT (over every column) and "Your work" counts it in the same query.
    return case_objects_visible_to(officer, _meetings(("child",), started=started)).filter(mine)


MEETING_NOTICES = "meeting."  # the kind prefix of the meetings' notifications


def notices_for(officer: Officer) -> QuerySet[Notification]:
    """The officer's notifications about meetings (each links to its meeting, which the
    door checks; the text names no child)."""
    return notifications_for(officer).filter(kind__startswith=MEETING_NOTICES)


def has_meetings(officer: Officer) -> bool:
    """Whether "Your meetings" is the officer's: children's social care convenes, chairs chair,
    and every invitee has a notification (the chair and the minute-taker are invited too)."""
    answer = has_meetings_by(officer)
    return answer if isinstance(answer, bool) else any(qs.exists() for qs in answer)


def has_meetings_by(officer: Officer) -> bool | tuple[QuerySet[Any], ...]:
    """`has_meetings`, answered without a query when the agency or the role settles it, else
    the querysets of which any row makes it so (the navigation asks them with its others)."""
    agency = officer.agency
    if agency is None:
        return False
    if agency.is_csc or officer.role in CHAIR_ROLES:
        return True
    return (notices_for(officer), PersonMeetingInvitation.objects.filter(officer=officer))


def meetings_with_contents(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    return meetings.prefetch_related(
        Prefetch("invitations", queryset=Invitation.objects.select_related("agency", "officer"))
    )


def referral_for_convening(officer: Officer, child: Child, referral_pk: Any) -> Referral | None:
    """A sent referral of the child that leads to a strategy meeting: CSC's decision was an
    initial assessment then a strategy discussion, or it meets the strategy-meeting
    threshold (G10). None when the referral is not one of those, or not visible."""
    for referral in sent_referrals_of(child, officer):
        if str(referral.pk) == str(referral_pk) and leads_to_meeting(referral):
            return referral
    return None


def leads_to_meeting(referral: Referral) -> bool:
    return leads_to_strategy_meeting(referral)


def assessment_for_convening(
    officer: Officer, child: Child, assessment_pk: Any
) -> RiskAssessment | None:
    """A finalised assessment of the child, seen through its door, whose judged level leads
    to a strategy meeting (medium or high, or the tool's equivalent). None otherwise."""
    for assessment in finalised_of_child(child, officer):
        if str(assessment.pk) == str(assessment_pk) and assessment_leads_to_meeting(assessment):
            return assessment
    return None
