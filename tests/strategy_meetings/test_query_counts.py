"""A meeting page's query count does not grow with its invitees, sections or addenda."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from strategy_meetings import services
from tests.factories import AgencyFactory, OfficerFactory
from tests.strategy_meetings.factories import finalised


def _queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def _invite_many(meeting, chair, world, n: int) -> None:
    for i in range(n):
        agency = AgencyFactory(name=f"Invited agency {i}", local_authority=world.north)
        services.meeting_invite(
            meeting=meeting,
            by=chair,
            invitee=services.Invitee(agency, OfficerFactory(agency=agency), role=f"Role {i}"),
        )


def test_the_meeting_page_costs_the_same_for_2_or_12_invitees(meeting, chair, chair_client, world):
    url = meeting.get_absolute_url()
    few = _queries_for(chair_client, url)
    _invite_many(meeting, chair, world, 10)
    assert _queries_for(chair_client, url) == few


def test_the_final_meeting_page_costs_the_same_for_1_or_6_addenda(meeting, chair, chair_client):
    meeting = finalised(meeting, chair)
    add = lambda n: services.meeting_add_addendum(  # noqa: E731
        meeting=meeting, by=chair, place="section-47", text_=f"Addendum {n}"
    )
    add(0)
    url = meeting.get_absolute_url()
    few = _queries_for(chair_client, url)
    for n in range(1, 6):
        add(n)
    assert _queries_for(chair_client, url) == few


def test_the_minutes_page_costs_the_same_for_2_or_12_invitees(meeting, chair, chair_client, world):
    url = reverse(
        "strategy_meetings:minutes", kwargs={"child_pk": meeting.child_id, "pk": meeting.pk}
    )
    few = _queries_for(chair_client, url)
    _invite_many(meeting, chair, world, 10)
    assert _queries_for(chair_client, url) == few


def test_your_meetings_and_the_record_cost_the_same_for_1_or_6_meetings(
    meeting, chair, chair_client, involved_csc
):
    from tests.strategy_meetings.factories import convene

    world = involved_csc
    mine = reverse("strategy_meetings:mine")
    record = world.child.get_absolute_url()
    few = (_queries_for(chair_client, mine), _queries_for(chair_client, record))
    for _ in range(5):
        convene(child=world.child, by=world.csc_officer, chair=chair)
    assert (_queries_for(chair_client, mine), _queries_for(chair_client, record)) == few
