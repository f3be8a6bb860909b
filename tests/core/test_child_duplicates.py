"""Adding a child the agency can already see warns of a possible duplicate, and lets the
officer open that record or say it is a different child. Children the officer may not see
are never mentioned: the warning would reveal them."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from cse_portal.models import AccessLog, Child
from tests.factories import make_child

WARNING = "Your agency may already have a record of this child"


def _born(years_ago: int) -> date:
    today = timezone.localdate()
    return date(today.year - years_ago, today.month, min(today.day, 28))


def _payload(world, **changes):
    data = {
        "is_identified": "True",
        "first_name": "Ali",
        "last_name": "Rahman",
        "gender": "male",
        "ethnicity": "not_known",
        "looked_after_status": "no",
        "home_authority": str(world.north.pk),
    }
    data.update(changes)
    return data


def _dob(day: date) -> dict[str, str]:
    return {
        "date_of_birth_0": str(day.day),
        "date_of_birth_1": str(day.month),
        "date_of_birth_2": str(day.year),
    }


def test_the_same_name_and_date_of_birth_warns_and_links_to_the_record(owner_client, world):
    existing = make_child(
        by=world.owner, first_name="Ali", last_name="Rahman", date_of_birth=_born(13)
    )
    response = owner_client.post(
        reverse("children:add"), _payload(world, first_name="ali", **_dob(_born(13)))
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert WARNING in page
    assert f'href="{existing.get_absolute_url()}"' in page
    assert existing.reference in page
    assert "govuk-error-summary" not in page  # a warning, not an error
    assert Child.objects.filter(last_name="Rahman").count() == 1
    # Showing the other record's name is a view of it: logged.
    assert AccessLog.objects.filter(
        child=existing, officer=world.owner, object_type="child record (possible duplicate)"
    ).exists()


def test_the_same_name_and_approximate_age_warns(owner_client, world):
    make_child(by=world.owner, first_name="Ali", last_name="Rahman", approximate_age=14)
    response = owner_client.post(reverse("children:add"), _payload(world, approximate_age="14"))
    assert WARNING in response.content.decode()


def test_a_child_shared_with_the_agency_counts_too(involved_client, world):
    # The police see Jamie Testchild, whose record the school owns.
    response = involved_client.post(
        reverse("children:add"), _payload(world, first_name="Jamie", last_name="Testchild")
    )
    assert WARNING in response.content.decode()
    assert "record owned by Brookfield Academy" in response.content.decode()


def test_the_officer_can_say_it_is_a_different_child_and_add_the_record(owner_client, world):
    existing = make_child(by=world.owner, first_name="Ali", last_name="Rahman", approximate_age=14)
    data = _payload(world, approximate_age="14")
    owner_client.post(reverse("children:add"), data)
    response = owner_client.post(
        reverse("children:add"), {**data, "different_from": str(existing.pk)}
    )
    assert response.status_code == 302
    assert Child.objects.filter(last_name="Rahman").count() == 2


def test_saying_it_is_different_from_one_child_does_not_pass_another(owner_client, world):
    first = make_child(by=world.owner, first_name="Ali", last_name="Rahman")
    make_child(by=world.owner, first_name="Ali", last_name="Rahman")
    response = owner_client.post(
        reverse("children:add"), {**_payload(world), "different_from": str(first.pk)}
    )
    assert response.status_code == 200
    assert WARNING in response.content.decode()


@pytest.mark.parametrize(
    "other",
    [{"date_of_birth": _born(9)}, {"approximate_age": 9}],
    ids=["other-date-of-birth", "other-age"],
)
def test_the_same_name_with_a_different_age_is_no_warning(owner_client, world, other):
    make_child(by=world.owner, first_name="Ali", last_name="Rahman", **other)
    response = owner_client.post(reverse("children:add"), _payload(world, **_dob(_born(13))))
    assert response.status_code == 302


def test_a_hidden_child_with_the_same_name_and_age_gives_no_warning(
    owner_client, uninvolved_client, world
):
    # Health's child, never shared with the school.
    hidden = make_child(
        by=world.uninvolved, first_name="Ali", last_name="Rahman", date_of_birth=_born(13)
    )
    response = owner_client.post(reverse("children:add"), _payload(world, **_dob(_born(13))))
    assert response.status_code == 302
    assert WARNING not in owner_client.get(response.url).content.decode()
    assert not AccessLog.objects.filter(child=hidden, officer=world.owner).exists()
    assert Child.objects.filter(last_name="Rahman").count() == 2
