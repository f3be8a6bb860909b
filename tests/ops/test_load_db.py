"""The load test's database (scripts/load/fresh_db.sh): made afresh at every run, so that a run
is not slowed by the rows of the runs before it; and only a database the script made is ever
dropped — any other of that name is left alone, untouched."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from cse_portal import embedded_db

ROOT = Path(__file__).resolve().parents[2]
# One name per test worker: the suite runs in parallel.
NAME = f"cse_load_fresh_db_test_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"


def url_of(name: str) -> str:
    return embedded_db.url_of(connection.settings_dict, name)


def fresh_db(name: str = NAME) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603  (our own script, fixed arguments)
        ["/bin/bash", str(ROOT / "scripts/load/fresh_db.sh"), url_of(name)],
        capture_output=True,
        text=True,
        env={**os.environ, **embedded_db.client_env(connection.settings_dict)},
    )


def admin(sql: str) -> None:
    with psycopg.connect(url_of("postgres"), autocommit=True) as db:
        db.execute(sql)


def rows_of(name: str) -> int:
    with psycopg.connect(url_of(name), autocommit=True) as db:
        return db.execute("SELECT count(*) FROM left_over").fetchone()[0]


@pytest.fixture
def cleanup():
    admin(f"DROP DATABASE IF EXISTS {NAME} WITH (FORCE)")
    yield
    admin(f"DROP DATABASE IF EXISTS {NAME} WITH (FORCE)")


def test_each_run_starts_from_an_empty_database_of_its_own(db, cleanup):
    made = fresh_db()
    assert made.returncode == 0, made.stderr
    with psycopg.connect(url_of(NAME), autocommit=True) as db_:
        db_.execute("CREATE TABLE left_over (n int)")
        db_.execute("INSERT INTO left_over SELECT generate_series(1, 10)")
    assert rows_of(NAME) == 10

    again = fresh_db()  # the next run: the last run's rows are gone
    assert again.returncode == 0, again.stderr
    with psycopg.connect(url_of(NAME), autocommit=True) as db_:
        tables = db_.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
        ).fetchone()[0]
    assert tables == 0


def test_a_database_the_load_test_did_not_make_is_left_alone(db, cleanup):
    admin(f"CREATE DATABASE {NAME}")
    with psycopg.connect(url_of(NAME), autocommit=True) as db_:
        db_.execute("CREATE TABLE left_over (n int)")
        db_.execute("INSERT INTO left_over SELECT generate_series(1, 7)")

    refused = fresh_db()
    assert refused.returncode == 2
    assert f"The database {NAME} was not made by the load test" in refused.stderr
    assert rows_of(NAME) == 7  # not dropped, not emptied

    # Nor one whose comment is someone else's.
    admin(f"COMMENT ON DATABASE {NAME} IS 'Southmere case records'")
    assert fresh_db().returncode == 2
    assert rows_of(NAME) == 7
