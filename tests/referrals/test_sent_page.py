"""The list of the referrals an agency has sent."""

from __future__ import annotations

from django.urls import reverse

from tests.referrals.pages import text


def test_the_referrer_sees_the_status_in_the_sent_list(owner_client, world, sent):
    response = owner_client.get(reverse("referrals:sent"))
    assert response.status_code == 200
    assert "Sent, awaiting acknowledgement" in text(response)
    assert world.child.display_name in text(response)
