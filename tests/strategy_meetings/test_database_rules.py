"""The database holds the rules whatever writes to it: the chair's role (G17), the G18, G21,
G25 and G29 answers, and final minutes frozen (G26) — tested with raw SQL."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from cse_portal.models import Officer
from strategy_meetings.models import Addendum, Meeting
from tests.strategy_meetings.factories import finalised


def _sql(statement: str, *params: object) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)


def _refused(statement: str, *params: object) -> None:
    with pytest.raises(DatabaseError):
        _sql(statement, *params)


@pytest.mark.guidance("G17")
def test_the_database_refuses_a_chair_of_another_role(meeting, world):
    _refused(
        "UPDATE strategy_meetings_meeting SET chair_id = %s WHERE id = %s",
        world.csc_officer.pk,
        meeting.pk,
    )
    assert world.csc_officer.role == Officer.Role.SOCIAL_WORKER


def test_the_database_refuses_a_convening_agency_other_than_csc(meeting, world):
    _refused(
        "UPDATE strategy_meetings_meeting SET convening_agency_id = %s WHERE id = %s",
        world.police.pk,
        meeting.pk,
    )


@pytest.mark.guidance("G18")
def test_the_database_refuses_not_inviting_without_a_reason(meeting):
    _refused(
        "UPDATE strategy_meetings_meeting SET young_person_invited = false, "
        "young_person_not_invited_reason = '' WHERE id = %s",
        meeting.pk,
    )


@pytest.mark.guidance("G21")
@pytest.mark.parametrize(
    ("outcome", "forum"),
    [("strategy", ""), ("s47", ""), ("caf", "cp_conference"), ("s47", "somewhere")],
)
def test_the_database_refuses_anything_but_one_of_the_four_outcomes(meeting, outcome, forum):
    _refused(
        "UPDATE strategy_meetings_meeting SET outcome = %s, planning_forum = %s WHERE id = %s",
        outcome,
        forum,
        meeting.pk,
    )


@pytest.mark.guidance("G25")
@pytest.mark.parametrize(
    "assignments",
    [
        "parents_will_be_told = true, parents_told_what = 'x', parents_told_by = ''",
        "parents_will_be_told = false, parents_not_told_reason = ''",
    ],
)
def test_the_database_refuses_parents_answers_without_what_who_or_why(meeting, assignments):
    _refused(
        f"UPDATE strategy_meetings_meeting SET {assignments} WHERE id = %s",
        meeting.pk,
    )


@pytest.mark.guidance("G29")
def test_the_database_refuses_an_out_of_area_meeting_without_the_host_contact(meeting, world):
    _refused(
        "UPDATE strategy_meetings_meeting SET child_host_authority_id = %s WHERE id = %s",
        world.south.pk,
        meeting.pk,
    )


@pytest.mark.guidance("G19")
def test_the_database_refuses_to_finalise_with_a_section_unaddressed(meeting, chair):
    _refused(
        "UPDATE strategy_meetings_meeting SET status = 'final', finalised_by_id = %s, "
        "finalised_by_agency_id = %s, finalised_at = now(), outcome = 'nfa', "
        "parents_will_be_told = false, parents_not_told_reason = 'x' WHERE id = %s",
        chair.pk,
        chair.agency_id,
        meeting.pk,
    )


@pytest.mark.guidance("G26")
def test_final_minutes_cannot_be_changed_or_deleted_in_the_database(meeting, chair):
    meeting = finalised(meeting, chair)
    section = meeting.sections.first()
    invitation = meeting.invitations.first()
    for statement, pk in [
        ("UPDATE strategy_meetings_meeting SET place = 'Elsewhere' WHERE id = %s", meeting.pk),
        ("UPDATE strategy_meetings_meeting SET status = 'draft' WHERE id = %s", meeting.pk),
        ("DELETE FROM strategy_meetings_meeting WHERE id = %s", meeting.pk),
        ("UPDATE strategy_meetings_minutessection SET text = 'Changed' WHERE id = %s", section.pk),
        ("DELETE FROM strategy_meetings_minutessection WHERE id = %s", section.pk),
        (
            "UPDATE strategy_meetings_invitation SET attendance = 'apologies' WHERE id = %s",
            invitation.pk,
        ),
        ("DELETE FROM strategy_meetings_invitation WHERE id = %s", invitation.pk),
    ]:
        _refused(statement, pk)
    _refused(
        "INSERT INTO strategy_meetings_minutessection (meeting_id, key, kind, position, text, "
        "version, updated_at) VALUES (%s, 'risk-to-child', 'placement', 20, 'x', 1, now())",
        meeting.pk,
    )
    section.refresh_from_db()
    assert section.text == "Discussed."


@pytest.mark.guidance("G26")
def test_addenda_are_append_only_and_to_final_minutes_only(meeting, chair):
    insert = (
        "INSERT INTO strategy_meetings_addendum (meeting_id, place, text, written_by_id, "
        "written_by_agency_id, written_at) VALUES (%s, 'outcome', 'x', %s, %s, now())"
    )
    _refused(insert, meeting.pk, chair.pk, chair.agency_id)  # a draft
    meeting = finalised(meeting, chair)
    _sql(insert, meeting.pk, chair.pk, chair.agency_id)
    addendum = Addendum.objects.get()
    _refused("UPDATE strategy_meetings_addendum SET text = 'y' WHERE id = %s", addendum.pk)
    _refused("DELETE FROM strategy_meetings_addendum WHERE id = %s", addendum.pk)


def test_a_draft_can_still_be_written(meeting):
    _sql("UPDATE strategy_meetings_meeting SET place = 'Room 9' WHERE id = %s", meeting.pk)
    assert Meeting.objects.get(pk=meeting.pk).place == "Room 9"


def test_a_second_open_invitation_of_one_officer_is_refused(meeting, chair):
    invitation = meeting.invitations.get(officer=chair)
    with pytest.raises(IntegrityError), transaction.atomic():
        invitation.pk = None
        invitation.creation_key = None
        invitation.save()
