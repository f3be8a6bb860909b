"""The demo missing episodes load through the core loader, once, with an overdue return
interview, a child still missing and completed interviews, each with times in order."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from cse_portal.models import Officer
from referrals.models import EpisodeStatus, MissingEpisode
from referrals.selectors_missing import missing_count, return_interviews_due_for

pytestmark = pytest.mark.guidance("G33")


@pytest.mark.django_db
def test_the_demo_has_episodes_in_every_state_and_a_second_run_adds_none(module_demo):
    assert "skipped some of" not in module_demo
    episodes = list(MissingEpisode.objects.select_related("child"))
    assert {e.status for e in episodes} == set(EpisodeStatus.values)
    assert any(e.interview_overdue for e in episodes)
    assert {e.child.first_name for e in episodes if e.is_missing} == {"Caitlin"}
    assert {e.interview_outcome for e in episodes if e.is_closed} == {"held", "declined"}
    jayden = next(e.child for e in episodes if e.child.first_name == "Jayden")
    assert missing_count(jayden) == 3
    worker = Officer.objects.get(username="csc.social.worker")
    assert [e.child.first_name for e in return_interviews_due_for(worker)] == ["Jayden", "Shannon"]
    now = timezone.now()
    for e in episodes:
        times = [e.reported_missing_at, e.created_at, e.returned_at, e.return_recorded_at]
        times += [e.interview_at, e.interview_recorded_at]
        known = [t for t in times if t is not None]
        assert known == sorted(known), e
        assert known[-1] <= now
    call_command("load_demo", "--quiet", stdout=io.StringIO())
    assert MissingEpisode.objects.count() == len(episodes)
