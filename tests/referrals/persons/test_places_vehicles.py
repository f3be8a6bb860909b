"""Places and vehicles across children (G30): the same place (by its address, however it is
written) or the same vehicle registration recorded for several children is recognised; on a
child's record the others are named only where the officer may see them, and told of without
who they are to children's social care and police only."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cse_portal.models import Child, Officer
from referrals.forms.persons import PersonOfConcernForm
from referrals.models import ReferralPlace
from referrals.selectors_places import places_and_vehicles
from tests.conftest import World, sign_in
from tests.factories import make_child
from tests.pdf_helpers import fetch_pdf, pdf_text
from tests.referrals.persons.conftest import HIDDEN_FIRST, HIDDEN_LAST, HIDDEN_SCHOOL, Recurring
from tests.referrals.persons.factories import ADDRESS, named_person, place_on


def client_of(officer: Officer) -> Client:
    return sign_in(Client(), officer)


def section(client: Client, child: Child) -> str:
    response = client.get(reverse("children:detail", kwargs={"child_pk": child.pk}))
    assert response.status_code == 200
    page = response.content.decode()
    start = page.index('id="places-and-vehicles"')
    return " ".join(re.sub(r"<[^>]+>", " ", page[start : start + 6000]).split())


@pytest.mark.guidance("G30")
def test_the_same_address_written_differently_is_one_place(world: World, recurring: Recurring):
    keys = set(ReferralPlace.objects.values_list("match_key", flat=True))
    assert keys == {"A:14CANALSTREETNORTHDALENE94ZZ"}
    other = place_on(world.child, world.owner, sent=False, name="Rec ground")
    assert ReferralPlace.objects.get(pk=other.pk).match_key == "N:RECGROUND"


@pytest.mark.guidance("G30")
def test_police_see_the_other_child_by_name_and_are_told_of_the_hidden_one(
    world: World, recurring: Recurring
):
    text = section(client_of(world.involved), world.child)
    assert "The Arches" in text and "AB12CDE" in text
    assert text.count("Bethany Second") == 2  # the place and the vehicle
    assert text.count("fewer than five other children whose records your agency cannot see") == 2


@pytest.mark.guidance("G30")
def test_an_agency_that_does_not_convene_is_not_told_of_children_it_cannot_see(
    world: World, recurring: Recurring
):
    text = section(client_of(world.owner), world.child)
    assert "The Arches" in text and "AB12CDE" in text
    assert "Bethany Second" not in text  # the school may not see child B
    assert "cannot see" not in text and "fewer than five" not in text
    assert text.count("No other children that you can see") == 2


@pytest.mark.guidance("G30")
def test_another_agencys_draft_is_not_counted(world: World):
    place_on(world.child, world.owner, address=ADDRESS)
    other = make_child(by=world.involved, first_name="Dora", last_name="Draft")
    place_on(other, world.involved, sent=False, address=ADDRESS)
    found = places_and_vehicles(world.csc_officer, world.child)
    assert [(p.other_children, p.hidden_children) for p in found["places"]] == [([], 0)]
    mine = places_and_vehicles(world.involved, other)  # the drafting agency sees its own
    assert mine["places"][0].other_children == [world.child]


@pytest.mark.guidance("G30")
def test_the_form_records_registrations_upper_case_without_spaces_each_once():
    data = {"full_name": "Dean Carver", "vehicle_registrations": "ab12 cde, AB12CDE,  xy70-zzz ,"}
    form = PersonOfConcernForm(data)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["vehicle_registrations"] == ["AB12CDE", "XY70ZZZ"]
    bad = PersonOfConcernForm({"full_name": "Dean", "vehicle_registrations": "ABCDEFGHIJ"})
    assert not bad.is_valid()
    assert "8 letters and numbers or fewer" in str(bad.errors["vehicle_registrations"])


LEAKS = (HIDDEN_FIRST, HIDDEN_LAST, HIDDEN_SCHOOL)


@pytest.mark.guidance("G30")
@pytest.mark.parametrize("who", ["owner", "involved", "csc_officer"])
def test_a_hidden_child_with_the_same_place_or_vehicle_appears_on_no_page_or_pdf(
    world: World, recurring: Recurring, who: str
):
    client = client_of(getattr(world, who))
    kwargs = {"child_pk": world.child.pk}
    pages = {
        "record": client.get(reverse("children:detail", kwargs=kwargs)).content.decode(),
        "pdf": pdf_text(fetch_pdf(client, reverse("children:record_pdf", kwargs=kwargs)).content),
    }
    assert "AB12CDE" in pages["record"] and "AB12CDE" in pages["pdf"]
    assert "The Arches" in pages["pdf"]
    for name, text in pages.items():
        for secret in (*LEAKS, recurring.hidden.reference, str(recurring.hidden.pk)):
            assert secret not in text, f"{secret} leaked on the {name} page for {who}"
        assert "Flat by the canal" not in text and "Someone Else" not in text


def _count(client: Client, child: Child) -> int:
    url = reverse("children:detail", kwargs={"child_pk": child.pk})
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def _more(world: World, start: int, count: int) -> None:
    for number in range(start, start + count):
        child = make_child(by=world.involved, first_name=f"Linked{number}", last_name="Child")
        place_on(child, world.involved, address=ADDRESS)
        named_person(
            child, world.involved, nicknames=f"D{number}", vehicle_registrations=["AB12CDE"]
        )


@pytest.mark.guidance("G30")
def test_the_record_page_costs_the_same_for_one_or_many_children_with_the_place(
    world: World, django_assert_max_num_queries
):
    place_on(world.child, world.owner, address=ADDRESS)
    named_person(
        world.child, world.owner, full_name="Dean Carver", vehicle_registrations=["AB12CDE"]
    )
    client = client_of(world.involved)
    _more(world, 0, 1)
    few = _count(client, world.child)
    _more(world, 1, 5)
    many = _count(client, world.child)
    assert many == few
    with django_assert_max_num_queries(5):
        found = places_and_vehicles(world.involved, world.child)
    assert len(found["places"][0].other_children) == 6
    assert len(found["vehicles"][0].other_children) == 6
