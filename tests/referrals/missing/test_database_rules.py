"""What the database itself keeps of missing episodes, whatever the code does: an episode whose
return interview is recorded is final, no episode is ever deleted, what was reported and then
the return are fixed once written, the interview falls due 72 hours after the return, and
addenda are never changed (G33, G37)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone

from cse_portal.working_days import LONDON
from referrals.models import MissingEpisode
from tests.referrals.missing.factories import closed, record, record_return

pytestmark = [pytest.mark.guidance("G33"), pytest.mark.guidance("G37")]

DB_REFUSES = DatabaseError  # pgtrigger raises ProgrammingError; constraints IntegrityError


def raw(sql: str, params: list) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_an_episode_with_its_return_interview_recorded_cannot_be_changed(world):
    episode = closed(world.child, world.owner)
    for sql in [
        "UPDATE referrals_missingepisode SET interview_summary = 'rewritten' WHERE id = %s",
        "UPDATE referrals_missingepisode SET version = version + 1 WHERE id = %s",
        "UPDATE referrals_missingepisode SET status = 'returned' WHERE id = %s",
        "DELETE FROM referrals_missingepisode WHERE id = %s",
    ]:
        with pytest.raises(DB_REFUSES):
            raw(sql, [episode.pk])
    episode.refresh_from_db()
    assert episode.interview_summary.startswith("Said she stayed with friends")


def test_no_episode_is_ever_deleted_even_while_the_child_is_missing(world):
    episode = record(world.child, world.owner)
    with pytest.raises(DB_REFUSES):
        raw("DELETE FROM referrals_missingepisode WHERE id = %s", [episode.pk])
    assert MissingEpisode.objects.filter(pk=episode.pk).exists()


@pytest.mark.parametrize(
    "change",
    [
        "circumstances = 'rewritten'",
        "reported_missing_at = reported_missing_at - interval '1 hour'",
        "reported_by_name = 'someone else'",
        "recorded_by_id = NULL",
        "created_at = now()",
    ],
)
def test_what_was_reported_is_fixed_once_recorded(world, change):
    episode = record(world.child, world.owner)
    with pytest.raises(DB_REFUSES):
        raw(f"UPDATE referrals_missingepisode SET {change} WHERE id = %s", [episode.pk])


def test_the_return_is_fixed_once_recorded_but_the_episode_stays_open(world):
    episode = record_return(record(world.child, world.owner), world.owner)
    with pytest.raises(DB_REFUSES):
        raw(
            "UPDATE referrals_missingepisode SET found_location = 'elsewhere' WHERE id = %s",
            [episode.pk],
        )
    with pytest.raises(DB_REFUSES):
        raw(
            "UPDATE referrals_missingepisode SET status = 'missing', returned_at = NULL, "
            "found_location = '', found_by = '', return_interview_due = NULL, "
            "return_recorded_by_id = NULL, return_recorded_at = NULL WHERE id = %s",
            [episode.pk],
        )
    # Its bookkeeping still moves on (the interview is still to come).
    raw("UPDATE referrals_missingepisode SET version = version + 1 WHERE id = %s", [episode.pk])


def _friday_before_the_clocks_go_forward() -> datetime:
    """Noon on the Friday before the latest change to British Summer Time before now."""
    now = timezone.now()
    year = now.year if now.month > 4 else now.year - 1
    day = datetime(year, 3, 31, 12, 0, tzinfo=LONDON)
    while day.weekday() != 6:  # the last Sunday of March
        day -= timedelta(days=1)
    return day - timedelta(days=2)


def test_the_interview_is_due_exactly_72_hours_after_the_return_in_every_time_zone(world):
    friday = _friday_before_the_clocks_go_forward()
    episode = record(world.child, world.owner, reported=friday - timedelta(hours=14))
    update = (
        "UPDATE referrals_missingepisode SET status = 'returned', returned_at = %s, "
        "found_location = 'Home', return_interview_due = %s::timestamptz + interval %s, "
        "return_recorded_by_id = %s, return_recorded_at = now() WHERE id = %s"
    )
    when = friday.isoformat()
    with pytest.raises(IntegrityError):
        raw(update, [when, when, "48 hours", world.owner.pk, episode.pk])
    # In London, three days after that Friday noon are 71 hours: the database wants 72.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL TIME ZONE 'Europe/London'")
        with pytest.raises(IntegrityError), transaction.atomic():
            cursor.execute(update, [when, when, "3 days", world.owner.pk, episode.pk])
        cursor.execute(update, [when, when, "72 hours", world.owner.pk, episode.pk])
        # Inside the test's transaction SET LOCAL would outlast this block: Django reads
        # times from a UTC session.
        cursor.execute("SET LOCAL TIME ZONE 'UTC'")
    episode.refresh_from_db()
    assert episode.status == "returned"
    assert timezone.localtime(episode.return_interview_due).hour == 13  # summer time by then


def test_a_closed_episode_must_say_who_did_the_interview_and_what_it_found(world):
    episode = record_return(record(world.child, world.owner), world.owner)
    with pytest.raises(IntegrityError):
        raw(
            "UPDATE referrals_missingepisode SET status = 'closed', interview_outcome = 'held', "
            "interview_at = returned_at, interview_summary = '', interview_by_name = 'Sam', "
            "interview_recorded_by_id = %s, interview_recorded_at = now() WHERE id = %s",
            [world.owner.pk, episode.pk],
        )
    with pytest.raises(IntegrityError):
        raw(
            "UPDATE referrals_missingepisode SET status = 'closed', interview_outcome = 'held', "
            "interview_at = returned_at, interview_summary = 'Fine', interview_by_name = '', "
            "interview_recorded_by_id = %s, interview_recorded_at = now() WHERE id = %s",
            [world.owner.pk, episode.pk],
        )


def test_an_episode_must_say_who_reported_it(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        MissingEpisode.objects.create(
            child=world.child,
            recorded_by=world.owner,
            recording_agency=world.school,
            reported_missing_at=world.child.created_at,
        )


def test_an_addendum_is_never_changed_or_removed(world):
    from referrals.services import missing as services

    episode = closed(world.child, world.owner)
    addendum, _ = services.missing_episode_add_addendum(
        episode=episode, by=world.owner, text="Correction.", creation_key=None
    )
    with pytest.raises(DB_REFUSES):
        raw("UPDATE referrals_missingepisodeaddendum SET text = 'x' WHERE id = %s", [addendum.pk])
    with pytest.raises(DB_REFUSES):
        raw("DELETE FROM referrals_missingepisodeaddendum WHERE id = %s", [addendum.pk])
