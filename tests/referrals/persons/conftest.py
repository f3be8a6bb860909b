"""The network of the persons tests: one person of concern (Marcus Vale) linked to three
children across agencies.

- child A (world.child): the school's record, shared with police; the school names the person.
- child B: the police's record; the police name the same person (picked). The school may not
  see B.
- child X: a Southmere youth service's record (home authority Southmere, so its referral goes
  to Southmere's CSC). The youth service picked the person, seeing child A. Nobody in
  Northdale may see X: its name, school and reference must never reach them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from cse_portal import services as core_services
from cse_portal.models import Agency, Child, Officer
from referrals.models import PersonOfConcern
from tests.conftest import World
from tests.factories import AgencyFactory, OfficerFactory, make_child
from tests.referrals.persons.factories import ADDRESS, link_known, named_person, place_on

HIDDEN_FIRST, HIDDEN_LAST = "Zebedee", "Quillfeather"
HIDDEN_SCHOOL = "Marlowe Grange School"


@dataclass
class Network:
    person: PersonOfConcern
    child_b: Child
    hidden: Child
    southmere_youth: Officer


@pytest.fixture
def network(world: World) -> Network:
    person = named_person(
        world.child, world.owner, full_name="Marcus Vale", nicknames="Vee", approximate_age=34
    )
    child_b = make_child(by=world.involved, first_name="Bethany", last_name="Second")
    link_known(person, child_b, world.involved)
    youth = AgencyFactory(
        name="Southmere Youth Service",
        kind=Agency.Kind.VOLUNTARY_SECTOR,
        local_authority=world.south,
    )
    worker = OfficerFactory(username="southyouth", agency=youth)
    core_services.child_share(
        child=world.child, agency=youth, by=world.owner, reason="The youth service works with her."
    )
    hidden = make_child(
        by=worker,
        first_name=HIDDEN_FIRST,
        last_name=HIDDEN_LAST,
        school_or_setting=HIDDEN_SCHOOL,
    )
    link_known(person, hidden, worker)
    return Network(person=person, child_b=child_b, hidden=hidden, southmere_youth=worker)


@dataclass
class Recurring:
    child_b: Child
    hidden: Child
    worker: Officer


@pytest.fixture
def recurring(world: World) -> Recurring:
    """Child A (the school's, shared with police), child B (the police's) and child X (a
    Southmere youth service's, seen by nobody in Northdale) share a flat and a car."""
    place_on(world.child, world.owner, name="The Arches", address=ADDRESS)
    named_person(
        world.child, world.owner, full_name="Dean Carver", vehicle_registrations=["AB12CDE"]
    )
    child_b = make_child(by=world.involved, first_name="Bethany", last_name="Second")
    place_on(child_b, world.involved, address="14, canal street, Northdale, ne9 4zz")
    named_person(child_b, world.involved, nicknames="Driver", vehicle_registrations=["AB12CDE"])
    youth = AgencyFactory(
        name="Southmere Youth Service",
        kind=Agency.Kind.VOLUNTARY_SECTOR,
        local_authority=world.south,
    )
    worker = OfficerFactory(username="southyouth", agency=youth)
    core_services.child_share(
        child=world.child, agency=youth, by=world.owner, reason="The youth service works with her."
    )
    hidden = make_child(
        by=worker, first_name=HIDDEN_FIRST, last_name=HIDDEN_LAST, school_or_setting=HIDDEN_SCHOOL
    )
    place_on(hidden, worker, name="Flat by the canal", address="14 CANAL STREET NORTHDALE NE94ZZ")
    named_person(hidden, worker, full_name="Someone Else", vehicle_registrations=["AB12CDE"])
    return Recurring(child_b=child_b, hidden=hidden, worker=worker)
