"""The same form posted several times at once (a double click, two tabs, a flaky network):
every create happens once, and every post gets a clear page, never a 500.

The posts run in threads, each through the whole page (Django's test client, with its own
database connection), so they really meet in PostgreSQL.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from cse_portal.models import Child
from referrals import services
from referrals.models import PersonOfConcern, Referral, ReferralPlace
from tests.conftest import sign_in
from tests.factories import make_child
from tests.referrals.pages import DETAILS_POST, text, url

pytestmark = pytest.mark.django_db(transaction=True)

TIMES = 6


def at_once(post: Callable[[], Any], times: int = TIMES) -> list[Any]:
    """Run `post` in `times` threads released together; their results (or exceptions)."""
    barrier = threading.Barrier(times)
    results: list[Any] = [None] * times

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = post()
        except Exception as error:  # reported as the thread's result
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def clients(officer, times: int = TIMES) -> list[Client]:
    return [sign_in(Client(), officer) for _ in range(times)]


def _one_page(responses: list[Any]) -> str:
    """Every post was answered with the same redirect; that page."""
    assert all(not isinstance(r, Exception) for r in responses), responses
    assert {r.status_code for r in responses} == {302}, [r.status_code for r in responses]
    locations = {r["Location"] for r in responses}
    assert len(locations) == 1
    return locations.pop()


def test_six_posts_of_the_unidentified_child_form_make_one_child_and_one_referral(world):
    before = Child.objects.count()
    data = {
        "creation_key": str(uuid.uuid4()),
        "description": "Seen at the station with an older man",
        "gender": "not_known",
        "home_authority": world.north.pk,
    }
    page = reverse("referrals:start_unidentified")
    signed_in = iter(clients(world.owner))
    posts = [next(signed_in) for _ in range(TIMES)]
    responses = at_once(lambda: posts.pop().post(page, data))
    location = _one_page(responses)
    assert Child.objects.count() == before + 1  # no orphan children
    referral = Referral.objects.get()
    assert location == url("edit", referral)


def test_six_posts_of_the_start_form_make_one_referral(world):
    start = reverse("referrals:start", kwargs={"child_pk": world.child.pk})
    data = {**DETAILS_POST, "creation_key": str(uuid.uuid4())}
    posts = clients(world.owner)
    _one_page(at_once(lambda: posts.pop().post(start, data)))
    assert Referral.objects.count() == 1


def test_six_posts_of_the_add_person_form_add_one_person(world, draft):
    data = {"creation_key": str(uuid.uuid4()), "full_name": "Dee Example"}
    posts = clients(world.owner)
    assert _one_page(at_once(lambda: posts.pop().post(url("persons", draft), data))) == url(
        "persons", draft
    )
    assert PersonOfConcern.objects.count() == 1
    assert draft.person_links.count() == 1


def test_six_posts_of_the_add_place_form_add_one_place(world, draft):
    data = {"creation_key": str(uuid.uuid4()), "name": "Northdale bus station"}
    posts = clients(world.owner)
    _one_page(at_once(lambda: posts.pop().post(url("places", draft), data)))
    assert ReferralPlace.objects.count() == 1


def test_a_form_key_used_for_another_referral_gets_a_clear_page(owner_client, world, draft):
    other_child = make_child(by=world.owner, first_name="Other", last_name="Child")
    other, _ = services.referral_create(child=other_child, by=world.owner, data={})
    key = str(uuid.uuid4())
    owner_client.post(url("persons", draft), {"creation_key": key, "full_name": "A"})
    owner_client.post(url("places", draft), {"creation_key": key, "name": "Park"})
    for page, data in [
        ("persons", {"creation_key": key, "full_name": "B"}),
        ("places", {"creation_key": key, "name": "Shop"}),
    ]:
        response = owner_client.post(url(page, other), data)
        assert response.status_code == 200
        assert "This form has already been used" in text(response)
    assert not other.person_links.exists() and not other.places.exists()


def test_two_officers_saving_one_person_at_once_cannot_both_win(world, draft):
    link = services.referral_person_add(referral=draft, by=world.owner, data={"full_name": "X"})
    version = link.person.version
    names = iter(["First", "Second"])
    results = at_once(
        lambda: services.referral_person_update(
            link=link, by=world.owner, data={"full_name": next(names)}, expected_version=version
        ),
        times=2,
    )
    refused = [r for r in results if isinstance(r, services.ConcurrentEditError)]
    assert len(refused) == 1, results
    saved = next(r for r in results if not isinstance(r, Exception))
    person = PersonOfConcern.objects.get(pk=link.person_id)
    assert person.full_name == saved.person.full_name
    assert person.version == version + 1
