"""Convening from a finalised CSE2 assessment judged medium or high (or the tool's
equivalent), and from the referral's own page — children's social care only (G17, G12)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from referrals import services as referral_services
from referrals.models import Referral
from strategy_meetings.models import Meeting
from tests.referrals.assessment.records import HIGH, LOW, MEDIUM, choose_tool, make_assessment
from tests.referrals.conftest import acknowledge, make_draft, send

pytestmark = pytest.mark.django_db


def _sql(statement, params):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)


BUTTON = "Convene a strategy meeting"


def _convene_url(child, query=""):
    return reverse("strategy_meetings:convene", kwargs={"child_pk": child.pk}) + query


def _convene_data(chair):
    day = timezone.localdate() + timedelta(days=5)
    return {
        "chair": chair.pk,
        "starts_on_0": day.day,
        "starts_on_1": day.month,
        "starts_on_2": day.year,
        "starts_time": "10:30",
        "place": "Room 1, Civic Centre",
        "young_person_invited": "yes",
        "family_invited": "no",
        "family_not_invited_reason": "The young person asked us not to, for now.",
        "creation_key": "6f1c2f0e-8a0e-4a55-9d53-3e1b7b1f0a12",
    }


@pytest.mark.guidance("G12")
@pytest.mark.guidance("G17")
def test_a_high_assessment_offers_csc_a_meeting_linked_to_it(
    involved_csc, csc_client, owner_client, chair
):
    world = involved_csc
    high = make_assessment(
        child=world.child, by=world.owner, present={HIGH: "current"}, judged="high"
    )
    assert BUTTON in csc_client.get(high.get_absolute_url()).content.decode()
    # Only children's social care convenes.
    assert BUTTON not in owner_client.get(high.get_absolute_url()).content.decode()
    url = _convene_url(world.child, f"?assessment={high.pk}")
    page = csc_client.get(url).content.decode()
    assert "From risk assessment" in page and high.reference in page
    assert owner_client.get(url).status_code == 403
    assert csc_client.post(url, _convene_data(chair)).status_code == 302
    meeting = Meeting.objects.get()
    assert (meeting.origin, meeting.source_assessment_id) == ("assessment", high.pk)
    assert high.reference in csc_client.get(meeting.get_absolute_url()).content.decode()


def test_a_low_assessment_or_a_draft_offers_no_meeting(involved_csc, csc_client):
    world = involved_csc
    low = make_assessment(child=world.child, by=world.owner, present={LOW: "current"}, judged="low")
    assert BUTTON not in csc_client.get(low.get_absolute_url()).content.decode()
    assert csc_client.get(_convene_url(world.child, f"?assessment={low.pk}")).status_code == 404
    draft = make_assessment(child=world.child, by=world.csc_officer, present={HIGH: "current"})
    assert csc_client.get(_convene_url(world.child, f"?assessment={draft.pk}")).status_code == 404
    assert csc_client.get(_convene_url(world.child, "?assessment=nonsense")).status_code == 404


def test_seraf_moderate_is_the_equivalent_of_medium(involved_csc, csc_client):
    world = involved_csc
    choose_tool(world.north, "seraf", by=world.owner)
    present = dict.fromkeys(("SI-01", "SI-02"), "current")  # 10 points: mild
    mild = make_assessment(child=world.child, by=world.owner, present=present, judged="mild")
    assert BUTTON not in csc_client.get(mild.get_absolute_url()).content.decode()
    present["SI-03"] = "current"  # 15 points: moderate
    moderate = make_assessment(
        child=world.child, by=world.owner, present=present, judged="moderate"
    )
    assert BUTTON in csc_client.get(moderate.get_absolute_url()).content.decode()


def test_the_database_refuses_a_meeting_from_another_childs_assessment(involved_csc, chair):
    from tests.factories import make_child
    from tests.strategy_meetings.factories import convene

    world = involved_csc
    meeting = convene(child=world.child, by=world.csc_officer, chair=chair)
    other = make_child(by=world.owner, first_name="Other")
    theirs = make_assessment(
        child=other, by=world.owner, present={MEDIUM: "current"}, judged="medium"
    )
    with pytest.raises(IntegrityError, match="same child"):
        _sql(
            "UPDATE strategy_meetings_meeting SET origin = 'assessment', "
            "source_assessment_id = %s WHERE id = %s",
            [theirs.pk, meeting.pk],
        )


@pytest.mark.guidance("G10")
def test_the_referral_page_offers_csc_a_meeting_when_its_decision_leads_to_one(
    involved_csc, csc_client, owner_client
):
    world = involved_csc
    referral = acknowledge(
        send(make_draft(by=world.owner, child=world.child), world.owner), world.csc_officer
    )
    assert BUTTON not in csc_client.get(referral.get_absolute_url()).content.decode()
    referral_services.referral_decide(
        referral=Referral.objects.get(pk=referral.pk),
        by=world.team_manager,
        outcome="initial_assessment",
        rationale="Initial assessment, then a strategy discussion.",
        decided_by=world.csc_officer,
        approved_by=world.team_manager,
    )
    page = csc_client.get(referral.get_absolute_url()).content.decode()
    assert BUTTON in page and f"?referral={referral.pk}" in page
    assert BUTTON not in owner_client.get(referral.get_absolute_url()).content.decode()
