"""The persons section of a child's record costs the same number of queries however many
children (and actions) are linked to the person (G30)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from referrals.selectors_persons import persons_section
from tests.conftest import World
from tests.factories import make_child
from tests.referrals.persons.factories import action_against, link_known, named_person


def _link_more(world: World, person, count: int, start: int) -> None:
    for number in range(start, start + count):
        child = make_child(by=world.involved, first_name=f"Linked{number}", last_name="Child")
        link_known(person, child, world.involved)
        action_against(person, world.involved)


def _count(client, world: World) -> int:
    url = reverse("children:detail", kwargs={"child_pk": world.child.pk})
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.guidance("G30")
def test_the_record_page_costs_the_same_for_one_or_many_linked_children(
    world: World, involved_client
):
    person = named_person(world.child, world.owner, full_name="Marcus Vale")
    _link_more(world, person, 1, 0)
    few = _count(involved_client, world)
    _link_more(world, person, 5, 1)
    many = _count(involved_client, world)
    assert (
        "Linked5 Child"
        in involved_client.get(
            reverse("children:detail", kwargs={"child_pk": world.child.pk})
        ).content.decode()
    )
    assert many == few


@pytest.mark.guidance("G30")
def test_the_section_reads_a_fixed_number_of_queries(world: World, django_assert_max_num_queries):
    person = named_person(world.child, world.owner, full_name="Marcus Vale")
    _link_more(world, person, 4, 0)
    with django_assert_max_num_queries(8):
        networks = persons_section(world.child, world.involved)["networks"]
        assert len(networks[0].other_children) == 4
