"""Writing the minutes: the chair and the minute-taker only; per-section optimistic locking
so two writers lose nothing; attendance (G17, G18); the outcome (G21); the parents (G25)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from strategy_meetings import services
from strategy_meetings.models import Attendance, Meeting
from tests.strategy_meetings.factories import record_outcome


def _section(meeting, key):
    return meeting.sections.get(key=key)


def test_chair_and_minute_taker_write_different_sections_at_once(meeting, chair, minute_taker):
    a, b = _section(meeting, "needs-and-safety"), _section(meeting, "section-47")
    # Both pages were opened at the same versions; each saves its own section.
    services.section_save(section=a, by=chair, text_="Safety plan agreed.", expected_version=1)
    services.section_save(section=b, by=minute_taker, text_="S47 not needed.", expected_version=1)
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.text, a.updated_by, a.version) == ("Safety plan agreed.", chair, 2)
    assert (b.text, b.updated_by, b.version) == ("S47 not needed.", minute_taker, 2)


def test_a_stale_save_of_the_same_section_is_refused_and_nothing_is_overwritten(
    meeting, chair, minute_taker
):
    section = _section(meeting, "needs-and-safety")
    services.section_save(section=section, by=chair, text_="Chair's words.", expected_version=1)
    with pytest.raises(services.ConcurrentEditError):
        services.section_save(
            section=section, by=minute_taker, text_="Minute-taker's words.", expected_version=1
        )
    section.refresh_from_db()
    assert section.text == "Chair's words."


def test_only_the_chair_and_the_minute_taker_write_the_minutes(meeting, world):
    section = _section(meeting, "needs-and-safety")
    for officer in (world.csc_officer, world.owner):
        with pytest.raises(PermissionDenied):
            services.section_save(section=section, by=officer, text_="x", expected_version=1)


@pytest.mark.guidance("G17")
def test_attendance_and_apologies_by_person_and_agency(meeting, chair, minute_taker):
    chair_inv = meeting.invitations.get(officer=chair)
    taker_inv = meeting.invitations.get(officer=minute_taker)
    services.meeting_record_attendance(
        meeting=meeting,
        by=minute_taker,
        answers=[
            services.AttendanceAnswer(chair_inv, Attendance.ATTENDED, chair_inv.version),
            services.AttendanceAnswer(taker_inv, Attendance.APOLOGIES, taker_inv.version),
        ],
        family=services.FamilyAttendance(young_person_attended=False),
    )
    chair_inv.refresh_from_db()
    taker_inv.refresh_from_db()
    assert (chair_inv.attendance, chair_inv.attendance_recorded_by) == ("attended", minute_taker)
    assert taker_inv.get_attendance_display() == "Sent apologies"
    assert list(meeting.attendees()) == [chair_inv]


@pytest.mark.guidance("G18")
def test_whether_the_young_person_attended_is_recorded(meeting, chair):
    services.meeting_record_attendance(
        meeting=meeting,
        by=chair,
        answers=[],
        family=services.FamilyAttendance(young_person_attended=True),
    )
    meeting.refresh_from_db()
    assert meeting.young_person_attended is True


@pytest.mark.guidance("G18")
def test_the_family_not_invited_cannot_be_recorded_as_attending(meeting, chair):
    with pytest.raises(ValidationError) as error:
        services.meeting_record_attendance(
            meeting=meeting,
            by=chair,
            answers=[],
            family=services.FamilyAttendance(family_attended=True),
        )
    assert "family_attended" in error.value.message_dict


def test_a_stale_attendance_answer_is_refused(meeting, chair, minute_taker):
    inv = meeting.invitations.get(officer=chair)
    services.meeting_record_attendance(
        meeting=meeting,
        by=chair,
        answers=[services.AttendanceAnswer(inv, Attendance.ATTENDED, inv.version)],
        family=services.FamilyAttendance(),
    )
    with pytest.raises(services.ConcurrentEditError):
        services.meeting_record_attendance(
            meeting=meeting,
            by=minute_taker,
            answers=[services.AttendanceAnswer(inv, Attendance.DID_NOT_ATTEND, 1)],
            family=services.FamilyAttendance(),
        )
    inv.refresh_from_db()
    assert inv.attendance == Attendance.ATTENDED


@pytest.mark.guidance("G21")
def test_the_outcome_is_one_of_four(meeting, chair):
    problems = services.outcome_problems(
        services.OutcomeAnswers(outcome="strategy_discussion", parents_will_be_told=False)
    )
    assert "outcome" in problems
    assert set(Meeting.Outcome.values) == {"s47", "child_in_need", "caf", "nfa"}


@pytest.mark.guidance("G21")
def test_s47_or_emergency_action_records_the_planning_forum(meeting, chair):
    problems = services.outcome_problems(
        services.OutcomeAnswers(
            outcome="s47", parents_will_be_told=False, parents_not_told_reason="Police advice."
        )
    )
    assert set(problems) == {"planning_forum"}
    meeting = record_outcome(meeting, chair, outcome="s47", planning_forum="cp_conference")
    assert (meeting.outcome, meeting.planning_forum) == ("s47", "cp_conference")


@pytest.mark.guidance("G21")
def test_the_planning_forum_is_dropped_for_other_outcomes(meeting, chair):
    meeting = record_outcome(meeting, chair, outcome="caf", planning_forum="cp_conference")
    assert (meeting.outcome, meeting.planning_forum) == ("caf", "")


@pytest.mark.guidance("G25")
def test_what_parents_will_be_told_and_by_whom(meeting, chair):
    problems = services.outcome_problems(
        services.OutcomeAnswers(outcome="nfa", parents_will_be_told=True)
    )
    assert set(problems) == {"parents_told_what", "parents_told_by"}
    meeting = record_outcome(meeting, chair)
    assert meeting.parents_told_by == "Sofia Worker, social worker"


@pytest.mark.guidance("G25")
def test_the_decision_not_to_tell_parents_needs_reasons(meeting, chair):
    problems = services.outcome_problems(
        services.OutcomeAnswers(outcome="nfa", parents_will_be_told=False)
    )
    assert set(problems) == {"parents_not_told_reason"}
    meeting = record_outcome(
        meeting,
        chair,
        parents_will_be_told=False,
        parents_not_told_reason="A parent may be involved; police advise not yet.",
    )
    assert meeting.parents_will_be_told is False
    assert meeting.parents_told_what == ""


def test_a_stale_outcome_save_is_refused(meeting, chair, minute_taker):
    stale = meeting.version
    record_outcome(meeting, chair)
    with pytest.raises(services.ConcurrentEditError):
        services.meeting_record_outcome(
            meeting=meeting,
            by=minute_taker,
            answers=services.OutcomeAnswers(
                outcome="nfa", parents_will_be_told=False, parents_not_told_reason="Risk."
            ),
            expected_version=stale,
        )
