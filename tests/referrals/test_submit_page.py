"""Writing a referral through its pages and sending it."""

from __future__ import annotations

import uuid

from django.urls import reverse

from referrals.models import Referral
from tests.referrals.pages import DETAILS_POST, hidden, text, url


def test_a_practitioner_writes_and_sends_a_referral(owner_client, world):
    start = reverse("referrals:start", kwargs={"child_pk": world.child.pk})
    page = owner_client.get(start)
    assert page.status_code == 200
    key = hidden(page, "creation_key")
    response = owner_client.post(start, {**DETAILS_POST, "creation_key": key})
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("persons", referral)

    response = owner_client.post(
        url("persons", referral),
        {
            "full_name": "Daniel Example",
            "nicknames": "Danny",
            "approximate_age": "34",
            "relationship_to_child": "Picks the child up after school",
            "phone_numbers": "07700 900123",
            "vehicles": "Blue Ford Focus",
        },
    )
    assert response.status_code == 302
    owner_client.post(url("persons", referral), {"description": "A second man, about 20"})
    owner_client.post(
        url("places", referral), {"name": "Bus station", "description": "Seen there late"}
    )

    check = owner_client.get(url("submit", referral))
    assert "Daniel Example" in text(check) and "Bus station" in text(check)
    key = hidden(check, "submission_key")
    sent = owner_client.post(url("submit", referral), {"submission_key": key})
    assert sent.status_code == 302
    referral.refresh_from_db()
    assert referral.is_submitted and referral.to_agency == world.csc
    assert referral.person_links.count() == 2 and referral.places.count() == 1


def test_sending_twice_double_click_or_back_button_sends_once(owner_client, world, draft):
    key = hidden(owner_client.get(url("submit", draft)), "submission_key")
    first = owner_client.post(url("submit", draft), {"submission_key": key})
    second = owner_client.post(url("submit", draft), {"submission_key": key})
    third = owner_client.post(url("submit", draft), {"submission_key": str(uuid.uuid4())})
    assert first.status_code == second.status_code == third.status_code == 302
    assert Referral.objects.count() == 1
    draft.refresh_from_db()
    assert str(draft.submission_key) == key
    assert world.child.involvements.filter(agency=world.csc).count() == 1
