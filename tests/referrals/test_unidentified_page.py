"""The page that refers a child whose identity is not yet known (G10)."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from cse_portal.models import Child
from referrals.models import Referral
from tests.conftest import sign_in
from tests.referrals.pages import DETAILS_POST, hidden, text, url


@pytest.mark.guidance("G10")
def test_a_child_whose_identity_is_not_known_can_be_referred(owner_client, world):
    page = owner_client.get(reverse("referrals:start_unidentified"))
    key = hidden(page, "creation_key")
    response = owner_client.post(
        reverse("referrals:start_unidentified"),
        {
            "creation_key": key,
            "description": "About 14, school uniform, seen at the bus station",
            "gender": "not_known",
            "places": "Bus station",
            "associates": "A man called Dee",
            "approximate_age": "14",
            "home_authority": world.north.pk,
        },
    )
    referral = Referral.objects.get()
    assert response["Location"] == url("edit", referral)
    child = Child.objects.get(pk=referral.child_id)
    assert not child.is_identified and "Bus station" in child.description
    owner_client.post(url("edit", referral), {**DETAILS_POST, "version": referral.version})
    owner_client.post(url("persons", referral), {"full_name": "Derek Example"})
    page = owner_client.get(url("detail", referral))
    assert "Meets strategy meeting threshold" in text(page)
    owner_client.post(url("submit", referral), {"submission_key": str(uuid.uuid4())})
    referral.refresh_from_db()
    assert referral.is_submitted and referral.meets_strategy_threshold
    tray = sign_in(Client(), world.csc_officer).get(reverse("referrals:tray"))
    assert "Meets strategy meeting threshold" in text(tray)


def test_posting_the_unidentified_child_form_twice_makes_one_child_and_one_referral(
    owner_client, world
):
    before = Child.objects.count()
    data = {
        "creation_key": str(uuid.uuid4()),
        "description": "Seen at the station",
        "gender": "not_known",
        "home_authority": world.north.pk,
    }
    first = owner_client.post(reverse("referrals:start_unidentified"), data)
    second = owner_client.post(reverse("referrals:start_unidentified"), data)
    assert first["Location"] == second["Location"]
    assert Child.objects.count() == before + 1
    assert Referral.objects.count() == 1


def test_an_unidentified_child_aged_18_or_over_gets_a_clear_message(owner_client, world):
    response = owner_client.post(
        reverse("referrals:start_unidentified"),
        {
            "creation_key": str(uuid.uuid4()),
            "description": "Seen at the station",
            "gender": "not_known",
            "approximate_age": "19",
            "home_authority": world.north.pk,
        },
    )
    assert response.status_code == 200
    assert "The child must be under 18" in text(response)
    assert "govuk-error-summary" in text(response)
    assert "Seen at the station" in text(response)
    assert not Child.objects.filter(is_identified=False).exists()
