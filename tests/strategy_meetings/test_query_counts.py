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


def test_your_work_costs_the_same_for_1_or_6_meetings_and_actions(
    meeting, chair, chair_client, involved_csc
):
    """The chair's coming meetings and the actions they own (each row names the child and
    the meeting) are read in a fixed number of queries."""
    from dataclasses import replace
    from datetime import timedelta

    from django.utils import timezone

    from cse_portal import work
    from tests.strategy_meetings.factories import DETAILS, convene
    from tests.strategy_meetings.plan_helpers import add_action, finalised_with_plan

    world = involved_csc
    held = replace(DETAILS, starts_at=timezone.now() - timedelta(days=40))

    def held_with_an_action() -> None:
        earlier = convene(child=world.child, by=world.csc_officer, chair=chair, details=held)
        add_action(earlier, chair)  # owned by the chair, due 10 days ago: overdue
        finalised_with_plan(earlier, chair)

    def listed(key: str) -> int:
        (section,) = [s for s in work.registry.for_officer(chair) if s.contribution.key == key]
        return section.work.count

    held_with_an_action()
    home = reverse("home")
    few = _queries_for(chair_client, home)
    actions = listed("actions")  # the chair's action, and the plan's own
    assert listed("meetings") == 1 and actions >= 1
    for _ in range(5):
        convene(child=world.child, by=world.csc_officer, chair=chair)
        held_with_an_action()
    assert (listed("meetings"), listed("actions")) == (6, 6 * actions)
    page = chair_client.get(home).content.decode()
    assert page.count(meeting.child.display_name) >= 6
    assert _queries_for(chair_client, home) == few


def test_the_record_costs_children_s_social_care_the_same_for_1_or_4_referrals_to_meet_on(
    involved_csc, chair, csc_client
):
    """CSC's record of the child links each sent referral that leads to a meeting (its
    decision) to convening one, without a query per referral."""
    from referrals import services as referral_services
    from tests.referrals.conftest import acknowledge, make_draft, send

    world = involved_csc

    def decided():
        referral = acknowledge(
            send(make_draft(by=world.owner, child=world.child), world.owner), world.csc_officer
        )
        referral_services.referral_decide(
            referral=referral,
            by=world.team_manager,
            outcome="initial_assessment",
            rationale="Initial assessment, then a strategy discussion.",
            decided_by=world.csc_officer,
            approved_by=world.team_manager,
        )
        return referral

    record = world.child.get_absolute_url()
    first = decided()
    few = _queries_for(csc_client, record)
    others = [decided() for _ in range(3)]
    page = csc_client.get(record).content.decode()
    for referral in [first, *others]:
        assert f"Convene a strategy meeting from referral {referral.reference}" in page
    assert _queries_for(csc_client, record) == few
