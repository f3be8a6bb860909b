""" "Your work"'s return interviews read the agency's child ids first
(`access.case_objects_of_visible_ids`, `child_id = ANY(ARRAY(…))`) for the planner's sake: the
same episodes, in the same order, with the same count, as the straightforward query through the
access door (`case_objects_visible_to`)."""

from __future__ import annotations

import pytest

from cse_portal import services
from cse_portal.access import case_objects_visible_to
from cse_portal.work import from_queryset
from referrals.models import EpisodeStatus, MissingEpisode
from referrals.selectors_missing import return_interviews_due_for
from referrals.work import interviews_due
from tests.factories import make_child
from tests.referrals.missing.factories import ago, record, record_return

pytestmark = [pytest.mark.django_db, pytest.mark.guidance("G33")]


def test_return_interviews_are_those_of_the_straightforward_query(world):
    for i in range(6):
        child = make_child(by=world.owner, first_name=f"Returned{i}")
        if i % 3 != 2:  # the police see two in three
            services.child_share(child=child, agency=world.police, by=world.owner, reason="Police.")
        for hours in (30 + i, 50 - i):  # due times that cross between children
            episode = record(child, world.owner, reported=ago(hours=hours + 5))
            record_return(episode, world.owner, returned=ago(hours=hours))
        record(child, world.owner, reported=ago(hours=2))  # still missing: not listed
    hidden = make_child(by=world.uninvolved, first_name="Hidden")
    record_return(
        record(hidden, world.uninvolved, reported=ago(hours=9)),
        world.uninvolved,
        returned=ago(hours=4),
    )

    for officer in (world.owner, world.involved, world.uninvolved, world.csc_officer):
        straight = case_objects_visible_to(
            officer, MissingEpisode.objects.filter(status=EpisodeStatus.RETURNED)
        ).order_by("return_interview_due", "pk")
        expected = list(straight.values_list("pk", flat=True))
        assert [e.pk for e in return_interviews_due_for(officer)] == expected, officer
        listed = interviews_due(officer, 3)
        assert listed.count == len(expected)
        straight_list = from_queryset(straight.select_related("child"), 3, lambda e: e.child)
        assert [row.title for row in listed.rows] == [
            child.display_name for child in straight_list.rows
        ]
    # Not vacuous: the school sees all twelve, the police eight, health one, CSC none.
    counts = [interviews_due(o, 3).count for o in (world.owner, world.involved, world.uninvolved)]
    assert counts == [12, 8, 1]
    assert interviews_due(world.csc_officer, 3).count == 0
