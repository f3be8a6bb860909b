"""Convening a strategy meeting (children's social care) and changing its details.

Each rule is written once, in a `*_problems` function that the service applies and the page
asks as well, so its error summary lists every problem at once:

- G17: the chair is a child protection coordinator or an independent reviewing officer (and
  the database refuses any other, a trigger);
- G18: whether the young person and the family are invited, with a reason when not;
- G20: for a looked-after child the IRO is invited (the chair, if they are the child's IRO,
  or another named IRO); the minutes then address the four placement factors;
- G29 [002 §7]: for a child placed in another area, which authority convenes (the home or
  the host), and that the host authority's child protection manager was contacted.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cse_portal.lifecycle import attributed, claim_version
from cse_portal.models import Child, LocalAuthority, Officer
from referrals.assessment_selectors import leads_to_strategy_meeting as assessment_leads_to_meeting
from referrals.models import Referral, RiskAssessment
from strategy_meetings.models import CHAIR_ROLES, Meeting, MinutesSection, NoticeKind, Origin
from strategy_meetings.models.minutes import sections_for
from strategy_meetings.selectors import can_convene, can_manage_invitations
from strategy_meetings.services.common import locked, require, require_draft, text
from strategy_meetings.services.invitations import Invitee, invite
from strategy_meetings.services.notices import notify


@dataclass(frozen=True)
class MeetingDetails:
    """What the convening page and the details page both ask."""

    starts_at: datetime | None = None
    place: str = ""
    call_details: str = ""
    minute_taker: Officer | None = None
    young_person_invited: bool | None = None
    young_person_not_invited_reason: str = ""
    family_invited: bool | None = None
    family_not_invited_reason: str = ""

    def cleaned(self) -> MeetingDetails:
        """Texts trimmed; a reason for not inviting kept only when not invited."""
        return replace(
            self,
            place=text(self.place),
            call_details=text(self.call_details),
            young_person_not_invited_reason=""
            if self.young_person_invited
            else text(self.young_person_not_invited_reason),
            family_not_invited_reason=""
            if self.family_invited
            else text(self.family_not_invited_reason),
        )

    def as_fields(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class Convening:
    """What only convening asks: the chair, the IRO, and the out-of-area answers (G29)."""

    details: MeetingDetails = field(default_factory=MeetingDetails)
    chair: Officer | None = None
    iro: Officer | None = None
    iro_name: str = ""
    convening_authority: LocalAuthority | None = None
    host_cp_manager: str = ""
    host_cp_manager_contacted_at: datetime | None = None
    host_contact_note: str = ""


def details_problems(details: MeetingDetails) -> dict[str, str]:
    problems: dict[str, str] = {}
    if details.starts_at is None:
        problems["starts_at"] = "Enter the date and time of the meeting"
    if not text(details.place) and not text(details.call_details):
        problems["place"] = "Enter where the meeting is held, or how to join the call"
    for who, label in (("young_person", "the young person"), ("family", "the family")):
        invited = getattr(details, f"{who}_invited")
        if invited is None:
            problems[f"{who}_invited"] = f"Select whether {label} is invited"
        elif not invited and not text(getattr(details, f"{who}_not_invited_reason")):
            problems[f"{who}_not_invited_reason"] = f"Give the reason {label} is not invited"
    return problems


def convene_problems(child: Child, convening: Convening) -> dict[str, str]:
    problems = details_problems(convening.details)
    chair = convening.chair
    if chair is None:
        problems["chair"] = "Select the chair"
    elif chair.role not in CHAIR_ROLES:
        problems["chair"] = (
            "The chair must be a child protection coordinator or an independent reviewing officer"
        )
    if child.is_looked_after and not _iro_named(convening):
        problems["iro"] = (
            "The child is looked after: select the child's independent reviewing officer (IRO) "
            "to invite, or enter their name"
        )
    problems.update(_out_of_area_problems(child, convening))
    return problems


def _iro_named(convening: Convening) -> bool:
    chair_is_iro = convening.chair is not None and convening.chair.role == Officer.Role.IRO
    return chair_is_iro or convening.iro is not None or bool(text(convening.iro_name))


def _out_of_area_problems(child: Child, convening: Convening) -> dict[str, str]:
    problems: dict[str, str] = {}
    areas = {child.home_authority_id, child.host_authority_id} - {None}
    authority = convening.convening_authority
    if authority is None or authority.pk not in areas:
        problems["convening_authority"] = (
            "Select which authority convenes the meeting: the child's home authority or the "
            "host authority"
        )
    if child.placed_out_of_area:
        if not text(convening.host_cp_manager):
            problems["host_cp_manager"] = (
                "Enter who you contacted: the host authority's child protection manager"
            )
        contacted = convening.host_cp_manager_contacted_at
        if contacted is None:
            problems["host_cp_manager_contacted_at"] = (
                "Enter when the host authority's child protection manager was contacted"
            )
        elif contacted > timezone.now():
            problems["host_cp_manager_contacted_at"] = "The date contacted must be in the past"
    return problems


@dataclass(frozen=True)
class Source:
    """Where a meeting comes from: a referral's decision or threshold, an earlier meeting, a
    finalised assessment."""

    origin: str = Origin.DIRECT
    referral: Referral | None = None
    review_of: Meeting | None = None
    assessment: RiskAssessment | None = None


def _create_meeting(
    child: Child, convening: Convening, *, by: Officer, source: Source, creation_key: uuid.UUID
) -> Meeting:
    details = convening.details.cleaned()
    placed_elsewhere = child.placed_out_of_area
    assert by.agency_id is not None and convening.chair is not None  # checked by the rules
    assert convening.convening_authority is not None
    return Meeting.objects.create(
        child=child,
        origin=source.origin,
        referral=source.referral,
        review_of=source.review_of,
        source_assessment=source.assessment,
        convening_agency_id=by.agency_id,
        convened_by=by,
        chair=convening.chair,
        child_looked_after=child.is_looked_after,
        child_host_authority_id=child.host_authority_id,
        convening_authority=convening.convening_authority,
        host_cp_manager=text(convening.host_cp_manager) if placed_elsewhere else "",
        host_cp_manager_contacted_at=convening.host_cp_manager_contacted_at
        if placed_elsewhere
        else None,
        host_contact_note=text(convening.host_contact_note) if placed_elsewhere else "",
        creation_key=creation_key,
        **details.as_fields(),
    )


def _first_invitations(meeting: Meeting, convening: Convening, *, by: Officer) -> None:
    """The chair, the minute-taker and (for a looked-after child) the IRO are invited."""
    chair = convening.chair
    assert chair is not None and chair.agency is not None
    separate_iro = convening.iro is not None or bool(text(convening.iro_name))
    # A chair who is an IRO is the child's IRO here unless another IRO is named.
    chair_is_iro = meeting.child_looked_after and not separate_iro and chair.role == "iro"
    invite(meeting, Invitee(chair.agency, chair, role="Chair", is_iro=chair_is_iro), by=by)
    taker = meeting.minute_taker
    if taker is not None and taker.pk != chair.pk and taker.agency is not None:
        invite(meeting, Invitee(taker.agency, taker, role="Minute-taker"), by=by)
    if convening.iro is not None and convening.iro.pk != chair.pk and convening.iro.agency:
        invite(meeting, Invitee(convening.iro.agency, convening.iro, is_iro=True), by=by)
    elif convening.iro is None and text(convening.iro_name):
        invite(
            meeting,
            Invitee(
                meeting.convening_agency, person_name=convening.iro_name, role="IRO", is_iro=True
            ),
            by=by,
        )


@transaction.atomic
def meeting_convene(
    *,
    child: Child,
    by: Officer,
    convening: Convening,
    source: Source | None = None,
    creation_key: uuid.UUID | None = None,
) -> tuple[Meeting, bool]:
    """Convene a meeting about `child`: (meeting, created). The same form sent twice (its
    `creation_key`) convenes one meeting. The minutes' sections are laid out at once: the
    ten considerations, and the four placement factors for a looked-after child."""
    require(can_convene(by, child), "Children's social care convenes a strategy meeting.")
    key = creation_key or uuid.uuid4()
    if (earlier := _convened_with(key, child)) is not None:
        return earlier, False
    source = source or Source()
    _check_source(child, source)
    problems = convene_problems(child, convening)
    if problems:
        raise ValidationError(problems)
    with attributed(by):
        try:
            with transaction.atomic():
                meeting = _create_meeting(child, convening, by=by, source=source, creation_key=key)
        except IntegrityError:
            if (earlier := _convened_with(key, child)) is None:
                raise
            return earlier, False
        MinutesSection.objects.bulk_create(
            MinutesSection(meeting=meeting, key=spec.key, kind=spec.kind, position=n)
            for n, spec in enumerate(sections_for(looked_after=meeting.child_looked_after))
        )
        _first_invitations(meeting, convening, by=by)
    return meeting, True


def _check_source(child: Child, source: Source) -> None:
    for earlier in (source.referral, source.review_of, source.assessment):
        if earlier is not None and earlier.child_id != child.pk:
            raise ValidationError("That record is about another child.")
    if source.review_of is not None and source.origin != Origin.REVIEW:
        raise ValidationError("A review names the meeting it reviews.")
    if source.origin == Origin.ASSESSMENT and (
        source.assessment is None or not assessment_leads_to_meeting(source.assessment)
    ):
        raise ValidationError(
            "A meeting is convened from a finalised assessment that judged the risk medium or high."
        )


def _convened_with(key: uuid.UUID, child: Child) -> Meeting | None:
    earlier = Meeting.objects.filter(creation_key=key).first()
    if earlier is not None and earlier.child_id != child.pk:
        raise ValidationError("This form has already been used. Start again from the record.")
    return earlier


@transaction.atomic
def meeting_update_details(
    *, meeting: Meeting, by: Officer, details: MeetingDetails, expected_version: int
) -> Meeting:
    """Change the date, place, minute-taker or the G18 answers, unless someone else saved the
    meeting since `expected_version`. Invitees are told of a new date or place; a new
    minute-taker is invited."""
    meeting = locked(meeting)
    require_draft(meeting)
    require(can_manage_invitations(by, meeting), "Only the chair or the convening agency can.")
    problems = details_problems(details)
    if problems:
        raise ValidationError(problems)
    details = details.cleaned()
    moved = (meeting.starts_at, meeting.place, meeting.call_details) != (
        details.starts_at,
        details.place,
        details.call_details,
    )
    with attributed(by):
        claim_version(meeting, expected_version, **details.as_fields())
        meeting.refresh_from_db()
        taker = meeting.minute_taker
        invited = meeting.invitations.filter(officer=taker, status="invited").exists()
        if taker is not None and taker.agency is not None and not invited:
            invite(meeting, Invitee(taker.agency, taker, role="Minute-taker"), by=by)
        if moved:
            officers = [i.officer for i in meeting.invitations.filter(status="invited")]
            notify(meeting, officers, NoticeKind.CHANGED, f"{meeting.reference}: new date or place")
    return meeting
