"""The access log refuses TRUNCATE, whichever way it is reached (raw SQL, as an attacker with the
application's database account would send it).

The statements are sent over a connection of their own, opened as the application's account
opens one in production: without the session setting that lets the test run empty its database
between browser tests (settings.py, CSE_ENV=test). The rows are committed first, so that
connection sees them.
"""

from __future__ import annotations

import psycopg
import pytest
from django.db import connection
from django.urls import reverse

from cse_portal.models import AccessLog

pytestmark = pytest.mark.django_db(transaction=True)


def production_like_connection() -> psycopg.Connection:
    params = connection.get_connection_params()
    params.pop("options", None)  # no cse_portal.allow_truncate
    return psycopg.connect(**params, autocommit=True)


@pytest.fixture
def logged(world, owner_client) -> int:
    owner_client.get(reverse("children:detail", kwargs={"child_pk": world.child.pk}))
    count = AccessLog.objects.count()
    assert count > 0
    return count


@pytest.mark.parametrize(
    "statement",
    [
        "TRUNCATE cse_portal_accesslog",
        "TRUNCATE TABLE ONLY cse_portal_accesslog RESTART IDENTITY",
        # Through the tables it points at: CASCADE truncates the log along with them.
        "TRUNCATE cse_portal_officer CASCADE",
        "TRUNCATE cse_portal_child, cse_portal_agency CASCADE",
    ],
)
def test_the_database_refuses_to_truncate_the_access_log(logged, statement):
    with production_like_connection() as raw:
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
            raw.execute(statement)
        assert raw.execute("SELECT count(*) FROM cse_portal_accesslog").fetchone() == (logged,)
    assert AccessLog.objects.count() == logged


def test_other_tables_can_still_be_truncated_by_the_same_connection(logged):
    # The trigger is on the access log only: it does not stop every TRUNCATE.
    with production_like_connection() as raw:
        raw.execute("CREATE TEMPORARY TABLE scratch (n int)")
        raw.execute("INSERT INTO scratch VALUES (1)")
        raw.execute("TRUNCATE scratch")
        assert raw.execute("SELECT count(*) FROM scratch").fetchone() == (0,)
