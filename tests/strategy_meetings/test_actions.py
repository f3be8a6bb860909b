"""The SMART action plan (G22), every attendee's sign-up (G23), the review date (G24), and the
plan frozen once the minutes are final, its progress recorded as rows of their own (G26).

Through the real services and, for the rules the database keeps, raw SQL."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone

from strategy_meetings import services
from strategy_meetings.action_selectors import (
    actions_of,
    latest_review_date,
    plan_view,
    with_progress,
)
from strategy_meetings.models import (
    Action,
    ActionStatus,
    ActionUpdate,
    Invitation,
    SignUp,
    review_latest,
)
from tests.factories import OfficerFactory
from tests.strategy_meetings import factories
from tests.strategy_meetings.plan_helpers import (
    add_action,
    agree_plan,
    finalised_with_plan,
    plan_version,
    set_review,
    sign_everyone_up,
)

DB_REFUSES = DatabaseError  # pgtrigger raises ProgrammingError, our triggers IntegrityError


def raw(sql: str, params: list) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def police_invited(meeting, world, chair):
    return services.meeting_invite(
        meeting=meeting, by=chair, invitee=services.Invitee(world.police, world.involved)
    )


@pytest.fixture
def held(meeting, chair, police_invited):
    """The meeting held: every section written, everyone attended, the outcome a CIN plan."""
    factories.write_every_section(meeting, chair)
    factories.record_everyone_attended(meeting, chair)
    return factories.record_outcome(meeting, chair, plan=False)


# --- G22: SMART actions ---------------------------------------------------------------------


@pytest.mark.guidance("G22")
def test_an_action_says_what_who_by_when_and_how_we_will_know(meeting, chair):
    with pytest.raises(ValidationError) as error:
        services.action_add(meeting=meeting, by=chair, answers=services.ActionAnswers())
    assert error.value.message_dict == {
        "what": ["Enter what will be done"],
        "owner_officer": ["Select who owns the action, or enter the name of the person"],
        "due": ["Enter the date the action is due"],
        "measure": ["Enter how we will know the action is done"],
    }
    assert not Action.objects.exists()

    action = add_action(meeting, chair, owner_officer=chair)
    assert (action.owner_officer, action.owner_agency) == (chair, chair.agency)
    assert action.status == ActionStatus.NOT_STARTED


@pytest.mark.guidance("G22")
def test_the_owner_is_an_officer_of_an_involved_agency_or_a_named_person_and_agency(
    meeting, chair, world
):
    answers = services.ActionAnswers(
        what="Offer a health check.",
        owner_officer=world.uninvolved,  # Northdale Health Trust: not involved with the child
        due=timezone.localdate(meeting.starts_at) + timedelta(days=14),
        measure="Health check offered.",
    )
    assert services.action_problems(meeting, answers) == {
        "owner_officer": "The owner must be an officer of an agency involved with the child"
    }
    named = services.ActionAnswers(
        what="Offer a health check.",
        owner_name="Dr Priya Shah",
        due=answers.due,
        measure="Health check offered.",
    )
    assert services.action_problems(meeting, named) == {
        "owner_agency": "Select the agency of the person who owns the action"
    }
    action, created = services.action_add(
        meeting=meeting,
        by=chair,
        answers=services.ActionAnswers(**{**named.__dict__, "owner_agency": world.health}),
    )
    assert created and action.owner_display == "Dr Priya Shah (Northdale Health Trust)"


@pytest.mark.guidance("G22")
def test_an_action_is_overdue_past_its_due_date_while_not_done(meeting, chair):
    action = add_action(meeting, chair)
    after_due = action.due + timedelta(days=1)

    def overdue(today):
        return with_progress(Action.objects.filter(pk=action.pk), today).get().overdue

    assert not overdue(action.due)
    assert overdue(after_due)
    Action.objects.filter(pk=action.pk).update(status=ActionStatus.DONE)
    assert not overdue(after_due)
    Action.objects.filter(pk=action.pk).update(status=ActionStatus.NO_LONGER_NEEDED)
    assert not overdue(after_due)


@pytest.mark.guidance("G22")
def test_the_database_refuses_an_action_without_an_owner_or_a_measure(meeting, chair):
    action = add_action(meeting, chair)
    with pytest.raises(IntegrityError):
        raw(
            "UPDATE strategy_meetings_action SET owner_officer_id = NULL WHERE id = %s", [action.pk]
        )
    with pytest.raises(IntegrityError):
        raw("UPDATE strategy_meetings_action SET measure = '' WHERE id = %s", [action.pk])


def test_the_same_add_form_sent_twice_adds_one_action(meeting, chair):
    import uuid

    key = uuid.uuid4()
    answers = services.ActionAnswers(
        what="Refer to the youth service.",
        owner_officer=chair,
        due=timezone.localdate(meeting.starts_at) + timedelta(days=7),
        measure="Referral made.",
    )
    first, created = services.action_add(
        meeting=meeting, by=chair, answers=answers, creation_key=key
    )
    again, created_again = services.action_add(
        meeting=meeting, by=chair, answers=answers, creation_key=key
    )
    assert (created, created_again, first.pk) == (True, False, again.pk)
    assert Action.objects.count() == 1


def test_a_stale_change_of_an_action_is_refused(meeting, chair, minute_taker):
    action = add_action(meeting, chair)
    answers = services.ActionAnswers(
        what="Changed by the chair.", owner_officer=chair, due=action.due, measure="x"
    )
    services.action_change(action=action, by=chair, answers=answers, expected_version=1)
    with pytest.raises(services.ConcurrentEditError):
        services.action_change(
            action=action,
            by=minute_taker,
            answers=services.ActionAnswers(**{**answers.__dict__, "what": "Minute-taker's"}),
            expected_version=1,
        )
    action.refresh_from_db()
    assert action.what == "Changed by the chair."


def test_only_the_chair_and_the_minute_taker_write_the_plan(meeting, world):
    with pytest.raises(PermissionDenied):
        add_action(meeting, world.involved)


# --- G23: every attendee signs up -----------------------------------------------------------


@pytest.mark.guidance("G23")
def test_the_minutes_cannot_be_final_until_every_attendee_has_signed_up(held, chair, world):
    add_action(held, chair)
    set_review(held, chair)

    problems = services.finalise_problems(held)
    assert problems["sign_up_" + str(_invitation(held, world.involved).pk)] == (
        "Ivan Involved has not yet signed up to the action plan"
    )
    assert "Carmen Chair has not yet signed up to the action plan" in problems.values()
    with pytest.raises(ValidationError):
        services.meeting_finalise(meeting=held, by=chair, expected_version=held.version)

    sign_everyone_up(held, chair)
    held.refresh_from_db()
    assert services.finalise_problems(held) == {}
    final = services.meeting_finalise(meeting=held, by=chair, expected_version=held.version)
    assert final.is_final


def _invitation(meeting, officer) -> Invitation:
    return Invitation.objects.get(meeting=meeting, officer=officer)


@pytest.mark.guidance("G23")
def test_an_officer_signs_only_their_own_sign_up(held, chair, world):
    police = _invitation(held, world.involved)
    with pytest.raises(PermissionDenied):
        services.plan_sign(meeting=held, by=chair, invitation=police, plan_version=0)
    with pytest.raises(PermissionDenied):  # nor may the chair "record" a portal user's agreement
        services.plan_record_agreement(meeting=held, by=chair, invitation=police, plan_version=0)

    sign_up = services.plan_sign(meeting=held, by=world.involved, invitation=police, plan_version=0)

    assert (sign_up.signed_by, sign_up.recorded_by, sign_up.method) == (
        world.involved,
        world.involved,
        SignUp.Method.SIGNED_IN,
    )


@pytest.mark.guidance("G23")
def test_the_chair_records_the_agreement_of_an_attendee_with_no_portal_account(
    meeting, chair, minute_taker, world
):
    services.meeting_invite(
        meeting=meeting,
        by=chair,
        invitee=services.Invitee(world.health, person_name="Dr Priya Shah", role="GP"),
    )
    factories.write_every_section(meeting, chair)
    factories.record_everyone_attended(meeting, chair)
    gp = Invitation.objects.get(meeting=meeting, person_name="Dr Priya Shah")
    with pytest.raises(PermissionDenied):
        services.plan_record_agreement(
            meeting=meeting, by=minute_taker, invitation=gp, plan_version=0
        )

    sign_up = services.plan_record_agreement(
        meeting=meeting, by=chair, invitation=gp, plan_version=0
    )

    assert sign_up.method == SignUp.Method.RECORDED_BY_CHAIR
    assert (sign_up.signed_by, sign_up.recorded_by) == (None, chair)
    assert sign_up.get_method_display() == "Agreed at the meeting, recorded by the chair"


@pytest.mark.guidance("G23")
def test_a_change_to_the_plan_after_signing_asks_for_the_changed_plan_to_be_signed(
    held, chair, world
):
    agree_plan(held, chair)
    police = _invitation(held, world.involved)
    assert services.finalise_problems(held) == {}

    add_action(held, chair, what="Police to visit the address of concern.")

    view = plan_view(held)
    assert {a.invitation.pk: a.state for a in view.attendees}[police.pk] == "signed_earlier"
    assert services.finalise_problems(held)[f"sign_up_{police.pk}"] == (
        "Ivan Involved signed an earlier version of the plan: they must sign up to the changed plan"
    )
    # The earlier sign-up stays, as history; the new one names the changed plan's version.
    services.plan_sign(
        meeting=held, by=world.involved, invitation=police, plan_version=plan_version(held)
    )
    assert SignUp.objects.filter(invitation=police).count() == 2
    assert f"sign_up_{police.pk}" not in services.finalise_problems(held)


@pytest.mark.guidance("G23")
def test_signing_a_plan_that_changed_while_it_was_read_is_refused(held, chair, world):
    add_action(held, chair)
    read = plan_version(held)
    add_action(held, chair, what="Another action, added while the police read the plan.")

    with pytest.raises(ValidationError, match="changed while you were reading it"):
        services.plan_sign(
            meeting=held,
            by=world.involved,
            invitation=_invitation(held, world.involved),
            plan_version=read,
        )
    assert not SignUp.objects.exists()


@pytest.mark.guidance("G23")
def test_the_database_refuses_a_sign_up_on_someone_elses_behalf(held, chair, world):
    police = _invitation(held, world.involved)
    add_action(held, chair)
    with pytest.raises(IntegrityError, match="Only the attendee signs up"):
        raw(
            "INSERT INTO strategy_meetings_signup (meeting_id, invitation_id, plan_version,"
            " method, signed_by_id, recorded_by_id, at) VALUES (%s, %s, 1, 'signed_in', %s, %s,"
            " now())",
            [held.pk, police.pk, chair.pk, chair.pk],
        )


@pytest.mark.guidance("G23")
def test_the_database_refuses_final_minutes_without_every_sign_up(held, chair):
    add_action(held, chair)
    set_review(held, chair)
    with pytest.raises(IntegrityError, match="Every attendee must sign up"):
        raw(
            "UPDATE strategy_meetings_meeting SET status = 'final', finalised_by_id = %s,"
            " finalised_by_agency_id = %s, finalised_at = now() WHERE id = %s",
            [chair.pk, chair.agency_id, held.pk],
        )


# --- G24: the review meeting ----------------------------------------------------------------


@pytest.mark.guidance("G24")
def test_unless_nfa_or_s47_a_review_within_three_months_is_required(held, chair):
    add_action(held, chair)
    sign_everyone_up(held, chair)
    assert services.finalise_problems(held)["review_date"] == (
        "Agree the date of the review meeting, no later than three months after this one"
    )
    latest = latest_review_date(held)
    with pytest.raises(ValidationError) as error:
        services.plan_set_review_date(
            meeting=held,
            by=chair,
            review_date=latest + timedelta(days=1),
            expected_version=plan_version(held),
        )
    assert (
        "no later than three months after this meeting"
        in error.value.message_dict["review_date"][0]
    )
    with pytest.raises(ValidationError, match="after this meeting"):
        services.plan_set_review_date(
            meeting=held,
            by=chair,
            review_date=timezone.localdate(held.starts_at),
            expected_version=plan_version(held),
        )
    set_review(held, chair, latest)
    assert "review_date" not in services.finalise_problems(held)


@pytest.mark.guidance("G24")
@pytest.mark.parametrize("outcome", ["nfa", "s47"])
def test_no_review_is_needed_after_nfa_or_s47(meeting, chair, outcome):
    factories.write_every_section(meeting, chair)
    factories.record_everyone_attended(meeting, chair)
    extra = {"planning_forum": "cp_conference"} if outcome == "s47" else {}
    meeting = factories.record_outcome(meeting, chair, plan=False, outcome=outcome, **extra)
    add_action(meeting, chair)
    sign_everyone_up(meeting, chair)
    meeting.refresh_from_db()

    assert services.finalise_problems(meeting) == {}
    assert services.meeting_finalise(
        meeting=meeting, by=chair, expected_version=meeting.version
    ).is_final


@pytest.mark.guidance("G24")
def test_the_database_refuses_final_minutes_without_a_review_date(held, chair):
    add_action(held, chair)
    sign_everyone_up(held, chair)
    with pytest.raises(IntegrityError, match="review meeting no later than three months"):
        raw(
            "UPDATE strategy_meetings_meeting SET status = 'final', finalised_by_id = %s,"
            " finalised_by_agency_id = %s, finalised_at = now() WHERE id = %s",
            [chair.pk, chair.agency_id, held.pk],
        )


@pytest.mark.guidance("G24")
@pytest.mark.parametrize(
    "day",
    [
        date(2026, 1, 15),
        date(2026, 11, 30),
        date(2026, 12, 31),
        date(2027, 11, 30),
        date(2027, 8, 31),
    ],
)
def test_three_months_after_is_the_same_as_the_databases(db, day):
    with connection.cursor() as cursor:
        cursor.execute("SELECT (%s::date + interval '3 months')::date", [day])
        assert review_latest(day) == cursor.fetchone()[0]


@pytest.mark.guidance("G24")
def test_the_review_is_convened_from_the_plan_and_shows_the_earlier_actions_progress(
    held, chair, world
):
    action = agree_plan(held, chair)
    held.refresh_from_db()
    final = services.meeting_finalise(meeting=held, by=chair, expected_version=held.version)
    services.action_record_progress(
        action=action, by=chair, status=ActionStatus.IN_PROGRESS, note="Two visits so far."
    )

    review, created = services.review_convene(meeting=final, by=world.csc_officer)

    assert created and review.review_of == final and review.origin == "review"
    assert timezone.localdate(review.starts_at) == plan_view(final).review_date
    invited = set(review.invitations.values_list("officer_id", flat=True))
    assert {chair.pk, world.involved.pk} <= invited  # the earlier attendees
    from strategy_meetings.action_selectors import earlier_progress

    progress = earlier_progress(review)
    assert [(a.pk, a.current_status, a.progress_note) for a in progress] == [
        (action.pk, ActionStatus.IN_PROGRESS, "Two visits so far.")
    ]


# --- G26: after finalising, the plan is frozen; progress is its own rows --------------------


@pytest.mark.guidance("G26")
def test_a_final_plan_cannot_be_changed_even_with_raw_sql(meeting, chair):
    final = finalised_with_plan(meeting, chair)
    action = final.actions.get()
    for sql in (
        "UPDATE strategy_meetings_action SET what = 'rewritten' WHERE id = %s",
        "DELETE FROM strategy_meetings_action WHERE id = %s",
        "UPDATE strategy_meetings_action SET status = 'done' WHERE id = %s",
    ):
        with pytest.raises(DB_REFUSES):
            raw(sql, [action.pk])
    with pytest.raises(DB_REFUSES):
        raw(
            "UPDATE strategy_meetings_actionplan SET review_date = NULL WHERE meeting_id = %s",
            [final.pk],
        )
    with pytest.raises(DB_REFUSES):
        raw("DELETE FROM strategy_meetings_signup WHERE meeting_id = %s", [final.pk])
    with pytest.raises(ValidationError):
        add_action(final, chair)


@pytest.mark.guidance("G26")
def test_progress_after_finalising_is_an_attributed_row_and_the_latest_is_the_status(
    meeting, chair, world
):
    final = finalised_with_plan(meeting, chair)
    action = final.actions.get()
    first, _ = services.action_record_progress(
        action=action, by=chair, status=ActionStatus.IN_PROGRESS, note="Started."
    )
    services.action_record_progress(
        action=action, by=chair, status=ActionStatus.DONE, note="Four visits made."
    )

    current = actions_of(final).get()
    assert current.current_status == ActionStatus.DONE
    assert current.status == ActionStatus.NOT_STARTED  # the plan as agreed, unchanged
    assert (first.by, first.by_agency) == (chair, chair.agency)
    with pytest.raises(DB_REFUSES):
        raw("UPDATE strategy_meetings_actionupdate SET note = 'x' WHERE id = %s", [first.pk])
    with pytest.raises(DB_REFUSES):
        raw("DELETE FROM strategy_meetings_actionupdate WHERE id = %s", [first.pk])


@pytest.mark.guidance("G26")
def test_progress_is_recorded_on_final_plans_only_and_by_the_owner_their_agency_or_the_chair(
    meeting, chair, world
):
    action = add_action(meeting, chair, owner_officer=world.involved)
    with pytest.raises(IntegrityError, match="actions of final minutes"), transaction.atomic():
        ActionUpdate.objects.create(
            action=action, status="done", by=chair, by_agency_id=chair.agency_id
        )
    final = finalised_with_plan(meeting, chair)
    action = final.actions.get(owner_officer=world.involved)
    colleague = OfficerFactory(agency=world.police)

    with pytest.raises(PermissionDenied):
        services.action_record_progress(
            action=action, by=world.owner, status=ActionStatus.DONE, note="Done."
        )
    update, _ = services.action_record_progress(
        action=action, by=colleague, status=ActionStatus.IN_PROGRESS, note=""
    )
    assert update.by_agency == world.police
    with pytest.raises(ValidationError) as error:
        services.action_record_progress(
            action=action, by=world.involved, status=ActionStatus.DONE, note=" "
        )
    assert error.value.message_dict == {"note": ["Say how we know it is done"]}
