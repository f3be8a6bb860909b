"""Beside the minutes: the child's latest assessed level and next due, open actions from
earlier meetings, missing episodes in the last 90 days and linked persons of concern — only
what the officer may see, at a fixed number of queries."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from referrals.models import PersonLink, PersonOfConcern
from tests.referrals.assessment.records import HIGH, make_assessment
from tests.referrals.conftest import make_draft
from tests.referrals.missing.factories import ago, record, record_return
from tests.strategy_meetings.factories import DETAILS, convene
from tests.strategy_meetings.plan_helpers import finalised_with_plan

pytestmark = pytest.mark.django_db


def _minutes(client, meeting):
    url = reverse(
        "strategy_meetings:minutes", kwargs={"child_pk": meeting.child_id, "pk": meeting.pk}
    )
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(captured.captured_queries)


def _earlier_meeting(world, chair):
    details = replace(DETAILS, starts_at=timezone.now() - timedelta(days=30))
    earlier = convene(child=world.child, by=world.csc_officer, chair=chair, details=details)
    return finalised_with_plan(earlier, chair)


def _person(world, name, *, referral=None):
    person = PersonOfConcern.objects.create(
        full_name=name,
        approximate_age=16,
        recorded_by=world.owner,
        recorded_by_agency=world.owner.agency,
    )
    return PersonLink.objects.create(
        person=person,
        child=world.child,
        referral=referral,
        relationship_to_child="Seen collecting her from school",
        linked_by=world.owner,
        linked_by_agency=world.owner.agency,
    )


@pytest.mark.guidance("G19")
@pytest.mark.guidance("G30")
@pytest.mark.guidance("G33")
def test_beside_the_minutes_the_chair_sees_level_actions_missing_and_persons(
    involved_csc, chair, chair_client
):
    world = involved_csc
    make_assessment(child=world.child, by=world.owner, present={HIGH: "current"}, judged="high")
    earlier = _earlier_meeting(world, chair)
    episode = record(world.child, world.owner, reported=ago(days=5))
    record_return(episode, world.owner, returned=ago(days=4))
    _person(world, "Dean Marlow")
    meeting = convene(child=world.child, by=world.csc_officer, chair=chair)
    page, _ = _minutes(chair_client, meeting)
    assert "Latest risk assessment" in page and "High risk" in page and "Next due" in page
    action = earlier.actions.get()
    assert action.what[:30] in page and earlier.reference in page
    assert "1 missing episode recorded" in page
    assert "Dean Marlow" in page and "Under 18: possibly also a victim" in page


def test_a_person_named_only_in_another_agencys_draft_referral_is_not_shown(
    involved_csc, chair, chair_client
):
    world = involved_csc
    draft = make_draft(by=world.owner, child=world.child)
    _person(world, "Draft Only Person", referral=draft)
    meeting = convene(child=world.child, by=world.csc_officer, chair=chair)
    page, _ = _minutes(chair_client, meeting)
    assert "Draft Only Person" not in page
    assert "No persons of concern linked to the child that you can see." in page


def test_a_person_named_only_in_another_agencys_draft_assessment_is_not_shown(
    involved_csc, chair, chair_client
):
    from referrals import services

    world = involved_csc
    draft = make_assessment(child=world.child, by=world.owner, present={HIGH: "current"})
    services.assessment_person_add(
        assessment=draft, by=world.owner, data={"full_name": "Assessment Draft Person"}
    )
    meeting = convene(child=world.child, by=world.csc_officer, chair=chair)
    page, _ = _minutes(chair_client, meeting)
    assert "Assessment Draft Person" not in page
    assert "No persons of concern linked to the child that you can see." in page


def test_a_draft_assessment_of_another_agency_is_not_shown(involved_csc, chair, chair_client):
    world = involved_csc
    make_assessment(child=world.child, by=world.owner, present={HIGH: "current"})  # a draft
    meeting = convene(child=world.child, by=world.csc_officer, chair=chair)
    page, _ = _minutes(chair_client, meeting)
    assert "No finalised risk assessment you can see." in page


def test_the_panel_costs_the_same_for_one_or_many_rows(involved_csc, chair, chair_client):
    world = involved_csc
    earlier = _earlier_meeting(world, chair)
    make_assessment(child=world.child, by=world.owner, present={HIGH: "current"}, judged="high")
    record(world.child, world.owner, reported=ago(days=3))
    _person(world, "First Person")
    meeting = convene(child=world.child, by=world.csc_officer, chair=chair)
    _, few = _minutes(chair_client, meeting)
    for n in range(4):
        _person(world, f"Person {n}")
        record_return(record(world.child, world.owner, reported=ago(days=20 + n)), world.owner)
        make_assessment(child=world.child, by=world.owner, present={HIGH: "current"}, judged="high")
    assert earlier.is_final
    page, many = _minutes(chair_client, meeting)
    assert "Person 3" in page
    assert many == few


def test_the_referrals_beside_the_minutes_show_their_stage_at_a_fixed_number_of_queries(
    involved_csc, chair, chair_client
):
    """Each sent referral beside the minutes shows its stage and decision (its
    acknowledgement and decision rows) without a query of its own; a draft is not shown."""
    from referrals import services as referral_services
    from tests.referrals.conftest import acknowledge, send

    world = involved_csc

    def sent(*, decided: bool = False, acknowledged: bool = True):
        referral = send(make_draft(by=world.owner, child=world.child), world.owner)
        if acknowledged:
            acknowledge(referral, world.csc_officer)
        if decided:
            referral_services.referral_decide(
                referral=referral,
                by=world.csc_officer,
                outcome="initial_assessment",
                rationale="Reasons.",
                decided_by=world.csc_officer,
                approved_by=world.team_manager,
            )
        return referral

    first = sent(decided=True)
    meeting = convene(child=world.child, by=world.csc_officer, chair=chair)
    page, few = _minutes(chair_client, meeting)
    assert f"{first.reference}</a>: Decided" in page
    others = [sent(decided=True), sent(), sent(acknowledged=False), sent(decided=True)]
    draft = make_draft(by=world.owner, child=world.child)
    page, many = _minutes(chair_client, meeting)
    assert f"{others[1].reference}</a>: Acknowledged, awaiting decision" in page
    assert f"{others[2].reference}</a>: Sent, awaiting acknowledgement" in page
    assert all(r.reference in page for r in [first, *others]) and draft.reference not in page
    assert many == few
