"""`make backup` / `make restore` (scripts/backup.sh): a round trip of the test database into
a new database gives the same rows in every table (case tables, their history, the access
log), and the restored access log still refuses UPDATE, DELETE and TRUNCATE."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from cse_portal import embedded_db
from cse_portal.models import AccessLog
from tests.conftest import sign_in
from tests.referrals.conftest import make_draft, send
from tests.screening.factories import make_screening

ROOT = Path(__file__).resolve().parents[2]

# Every table's rows, compared as the count and the MD5 of the rows' text in a fixed order.
CHECKSUMS = """
SELECT format('SELECT %L, count(*), md5(coalesce(string_agg(t::text, E''\\n'' ORDER BY t::text), ''''))
               FROM %I.%I t', tablename, schemaname, tablename)
FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename
"""


def url_of(name: str) -> str:
    return embedded_db.url_of(connection.settings_dict, name)


def _client_tools() -> dict[str, str]:
    """The embedded server's own client tools first on PATH (`embedded_db.client_env`)."""
    return embedded_db.client_env(connection.settings_dict)


def table_checksums(url: str) -> dict[str, tuple[int, str]]:
    with psycopg.connect(url, autocommit=True) as db:
        queries = [row[0] for row in db.execute(CHECKSUMS).fetchall()]
        return {
            name: (count, md5) for q in queries for name, count, md5 in [db.execute(q).fetchone()]
        }


def run(*args: str, **env: str) -> None:
    subprocess.run(  # noqa: S603  (our own script, fixed arguments)
        ["/bin/bash", str(ROOT / "scripts/backup.sh"), *args],
        check=True,
        capture_output=True,
        env={**os.environ, **_client_tools(), **env},
    )


@pytest.fixture(scope="session")
def _restored_databases() -> Iterator[list[str]]:
    """The databases restored into, dropped when the test process ends. DROP DATABASE makes
    the server write a checkpoint and waits for it (dropping even an empty database took 5 to
    20 s on the busy test machine, a minute under load): dropped at the end, next to the
    test database's own drop, whose checkpoint then finds little left to write."""
    names: list[str] = []
    yield names
    with psycopg.connect(url_of("postgres"), autocommit=True) as db:
        for name in names:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def restored_name(_restored_databases: list[str]) -> str:
    """The name of a database that does not exist yet (restore creates it)."""
    name = f"{connection.settings_dict['NAME']}_restored"
    with psycopg.connect(url_of("postgres"), autocommit=True) as db:
        # Left by a run that stopped early; a drop costs a checkpoint only when it drops one.
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    if name not in _restored_databases:
        _restored_databases.append(name)
    return name


@pytest.mark.django_db(transaction=True)
def test_a_backup_restored_into_a_new_database_has_the_same_rows_and_keeps_the_triggers(
    world, restored_name, tmp_path
):
    client = sign_in(Client(), world.owner)
    client.get(reverse("children:detail", kwargs={"child_pk": world.child.pk}))  # logged
    make_screening(child=world.child, by=world.owner)
    send(make_draft(by=world.owner, child=world.child), world.owner)
    assert AccessLog.objects.exists()
    source = url_of(connection.settings_dict["NAME"])
    target = url_of(restored_name)
    backup = tmp_path / "cse.dump"

    run("backup", str(backup), DATABASE_URL=source)
    run("restore", str(backup), TARGET_DATABASE_URL=target)

    before, after = table_checksums(source), table_checksums(target)
    assert set(after) == set(before)
    assert after == before
    case_tables = [
        "cse_portal_child",
        "cse_portal_childevent",
        "referrals_referral",
        "screening_screening",
        "cse_portal_accesslog",
    ]
    assert all(before[t][0] > 0 for t in case_tables)  # the comparison compared something
    with psycopg.connect(target, autocommit=True) as db:
        for sql in (
            "UPDATE cse_portal_accesslog SET detail = 'x'",
            "DELETE FROM cse_portal_accesslog",
            "TRUNCATE cse_portal_accesslog",
        ):
            with pytest.raises(psycopg.Error):
                db.execute(sql)
        assert (
            db.execute("SELECT count(*) FROM cse_portal_accesslog").fetchone()[0]
            == before["cse_portal_accesslog"][0]
        )


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_is_not_empty(tmp_path):
    source = url_of(connection.settings_dict["NAME"])
    backup = tmp_path / "cse.dump"
    run("backup", str(backup), DATABASE_URL=source)
    with pytest.raises(subprocess.CalledProcessError) as refused:
        run("restore", str(backup), TARGET_DATABASE_URL=source)
    assert b"not empty" in refused.value.stderr


def test_make_backup_and_restore_use_the_embedded_server_without_a_database_url(tmp_path):
    """`make backup` and `make restore TARGET_DATABASE=…` with no DATABASE_URL: the embedded
    server's database (here one of its own, in a new data directory), dumped and restored
    with the wheel's own PostgreSQL 16 tools while the server runs."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "TARGET_DATABASE_URL"}}
    env["CSE_EMBEDDED_PGDATA"] = str(tmp_path / "pg")

    def against_embedded(sql: str, url: str = "DATABASE_URL", **more: str) -> str:
        command = f'psql "${url}" -v ON_ERROR_STOP=1 -Atqc "{sql}"'
        return subprocess.run(  # noqa: S603  (our own module, fixed arguments)
            [sys.executable, "-m", "cse_portal.embedded_db", "exec", "--", "bash", "-c", command],
            env={**env, **more},
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()

    def make(*args: str) -> None:
        subprocess.run(["make", "-s", *args], env=env, cwd=ROOT, check=True, capture_output=True)  # noqa: S603, S607

    against_embedded(
        "CREATE TABLE kept (id int PRIMARY KEY, note text);"
        " INSERT INTO kept SELECT n, 'row ' || n FROM generate_series(1, 50) n"
    )
    backup = tmp_path / "embedded.dump"
    make("backup", f"BACKUP={backup}")
    make("restore", f"BACKUP={backup}", "TARGET_DATABASE=cse_restored")

    rows = "SELECT count(*), md5(string_agg(note, ',' ORDER BY id)) FROM kept"
    source = against_embedded(rows)
    assert source.startswith("50|")
    assert against_embedded(rows, "TARGET_DATABASE_URL", TARGET_DATABASE="cse_restored") == source
