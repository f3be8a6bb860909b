"""The home page costs the same number of queries for 5 or 500 children: each app's
contribution to "Your work" is one or two queries, whatever the number of rows."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from referrals.models import MissingEpisode, Referral, ReferralAcknowledgement
from screening.models import Conclusion
from tests.bulk import children_like, clones
from tests.factories import make_child
from tests.referrals.conftest import acknowledge, make_draft, send
from tests.referrals.missing.factories import ago, record, record_return
from tests.screening.factories import make_screening


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    return len(captured.captured_queries)


def _five_children_with_work(world) -> tuple[Referral, Referral, MissingEpisode]:
    children = [world.child] + [make_child(by=world.owner, first_name=f"Few{i}") for i in range(4)]
    for child in children:
        make_screening(
            child=child,
            by=world.owner,
            submit=True,
            conclusion=Conclusion.DISCUSS,
            reason="To talk it through.",
        )
    waiting = send(make_draft(by=world.owner, child=children[1]), world.owner)
    answered = acknowledge(
        send(
            make_draft(by=world.owner, child=children[2]),
            world.owner,
            now=timezone.now() - timedelta(days=3),
        ),
        world.csc_officer,
    )
    episode = record_return(
        record(world.child, world.owner, reported=ago(hours=9)), world.owner, returned=ago(hours=1)
    )
    return waiting, answered, episode


def _495_more(world, waiting: Referral, answered: Referral, episode: MissingEpisode) -> None:
    many = children_like(world.child, 495)
    clones(waiting, 200, lambda i: {"child_id": many[i].pk})
    copies = clones(answered, 200, lambda i: {"child_id": many[200 + i].pk})
    acknowledgement = ReferralAcknowledgement.objects.get(referral=answered)
    clones(acknowledgement, 200, lambda i: {"referral_id": copies[i].pk})
    clones(episode, 95, lambda i: {"child_id": many[400 + i].pk})


def test_the_home_page_costs_the_same_for_5_or_500_children(
    world, csc_client, owner_client, lead_client
):
    rows = _five_children_with_work(world)
    few = [_queries(c) for c in (csc_client, owner_client, lead_client)]
    _495_more(world, *rows)
    assert Referral.objects.count() == 402 and MissingEpisode.objects.count() == 96
    many = [_queries(c) for c in (csc_client, owner_client, lead_client)]
    assert many == few


def test_a_list_reads_its_first_rows_and_its_count_in_one_query(world):
    from cse_portal.models import Child
    from cse_portal.work import WorkRow, from_queryset

    for i in range(9):
        make_child(by=world.owner, first_name=f"Listed{i}")
    total = Child.objects.count()
    assert total >= 10

    def row(child: Child) -> WorkRow:
        return WorkRow(title=child.first_name, link="/", kind="child")

    ordered = Child.objects.order_by("first_name", "pk")
    with CaptureQueriesContext(connection) as captured:
        listed = from_queryset(ordered, 3, row)
    assert len(captured.captured_queries) == 1
    assert listed.count == total and listed.more == total - 3
    assert [r.title for r in listed.rows] == [c.first_name for c in ordered[:3]]
    with CaptureQueriesContext(connection) as captured:
        empty = from_queryset(ordered.filter(first_name="Nobody"), 3, row)
    assert (empty.count, empty.rows, len(captured.captured_queries)) == (0, [], 1)
    # A DISTINCT queryset (rows repeated by a join) is counted after DISTINCT, as it lists.
    joined = Child.objects.filter(involvements__isnull=False).order_by("pk").distinct()
    assert from_queryset(joined, 3, row).count == joined.count() == total
