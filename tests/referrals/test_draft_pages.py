"""The draft's pages in each state: every page renders, and a sent referral's draft pages
send you back to it."""

from __future__ import annotations

from referrals import services
from tests.referrals.conftest import send
from tests.referrals.pages import url


def test_pages_render_for_each_state(owner_client, csc_client, world, draft):
    for name in ["detail", "edit", "persons", "places", "submit"]:
        assert owner_client.get(url(name, draft)).status_code == 200, name
    link = services.referral_person_add(referral=draft, by=world.owner, data={"full_name": "A B"})
    place = services.referral_place_add(referral=draft, by=world.owner, data={"name": "Park"})
    assert owner_client.get(url("person_edit", draft, link_pk=link.pk)).status_code == 200
    assert owner_client.get(url("person_remove", draft, link_pk=link.pk)).status_code == 200
    assert owner_client.get(url("place_remove", draft, place_pk=place.pk)).status_code == 200
    owner_client.post(url("person_remove", draft, link_pk=link.pk))
    owner_client.post(url("place_remove", draft, place_pk=place.pk))
    assert not draft.person_links.exists() and not draft.places.exists()
    send(draft, world.owner)
    for name in ["detail", "acknowledge", "decide"]:
        assert csc_client.get(url(name, draft)).status_code == 200, name


def test_a_sent_referrals_draft_pages_send_you_back_to_the_referral(owner_client, sent):
    for name in ["edit", "persons", "places"]:
        response = owner_client.get(url(name, sent))
        assert response.status_code == 302 and response["Location"] == sent.get_absolute_url()
