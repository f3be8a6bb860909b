"""The rules of missing episodes (G33), as the services keep them: who may record, what an
episode must say, the return interview due 72 hours after the return, optimistic locking while
the episode is open, attribution (G37), and the selectors other subjects use."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from pghistory.models import Events

from cse_portal import services as core
from cse_portal.lifecycle import ConcurrentEditError
from cse_portal.working_days import LONDON
from referrals.models import EpisodeStatus, MissingEpisode
from referrals.models.missing import describe_duration
from referrals.selectors_missing import (
    missing_count,
    missing_episodes_in_last_90_days,
    return_interviews_due_for,
)
from referrals.services import missing as services
from tests.factories import make_child
from tests.referrals.missing.factories import (
    ago,
    closed,
    record,
    record_interview,
    record_return,
)

pytestmark = pytest.mark.guidance("G33")


def test_an_officer_of_an_uninvolved_agency_cannot_record(world):
    with pytest.raises(PermissionDenied):
        record(world.child, world.uninvolved)


@pytest.mark.guidance("G37")
def test_each_stage_is_attributed_to_the_officer_who_recorded_it(world):
    episode = record(world.child, world.involved, reported_by_officer=world.involved)
    assert episode.reported_by_agency == world.police  # the officer's agency, filled in
    episode = record_return(episode, world.owner)
    episode = record_interview(episode, world.lead)
    assert (episode.recorded_by, episode.recording_agency) == (world.involved, world.police)
    assert episode.return_recorded_by == world.owner
    assert episode.interview_recorded_by == world.lead
    events = list(Events.objects.tracks(episode).order_by("pgh_created_at").values("pgh_context"))
    users = [e["pgh_context"]["user"] for e in events]
    assert users == [world.involved.pk, world.owner.pk, world.lead.pk]


def test_the_same_creation_key_records_once_and_only_for_the_same_child(world):
    key = uuid.uuid4()
    first, created = services.missing_episode_record(
        child=world.child,
        by=world.owner,
        creation_key=key,
        reported_missing_at=ago(hours=3),
        reported_by_name="Mother",
    )
    again, created_again = services.missing_episode_record(
        child=world.child,
        by=world.owner,
        creation_key=key,
        reported_missing_at=ago(hours=1),
        reported_by_name="Someone else",
    )
    assert (created, created_again, again.pk) == (True, False, first.pk)
    other = make_child(by=world.owner, first_name="Other")
    with pytest.raises(ValidationError):
        services.missing_episode_record(
            child=other,
            by=world.owner,
            creation_key=key,
            reported_missing_at=ago(hours=1),
            reported_by_name="Mother",
        )


@pytest.mark.parametrize(
    ("delta", "message"),
    [
        (timedelta(minutes=-5), "must be in the past"),
        (timedelta(days=19 * 366), "must be within the last 18 years"),
    ],
)
def test_an_impossible_report_time_is_refused(world, delta, message):
    with pytest.raises(ValidationError) as error:
        record(world.child, world.owner, reported=ago(minutes=0) - delta)
    assert message in error.value.message_dict["reported_missing_at"][0]


def test_the_return_interview_is_due_72_hours_after_the_return_across_a_change_of_clocks(world):
    # The clocks go forward in the small hours of Sunday 29 March 2026: 72 hours after noon
    # on the Friday is 1pm on the Monday, by the clock.
    now = datetime(2026, 4, 2, 9, 0, tzinfo=LONDON)
    episode, _ = services.missing_episode_record(
        child=world.child,
        by=world.owner,
        creation_key=None,
        now=now,
        reported_missing_at=datetime(2026, 3, 26, 22, 0, tzinfo=LONDON),
        reported_by_name="Carer",
    )
    episode = services.missing_episode_record_return(
        episode=episode,
        by=world.owner,
        expected_version=episode.version,
        now=now,
        returned_at=datetime(2026, 3, 27, 12, 0, tzinfo=LONDON),
        found_location="Home",
    )
    assert episode.return_interview_due == datetime(2026, 3, 30, 13, 0, tzinfo=LONDON)
    assert episode.return_interview_due - episode.returned_at == timedelta(hours=72)


def test_a_return_cannot_come_before_the_report_nor_an_interview_before_the_return(world):
    episode = record(world.child, world.owner, reported=ago(hours=10))
    with pytest.raises(ValidationError) as error:
        record_return(episode, world.owner, returned=ago(hours=11))
    assert "after they were reported missing" in error.value.message_dict["returned_at"][0]
    episode = record_return(episode, world.owner, returned=ago(hours=5))
    with pytest.raises(ValidationError) as error:
        record_interview(episode, world.owner, at=ago(hours=6))
    assert "after the child's return" in error.value.message_dict["interview_at"][0]


def test_a_save_begun_before_someone_elses_is_refused(world):
    episode = record(world.child, world.owner)
    stale_version = episode.version
    record_return(episode, world.involved, found_location="Bus station")
    with pytest.raises(ConcurrentEditError):
        services.missing_episode_record_return(
            episode=episode,
            by=world.owner,
            expected_version=stale_version,
            returned_at=ago(hours=1),
            found_location="Somewhere else",
        )
    episode.refresh_from_db()
    assert episode.found_location == "Bus station"


def test_the_same_return_sent_twice_is_taken_as_it_stands(world):
    episode = record(world.child, world.owner)
    version = episode.version
    returned = ago(hours=3)
    for _ in range(2):
        saved = services.missing_episode_record_return(
            episode=episode,
            by=world.owner,
            expected_version=version,
            returned_at=returned,
            found_location="Bus station",
            found_by="",
        )
    assert saved.version == version + 1


def test_an_interview_cannot_be_recorded_before_the_return(world):
    episode = record(world.child, world.owner)
    with pytest.raises(ConcurrentEditError):
        services.missing_episode_record_interview(
            episode=episode,
            by=world.owner,
            expected_version=episode.version,
            outcome="held",
            interview_at=ago(minutes=5),
            interview_by_name="Sam",
            summary="Fine.",
        )
    assert MissingEpisode.objects.get().status == EpisodeStatus.MISSING


def test_a_declined_interview_is_recorded_with_what_was_offered(world):
    episode = record_return(record(world.child, world.owner), world.owner)
    with pytest.raises(ValidationError) as error:
        record_interview(episode, world.owner, outcome="declined", summary="")
    assert error.value.message_dict["summary"] == [
        "Enter what was offered, by whom, and what the child said"
    ]
    episode = record_interview(episode, world.owner, outcome="declined", summary="Offered by Sam.")
    assert episode.status == EpisodeStatus.CLOSED


def test_the_last_90_days_count_any_episode_with_a_part_in_them(world):
    now = ago(minutes=0)
    closed(
        world.child,
        world.owner,
        reported=now - timedelta(days=200),
        returned=now - timedelta(days=199),
        interview=now - timedelta(days=198),
    )
    # Reported before the 90 days, back within them.
    long_one = closed(
        world.child,
        world.owner,
        reported=now - timedelta(days=95),
        returned=now - timedelta(days=80),
        interview=now - timedelta(days=79),
    )
    recent = record_return(
        record(world.child, world.owner, reported=now - timedelta(days=3)), world.owner
    )
    still = record(world.child, world.owner, reported=now - timedelta(hours=2))
    assert missing_count(world.child) == 3
    assert missing_count(world.child, days=30) == 2
    assert missing_count(world.child, days=365) == 4
    assert [e.pk for e in missing_episodes_in_last_90_days(world.child)] == [
        still.pk,
        recent.pk,
        long_one.pk,
    ]
    other = make_child(by=world.owner, first_name="Other")
    assert missing_count(other) == 0


def test_an_episode_still_missing_after_90_days_is_still_counted(world):
    record(world.child, world.owner, reported=ago(days=120))
    assert missing_count(world.child) == 1


def test_return_interviews_due_are_those_of_the_agencys_children_overdue_first(world):
    later = record_return(
        record(world.child, world.owner, reported=ago(hours=10)), world.owner, returned=ago(hours=2)
    )
    overdue = record_return(
        record(world.child, world.owner, reported=ago(days=6)), world.owner, returned=ago(days=5)
    )
    closed(world.child, world.owner)
    record(world.child, world.owner)  # still missing: no interview due yet
    hidden = make_child(by=world.uninvolved, first_name="Hidden")
    record_return(record(hidden, world.uninvolved), world.uninvolved)
    due = list(return_interviews_due_for(world.involved))
    assert [e.pk for e in due] == [overdue.pk, later.pk]
    assert [e.interview_overdue for e in due] == [True, False]
    assert [e.child_id for e in return_interviews_due_for(world.uninvolved)] == [hidden.pk]


def test_an_agency_no_longer_involved_no_longer_sees_the_interviews_due(world):
    record_return(record(world.child, world.owner), world.owner)
    share = world.child.involvements.get(agency=world.police)
    core.involvement_end(involvement=share, by=world.owner, reason="Closed")
    assert list(return_interviews_due_for(world.involved)) == []


@pytest.mark.parametrize(
    ("minutes", "text"),
    [
        (0, "less than a minute"),
        (40, "40 minutes"),
        (61, "1 hour 1 minute"),
        (9 * 60 + 15, "9 hours 15 minutes"),
        (2 * 24 * 60 + 4 * 60 + 30, "2 days 4 hours"),
        (24 * 60 + 5, "1 day 5 minutes"),
    ],
)
def test_durations_read_as_people_say_them(minutes, text):
    assert describe_duration(timedelta(minutes=minutes)) == text
