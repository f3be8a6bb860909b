"""Two officers change the same person of concern: the second save, begun from the same
version, is refused with its text kept on screen; nothing is silently overwritten. And an
approximate age does not drift when the person is changed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from referrals import services
from referrals.models import PersonOfConcern
from tests.conftest import sign_in
from tests.referrals.forms import posted_as_is
from tests.referrals.pages import text, url


@pytest.fixture
def link(world, draft):
    return services.referral_person_add(
        referral=draft,
        by=world.owner,
        data={"full_name": "Dee Example", "description": "Tall"},
        relationship_to_child="Collects her from school",
    )


def test_a_stale_save_of_a_person_is_refused_and_the_writers_text_kept(
    owner_client, world, draft, link
):
    page = url("person_edit", draft, link_pk=link.pk)
    lead_client = sign_in(Client(), world.lead)
    # Both open the page at the same version.
    first = posted_as_is(owner_client.get(page))
    second = posted_as_is(lead_client.get(page))
    assert first["version"] == second["version"] == [str(link.person.version)]

    first["description"] = ["Tall, with a red car"]
    assert owner_client.post(page, first).status_code == 302

    second["description"] = ["Tall, about 30, a scar on his left hand"]
    refused = lead_client.post(page, second)
    assert refused.status_code == 200
    assert "Someone else saved changes to this person of concern" in text(refused)
    assert "a scar on his left hand" in text(refused)  # the writer's text, kept

    person = PersonOfConcern.objects.get(pk=link.person_id)
    assert person.description == "Tall, with a red car"
    assert person.version == link.person.version + 1


def test_two_saves_from_the_same_version_cannot_both_win(world, link):
    version = link.person.version
    services.referral_person_update(
        link=link, by=world.owner, data={"full_name": "First"}, expected_version=version
    )
    with pytest.raises(services.ConcurrentEditError):
        services.referral_person_update(
            link=link, by=world.lead, data={"full_name": "Second"}, expected_version=version
        )
    assert PersonOfConcern.objects.get(pk=link.person_id).full_name == "First"


def test_a_save_without_a_version_is_refused_as_stale(owner_client, draft, link):
    response = owner_client.post(
        url("person_edit", draft, link_pk=link.pk), {"full_name": "No version"}
    )
    assert "Someone else saved changes" in text(response)
    assert PersonOfConcern.objects.get(pk=link.person_id).full_name == "Dee Example"


def test_an_approximate_age_does_not_drift_when_the_person_is_changed(owner_client, world, draft):
    link = services.referral_person_add(
        referral=draft, by=world.owner, data={"full_name": "Jay", "approximate_age": 30}
    )
    two_years_ago = timezone.localdate() - timedelta(days=2 * 365 + 1)
    PersonOfConcern.objects.filter(pk=link.person_id).update(
        approximate_age_recorded_on=two_years_ago
    )
    page = url("person_edit", draft, link_pk=link.pk)
    form = posted_as_is(owner_client.get(page))
    assert form["approximate_age"] == ["32"]  # today's figure of "about 30", two years on
    form["nicknames"] = ["J"]
    assert owner_client.post(page, form).status_code == 302
    person = PersonOfConcern.objects.get(pk=link.person_id)
    assert (person.approximate_age, person.approximate_age_recorded_on) == (30, two_years_ago)
    assert person.age == 32

    form = posted_as_is(owner_client.get(page))
    form["approximate_age"] = ["40"]
    owner_client.post(page, form)
    person.refresh_from_db()
    assert (person.approximate_age, person.approximate_age_recorded_on) == (
        40,
        timezone.localdate(),
    )
