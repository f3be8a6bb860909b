"""Races on missing episodes: the record form sent several times at once records one episode,
and two officers recording the return at the same moment never overwrite each other — one
is saved, the other is told, with a clear page (never a server error). Real transactions,
each thread with its own connection, as two requests to the server would have."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from referrals.models import MissingEpisode
from tests.conftest import sign_in
from tests.core.test_double_submits import _in_parallel
from tests.referrals.missing.factories import ago, record

pytestmark = [pytest.mark.usefixtures("transactional_db"), pytest.mark.guidance("G33")]


def _when(prefix: str, at) -> dict[str, str]:
    local = timezone.localtime(at)
    return {
        f"{prefix}_0": str(local.day),
        f"{prefix}_1": str(local.month),
        f"{prefix}_2": str(local.year),
        f"{prefix.replace('_at', '')}_time": local.strftime("%H:%M"),
    }


def test_the_record_form_sent_four_times_at_once_records_one_episode(world):
    url = reverse("referrals:missing_record", kwargs={"child_pk": world.child.pk})
    data = {
        **_when("reported_missing_at", ago(hours=3)),
        "reported_by_name": "Foster carer",
        "creation_key": str(uuid.uuid4()),
    }
    clients = [sign_in(Client(), world.involved) for _ in range(4)]
    responses = _in_parallel(*[lambda c=c: c.post(url, data) for c in clients])
    assert [getattr(r, "status_code", r) for r in responses] == [302] * 4
    episode = MissingEpisode.objects.get()
    assert {r.url for r in responses} == {episode.get_absolute_url()}


def test_two_returns_recorded_at_once_keep_one_and_refuse_the_other(world):
    episode = record(world.child, world.owner)
    url = reverse("referrals:missing_return", kwargs={"child_pk": world.child.pk, "pk": episode.pk})
    clients = [sign_in(Client(), officer) for officer in (world.owner, world.involved)]
    posts = [
        {
            **_when("returned_at", ago(hours=1)),
            "found_location": place,
            "version": str(episode.version),
        }
        for place in ("Bus station", "Tanner Street shops")
    ]
    responses = _in_parallel(
        *[lambda c=c, d=d: c.post(url, d) for c, d in zip(clients, posts, strict=True)]
    )
    codes = sorted(getattr(r, "status_code", r) for r in responses)
    assert codes == [200, 302]
    refused = next(r for r in responses if r.status_code == 200).content.decode()
    assert "Someone else recorded the return of this child" in refused
    episode.refresh_from_db()
    places = {"Bus station", "Tanner Street shops"}
    assert episode.found_location in places
    # The refused writer's own text is kept on the page.
    (theirs,) = places - {episode.found_location}
    assert theirs in refused
