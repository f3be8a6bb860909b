"""Read-heavy views read from the replica (cse_portal.replica), everything else from the
primary, and the page says how old its figures are.

The "replica" alias in the test settings points at the test database itself (Django's test
MIRROR): no replication runs here, so this tests the routing — which connection each query
takes — not a real replica's lag (on a replaying server `figures_as_of` reads
pg_last_xact_replay_timestamp())."""

from __future__ import annotations

import re

import pytest
from django.db import connections
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cse_portal.models import AccessLog, Child
from cse_portal.replica import ReplicaRouter, figures_as_of, reads_from_replica
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


def test_the_router_sends_reads_to_the_replica_only_inside_a_marked_block():
    router = ReplicaRouter()
    assert router.db_for_read(Child) is None  # Django's default: the primary
    with reads_from_replica() as alias:
        assert alias == "replica"
        assert router.db_for_read(Child) == "replica"
        assert router.db_for_write(Child) == "default"
    assert router.db_for_read(Child) is None
    assert router.allow_migrate("replica", "cse_portal") is False


@override_settings(CSE_REPLICA_VIEWS=["children:list"])
def test_a_marked_view_reads_from_the_replica_writes_to_the_primary_and_shows_its_age(world):
    client = sign_in(Client(), world.owner)
    logged = AccessLog.objects.count()
    with (
        CaptureQueriesContext(connections["replica"]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        page = client.get(reverse("children:list")).content.decode()
    replica_sql = " ".join(q["sql"] for q in on_replica.captured_queries)
    primary_sql = " ".join(q["sql"] for q in on_primary.captured_queries)
    assert "Jamie" in page  # the list was read (from the replica)
    assert '"cse_portal_child"' in replica_sql and '"cse_portal_child"' not in primary_sql
    assert 'INSERT INTO "cse_portal_accesslog"' in primary_sql  # the log is written
    assert "INSERT" not in replica_sql and "UPDATE" not in replica_sql
    assert AccessLog.objects.count() == logged + 1
    assert re.search(r"Figures as of \d\d:\d\d", page)


def test_an_unmarked_view_reads_from_the_primary_and_shows_no_age(world):
    client = sign_in(Client(), world.owner)
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        page = client.get(reverse("children:list")).content.decode()
    assert on_replica.captured_queries == []
    assert "Figures as of" not in page


def test_on_a_server_that_is_not_replaying_the_figures_are_current():
    from django.utils import timezone

    assert abs((timezone.now() - figures_as_of("replica")).total_seconds()) < 5
