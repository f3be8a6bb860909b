"""The child's record (with its "Missing episodes" section), the list of all episodes, an
episode's page and the access history cost the same number of queries however many episodes
there are, in every state (still missing, returned with the interview overdue or to do,
closed with an addendum)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from referrals.services import missing as services
from tests.conftest import World
from tests.referrals.missing.factories import ago, closed, record, record_return

ROUND_DAYS = 12  # each round of episodes is within the 90 days, a few days apart


def _queries_for(client, url: str, *must_show: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    for words in must_show:
        assert words in page
    return len(captured.captured_queries)


def _episodes(world: World, rounds: int, *, first: int = 0) -> None:
    """`rounds` rounds of four episodes: closed (with an addendum, the interview done by an
    officer), returned with the interview overdue, returned recently, still missing."""
    for n in range(first, first + rounds):
        base = n * ROUND_DAYS + 8
        done = closed(
            world.child,
            world.owner,
            reported=ago(days=base + 7),
            returned=ago(days=base + 6),
            interview=ago(days=base + 5),
        )
        services.missing_episode_add_addendum(
            episode=done, by=world.involved, text=f"Addendum {n}", creation_key=None
        )
        record_return(
            record(world.child, world.involved, reported=ago(days=base + 4)),
            world.owner,
            returned=ago(days=base + 3),
        )
        record_return(record(world.child, world.owner, reported=ago(days=2, hours=n)), world.owner)
        record(world.child, world.owner, reported=ago(hours=n + 1), reported_by_officer=world.lead)


def test_the_record_and_the_list_cost_the_same_for_4_or_16_episodes(
    owner_client, lead_client, world
):
    record_url = world.child.get_absolute_url()
    list_url = reverse("referrals:missing_list", kwargs={"child_pk": world.child.pk})
    audit_url = reverse("children:audit", kwargs={"child_pk": world.child.pk})
    tags = ("Overdue", "To do", "Still missing", "Held ")
    _episodes(world, 1)
    few = [
        _queries_for(owner_client, record_url, *tags),
        _queries_for(owner_client, list_url, *tags),
    ]
    # The lead officer may see the access history.
    few_audit = _queries_for(lead_client, audit_url, "Return interview recorded", "Addendum")
    _episodes(world, 3, first=1)
    many = [
        _queries_for(owner_client, record_url, "16</strong> missing episodes in the last 90 days"),
        _queries_for(owner_client, list_url, "16 missing episodes recorded"),
    ]
    assert _queries_for(lead_client, audit_url) == few_audit
    assert many == few
