"""Writing the minutes: attendance (G17, G18), the sections (G19, G20) and the outcome (G21,
G25). The chair and the named minute-taker write them while they are a draft.

Two people can write at once without losing anything: each section has its own version (a
stale save of the same section is refused, ConcurrentEditError, and the page keeps the
writer's text); each invitation's attendance has its own version too; the outcome is saved
against the meeting's version.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cse_portal.lifecycle import ConcurrentEditError, attributed, claim_version
from cse_portal.models import Officer
from strategy_meetings.models import (
    Attendance,
    Invitation,
    Meeting,
    MeetingOutcome,
    MinutesSection,
    PlanningForum,
)
from strategy_meetings.selectors import can_write_minutes
from strategy_meetings.services.common import locked, require, require_draft, text

WRITERS_ONLY = "Only the chair and the minute-taker write the minutes."


# --- Sections -------------------------------------------------------------------------------


@transaction.atomic
def section_save(
    *, section: MinutesSection, by: Officer, text_: str, expected_version: int
) -> MinutesSection:
    """Save one section's text, unless someone saved that section since `expected_version`
    (ConcurrentEditError: nothing is overwritten). Other sections are not this save's
    business: the chair and the minute-taker write different sections at once."""
    meeting = Meeting.objects.get(pk=section.meeting_id)
    require_draft(meeting)
    require(can_write_minutes(by, meeting), WRITERS_ONLY)
    with attributed(by):
        claim_version(
            section,
            expected_version,
            where=Q(meeting__status=Meeting.Status.DRAFT),
            text=text(text_),
            updated_by=by,
        )
    section.refresh_from_db()
    return section


# --- Attendance -----------------------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceAnswer:
    invitation: Invitation
    attendance: str  # an Attendance value, or "" when not answered
    expected_version: int


@dataclass(frozen=True)
class FamilyAttendance:
    """Whether the young person and the family attended (G18), each with the answer the
    page showed (`*_was`), so a change someone else made since is never overwritten."""

    young_person_attended: bool | None = None
    young_person_attended_was: bool | None = None
    family_attended: bool | None = None
    family_attended_was: bool | None = None


def attendance_problems(
    meeting: Meeting, answers: Sequence[AttendanceAnswer], family: FamilyAttendance
) -> dict[str, str]:
    problems: dict[str, str] = {}
    for answer in answers:
        if answer.attendance and answer.attendance not in Attendance.values:
            problems[f"attendance_{answer.invitation.pk}"] = "Select whether they attended"
    if not meeting.young_person_invited and family.young_person_attended:
        problems["young_person_attended"] = "The young person was not invited"
    if not meeting.family_invited and family.family_attended:
        problems["family_attended"] = "The family was not invited"
    return problems


@transaction.atomic
def meeting_record_attendance(
    *,
    meeting: Meeting,
    by: Officer,
    answers: Sequence[AttendanceAnswer],
    family: FamilyAttendance,
) -> Meeting:
    """Record who attended, sent apologies or did not attend (G17), and whether the young
    person and the family attended (G18). Answers unchanged since the page was shown are not
    written; a row someone else changed since is refused (ConcurrentEditError) and nothing of
    this save is kept."""
    meeting = locked(meeting)
    require_draft(meeting)
    require(can_write_minutes(by, meeting), WRITERS_ONLY)
    problems = attendance_problems(meeting, answers, family)
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    with attributed(by):
        for answer in answers:
            if answer.invitation.meeting_id != meeting.pk:
                raise ValidationError("That invitation is of another meeting.")
            if answer.attendance == answer.invitation.attendance:
                continue
            claim_version(
                answer.invitation,
                answer.expected_version,
                where=Q(meeting_id=meeting.pk, status="invited"),
                attendance=answer.attendance,
                attendance_recorded_by=by if answer.attendance else None,
                attendance_recorded_at=now if answer.attendance else None,
            )
        _save_family_attendance(meeting, family)
    meeting.refresh_from_db()
    return meeting


def _save_family_attendance(meeting: Meeting, family: FamilyAttendance) -> None:
    changes = {}
    for name in ("young_person_attended", "family_attended"):
        new, was = getattr(family, name), getattr(family, f"{name}_was")
        if new == getattr(meeting, name):
            continue
        if was != getattr(meeting, name):
            raise ConcurrentEditError  # changed by someone else since the page was shown
        changes[name] = new
    if changes:
        Meeting.objects.filter(pk=meeting.pk).update(**changes, updated_at=timezone.now())


# --- Outcome (G21) and parents and carers (G25) -----------------------------------------------


@dataclass(frozen=True)
class OutcomeAnswers:
    outcome: str = ""
    planning_forum: str = ""
    outcome_notes: str = ""
    parents_will_be_told: bool | None = None
    parents_told_what: str = ""
    parents_told_by: str = ""
    parents_not_told_reason: str = ""

    def cleaned(self) -> dict[str, object]:
        """The values to store: what does not apply to the answers given is left empty."""
        told = self.parents_will_be_told
        return {
            "outcome": self.outcome,
            "planning_forum": self.planning_forum if self.outcome == MeetingOutcome.S47 else "",
            "outcome_notes": text(self.outcome_notes),
            "parents_will_be_told": told,
            "parents_told_what": text(self.parents_told_what) if told else "",
            "parents_told_by": text(self.parents_told_by) if told else "",
            "parents_not_told_reason": text(self.parents_not_told_reason) if told is False else "",
        }


def outcome_problems(answers: OutcomeAnswers) -> dict[str, str]:
    problems: dict[str, str] = {}
    if answers.outcome not in MeetingOutcome.values:
        problems["outcome"] = "Select the outcome of the meeting"
    elif (
        answers.outcome == MeetingOutcome.S47 and answers.planning_forum not in PlanningForum.values
    ):
        problems["planning_forum"] = (
            "Select the planning forum: a Child Protection Conference or a Looked After Child "
            "Placement Planning Meeting"
        )
    if answers.parents_will_be_told is None:
        problems["parents_will_be_told"] = "Select whether the parents or carers will be told"
    elif answers.parents_will_be_told:
        if not text(answers.parents_told_what):
            problems["parents_told_what"] = "Enter what the parents or carers will be told"
        if not text(answers.parents_told_by):
            problems["parents_told_by"] = "Enter who will tell them"
    elif not text(answers.parents_not_told_reason):
        problems["parents_not_told_reason"] = (
            "Give the reasons for the decision not to tell the parents or carers"
        )
    return problems


@transaction.atomic
def meeting_record_outcome(
    *, meeting: Meeting, by: Officer, answers: OutcomeAnswers, expected_version: int
) -> Meeting:
    meeting = locked(meeting)
    require_draft(meeting)
    require(can_write_minutes(by, meeting), WRITERS_ONLY)
    problems = outcome_problems(answers)
    if problems:
        raise ValidationError(problems)
    with attributed(by):
        claim_version(meeting, expected_version, where=Q(status="draft"), **answers.cleaned())
    meeting.refresh_from_db()
    return meeting
