#!/usr/bin/env python3
"""Benchmark the main pages against their floor, on the volume data set. Prints a table.

    CSE_ENV=test DATABASE_URL=postgres://postgres@127.0.0.1:5432/cse_volume_bench \\
        .venv/bin/python scripts/bench.py [--children 200000] [--runs 15]

(`make bench` does this, with CHILDREN=200000 by default, then runs scripts/bench_pdf.py.)

If the database does not exist it is created and migrated; if it has no children,
`manage.py generate_volume --children N` fills it (once: a database that has children is used
as it is, whatever its size). Then, for each page, in this process:

- rows: the rows behind the page (what it lists or summarises);
- queries: the SQL queries one request costs;
- median: the median server time of `--runs` requests through the whole middleware stack
  (Django's test Client, signed in with a verified second factor, as tests/conftest.py does);
- floor: the median time of the best hand-written SQL for the same rows, run in the same
  process through a raw cursor (the least the database must do for the page);
- ratio: median / floor; and the time the page's own queries took (its SQL, as the
  database driver saw it) and its ratio to the floor: the database part of the page.

A page whose URL name does not resolve yet, or which only redirects, says so. It is a
benchmark, not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cse_portal.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

Floor = Callable[[Any], object]  # runs the hand-written SQL on a raw cursor


@dataclass
class Page:
    label: str
    url: str | None  # None: the URL name does not resolve (page not built yet)
    client: Client
    rows: int | None
    floor: Floor | None
    note: str = ""
    # Run once before the page is measured; returns a line printed under the page's row.
    prepare: Callable[[], str] | None = None


@dataclass
class Result:
    page: Page
    status: int = 0
    queries: int = 0
    median_ms: float = 0.0
    sql_ms: float = 0.0
    floor_ms: float | None = None


def ensure_database(children: int, seed: int) -> None:
    """Create, migrate and fill the benchmark database if it is not there yet."""
    import psycopg
    from django.core.management import call_command

    db = settings.DATABASES["default"]
    given = {"host": db.get("HOST"), "port": db.get("PORT"), "user": db.get("USER")}
    params = {k: str(v) for k, v in given.items() if v} | {"dbname": "postgres"}
    if db.get("PASSWORD"):
        params["password"] = db["PASSWORD"]
    with psycopg.connect(**params, autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]])
        if exists.fetchone() is None:
            print(f"Creating the database {db['NAME']} …", file=sys.stderr)
            admin.execute(f'CREATE DATABASE "{db["NAME"]}"')
    call_command("migrate", verbosity=0)
    from cse_portal.models import Child

    if not Child.objects.exists():
        print(f"Generating {children:,} children (once) …", file=sys.stderr)
        call_command("generate_volume", children=children, seed=seed)


def signed_in(username: str) -> Client:
    """A client signed in as the officer with a verified second factor (tests/conftest.py)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from cse_portal.models import Officer

    officer = Officer.objects.get(username=username)
    device, _ = TOTPDevice.objects.get_or_create(
        user=officer, name="bench device", defaults={"confirmed": True}
    )
    client = Client()
    client.force_login(officer)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def url_or_none(name: str, **kwargs: object) -> str | None:
    namespaces = ("", f"{name}:", "cse_portal:", "screening:", "referrals:", "strategy_meetings:")
    for candidate in (name if ":" in name else f"{ns}{name}" for ns in namespaces):
        try:
            return reverse(candidate, kwargs=kwargs or None)
        except NoReverseMatch:
            continue
    return None


def scalar(sql: str, params: list[object]) -> Any:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return row[0] if row else None


def run_floor(floor: Floor) -> float:
    with connection.cursor() as cursor:
        started = time.perf_counter()
        floor(cursor)
        return time.perf_counter() - started


def measure(page: Page, runs: int) -> Result:
    result = Result(page)
    if page.url is None:
        return result
    if page.prepare is not None:
        page.note = page.prepare()
    for _ in range(2):  # warm the caches (templates, the database's buffers)
        page.client.get(page.url)
    with CaptureQueriesContext(connection) as queries:
        response = page.client.get(page.url)
    result.status, result.queries = response.status_code, len(queries)
    times, sql, floors = [], [], []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            page.client.get(page.url)
            times.append(time.perf_counter() - started)
        sql.append(sum(float(q["time"]) for q in queries.captured_queries))
        if page.floor is not None:
            floors.append(run_floor(page.floor))
    result.median_ms = statistics.median(times) * 1000
    result.sql_ms = statistics.median(sql) * 1000
    if floors:
        result.floor_ms = statistics.median(floors) * 1000
    return result


def print_table(results: list[Result], runs: int) -> None:
    from cse_portal.models import AccessLog, Child

    children = Child.objects.count()
    log_rows = scalar(
        "SELECT reltuples::bigint FROM pg_class WHERE relname = %s", ["cse_portal_accesslog"]
    )
    print(
        f"\nPages on {children:,} children ({log_rows:,} access-log rows, about), "
        f"median of {runs} requests\n"
    )
    header = (
        f"{'Page':<34} {'rows':>8} {'queries':>7} {'median ms':>10} {'floor ms':>9} "
        f"{'ratio':>6} {'its SQL ms':>10} {'SQL/floor':>9}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        p = r.page
        rows = f"{p.rows:,}" if p.rows is not None else "—"
        if p.url is None:
            print(f"{p.label:<34} {rows:>8}   page not built yet")
            continue
        if r.status != 200:
            print(
                f"{p.label:<34} {rows:>8} {r.queries:>7}   answers {r.status}: page not built yet"
            )
            continue
        floor = f"{r.floor_ms:9.1f}" if r.floor_ms is not None else f"{'—':>9}"
        ratio = f"{r.median_ms / r.floor_ms:6.1f}" if r.floor_ms else f"{'—':>6}"
        sql_ratio = f"{r.sql_ms / r.floor_ms:9.1f}" if r.floor_ms else f"{'—':>9}"
        print(
            f"{p.label:<34} {rows:>8} {r.queries:>7} {r.median_ms:10.1f} {floor} {ratio} "
            f"{r.sql_ms:10.1f} {sql_ratio}"
        )
        if p.note:
            print(f"    {p.note}")
    print("-" * len(header))
    load = os.getloadavg()
    print(
        f"CPU: {os.cpu_count()} cores, load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} "
        f"(1 / 5 / 15 min; other work on the machine adds noise). Access-log rows now: "
        f"{AccessLog.objects.count():,}."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--children", type=int, default=200_000, help="if it must generate")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--runs", type=int, default=15, help="requests per page (median kept)")
    parser.add_argument(
        "--only", action="append", default=[], help="pages whose label contains this (repeatable)"
    )
    args = parser.parse_args()
    ensure_database(args.children, args.seed)
    run(args.runs, args.only)


def run(runs: int, only: list[str] | None = None) -> list[Result]:
    """Measure every page (or those whose label contains one of `only`) on the data set in the
    database and print the table."""
    from bench_pages import pages  # scripts/bench_pages.py: the pages and their floors

    chosen = [
        page
        for page in pages(signed_in, url_or_none, scalar)
        if not only or any(word.lower() in page.label.lower() for word in only)
    ]
    results = [measure(page, runs) for page in chosen]
    print_table(results, runs)
    return results


if __name__ == "__main__":
    main()
