"""Finalising the minutes (the chair), and addenda to final minutes (G26).

`finalise_problems(meeting)` is the one list of what stands in the way, shown on the
finalise page and applied again by `meeting_finalise`: every section addressed (G19, and the
placement factors, G20), everyone's attendance recorded and whether the young person and the
family attended (G17, G18), the IRO invited for a looked-after child (G20), the outcome
(G21) and what the parents and carers will be told (G25).

Other parts of the app add their own rules with `register_finalise_rule` (the action plan:
every attendee has signed up, G23) without editing this module: a rule takes the meeting and
returns {key: message}. Once final, the database refuses any change to the meeting, its
sections and its invitations (triggers); corrections are addenda, attributed and never
changed.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from cse_portal.lifecycle import attributed, claim_version
from cse_portal.models import Officer
from strategy_meetings.models import (
    ADDENDUM_PLACES,
    SECTIONS,
    Addendum,
    InvitationStatus,
    Meeting,
    NoticeKind,
)
from strategy_meetings.selectors import can_add_addendum, can_finalise
from strategy_meetings.services.common import locked, require, require_draft, text
from strategy_meetings.services.notices import notify

FinaliseRule = Callable[[Meeting], dict[str, str]]

_EXTRA_RULES: dict[str, FinaliseRule] = {}


def register_finalise_rule(key: str, rule: FinaliseRule) -> None:
    """Add a rule finalising must pass (keyed, so registering again replaces it)."""
    _EXTRA_RULES[key] = rule


# Steps run in the finalising transaction once the meeting is final (the action plan's
# digest of the finalised record, G27): a step takes the final meeting and the chair.
FinalisedStep = Callable[[Meeting, Officer], object]

_FINALISED_STEPS: dict[str, FinalisedStep] = {}


def register_finalised_step(key: str, step: FinalisedStep) -> None:
    """Add a step to run as the minutes become final (keyed, so registering again replaces)."""
    _FINALISED_STEPS[key] = step


def extra_finalise_problems(meeting: Meeting) -> dict[str, str]:
    problems: dict[str, str] = {}
    for rule in _EXTRA_RULES.values():
        for key, message in rule(meeting).items():
            problems.setdefault(key, message)
    return problems


def _attendance_problems(meeting: Meeting) -> dict[str, str]:
    problems: dict[str, str] = {}
    open_invitations = meeting.invitations.filter(status=InvitationStatus.INVITED)
    unrecorded = open_invitations.filter(attendance="").count()
    if unrecorded:
        problems["attendance"] = (
            f"Record the attendance of every invitee: {unrecorded} not yet recorded"
        )
    if meeting.young_person_invited and meeting.young_person_attended is None:
        problems["young_person_attended"] = "Record whether the young person attended"
    if meeting.family_invited and meeting.family_attended is None:
        problems["family_attended"] = "Record whether the family attended"
    return problems


def finalise_problems(meeting: Meeting) -> dict[str, str]:
    """Everything that stands in the way of finalising, key → message (empty: ready)."""
    problems: dict[str, str] = {}
    for section in meeting.sections.order_by("position"):
        if not section.is_addressed:
            problems[f"section_{section.key}"] = (
                f"Address “{section.title}” (if it does not apply, say why)"
            )
    problems.update(_attendance_problems(meeting))
    iro_invited = meeting.invitations.filter(is_iro=True, status=InvitationStatus.INVITED)
    if meeting.child_looked_after and not iro_invited.exists():
        problems["iro"] = "The child is looked after: invite the child's IRO (G20)"
    if not meeting.outcome:
        problems["outcome"] = "Record the outcome of the meeting"
    if meeting.parents_will_be_told is None:
        problems["parents_will_be_told"] = (
            "Record what the parents or carers will be told and by whom, or the decision not "
            "to tell them"
        )
    for key, message in extra_finalise_problems(meeting).items():
        problems.setdefault(key, message)
    return problems


@transaction.atomic
def meeting_finalise(*, meeting: Meeting, by: Officer, expected_version: int) -> Meeting:
    """The chair makes the minutes final: dated and attributed to them and their agency
    (G37), then frozen. Invitees are told inside the portal."""
    meeting = locked(meeting)
    require_draft(meeting)
    require(can_finalise(by, meeting), "Only the chair can finalise the minutes.")
    problems = finalise_problems(meeting)
    if problems:
        raise ValidationError(list(problems.values()))
    with attributed(by):
        claim_version(
            meeting,
            expected_version,
            where=Q(status=Meeting.Status.DRAFT),
            status=Meeting.Status.FINAL,
            finalised_by=by,
            finalised_by_agency_id=by.agency_id,
            finalised_at=timezone.now(),
        )
        officers = [
            i.officer
            for i in meeting.invitations.filter(status="invited").select_related("officer")
        ]
        notify(meeting, officers, NoticeKind.FINALISED, meeting.reference)
    meeting.refresh_from_db()
    for step in _FINALISED_STEPS.values():
        step(meeting, by)
    return meeting


# --- Addenda (G26) --------------------------------------------------------------------------


def addendum_problems(*, place: str, text_: str) -> dict[str, str]:
    problems: dict[str, str] = {}
    if place not in SECTIONS and place not in ADDENDUM_PLACES:
        problems["place"] = "Select the part of the minutes the addendum is about"
    if not text(text_):
        problems["text"] = "Enter the addendum: the correction or what is added"
    return problems


@transaction.atomic
def meeting_add_addendum(
    *,
    meeting: Meeting,
    by: Officer,
    place: str,
    text_: str,
    creation_key: uuid.UUID | None = None,
) -> Addendum:
    """Add an attributed addendum to final minutes, shown where it belongs. The same form
    sent twice adds one."""
    meeting = locked(meeting)
    if not meeting.is_final:
        raise ValidationError("The minutes are not final yet: change them instead.")
    require(can_add_addendum(by, meeting), "Only the chair and the minute-taker add addenda.")
    if creation_key is not None and (earlier := _added_with(creation_key, meeting)):
        return earlier
    problems = addendum_problems(place=place, text_=text_)
    if problems:
        raise ValidationError(problems)
    assert by.agency_id is not None  # the chair and the minute-taker work for an agency
    with attributed(by):
        try:
            with transaction.atomic():
                return Addendum.objects.create(
                    meeting=meeting,
                    place=place,
                    text=text(text_),
                    written_by=by,
                    written_by_agency_id=by.agency_id,
                    creation_key=creation_key,
                )
        except IntegrityError:
            if creation_key is None or (earlier := _added_with(creation_key, meeting)) is None:
                raise
            return earlier


def _added_with(key: uuid.UUID, meeting: Meeting) -> Addendum | None:
    earlier = Addendum.objects.filter(creation_key=key).first()
    if earlier is not None and earlier.meeting_id != meeting.pk:
        raise ValidationError("This form has already been used. Open the meeting again.")
    return earlier


__all__ = [
    "FinaliseRule",
    "FinalisedStep",
    "addendum_problems",
    "extra_finalise_problems",
    "finalise_problems",
    "meeting_add_addendum",
    "meeting_finalise",
    "register_finalise_rule",
    "register_finalised_step",
]
