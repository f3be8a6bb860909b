"""The access history of a child tells of its persons' disruption actions and merges, and of
the person pages opened from the child's record."""

from __future__ import annotations

from django.urls import reverse

from referrals import services
from tests.referrals.persons.factories import action_against, draft_for


def test_actions_merges_and_views_are_in_the_childs_access_history(world, network, csc_client):
    action_against(network.person, world.involved)
    referral = draft_for(network.child_b, world.involved)
    twin = services.referral_person_add(
        referral=referral, by=world.involved, data={"full_name": "Marcus Vail"}
    ).person
    services.person_merge(
        by=world.involved, keep_pk=network.person.pk, merge_pk=twin.pk, reason="Same man."
    )
    person_url = reverse(
        "referrals:person_detail",
        kwargs={"child_pk": world.child.pk, "person_pk": network.person.pk},
    )
    assert csc_client.get(person_url).status_code == 200
    page = csc_client.get(
        reverse("children:audit", kwargs={"child_pk": world.child.pk})
    ).content.decode()
    assert "Disruption action recorded against Marcus Vale" in page
    assert "Marcus Vail merged into" in page
    assert "person of concern" in page.lower()
