"""scripts/bench.py runs on a tiny data set and prints its table with a row for every page
(a benchmark prints figures; nothing here times anything)."""

from __future__ import annotations

import io
import sys

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction

pytestmark = pytest.mark.django_db

PAGES = [
    "Children list, first page",
    "Children list, last page",
    "Children list, search",
    "Child's record",
    "CSC tray",
    "Your work (home), CSC",
    "Lead officer's caseload, CSC",
    "Lead officer's themes, CSC",
    "Lead officer's caseload, police",
    "Lead officer's themes, police",
    "Meeting minutes",
]


def test_the_bench_prints_a_row_for_every_page(capsys):
    call_command("generate_volume", children=60, seed=3, stdout=io.StringIO())
    sys.path.insert(0, str(settings.BASE_DIR / "scripts"))
    try:
        import bench

        results = bench.run(runs=1)
    finally:
        sys.path.remove(str(settings.BASE_DIR / "scripts"))
    out = capsys.readouterr().out
    assert "Pages on 60 children" in out
    assert "queries" in out and "floor ms" in out and "load average" in out
    lines = out.splitlines()
    for label in PAGES:
        row = next((line for line in lines if line.startswith(label)), None)
        assert row is not None, f"no row for {label}"
    built = {r.page.label.split(" '")[0]: r for r in results if r.page.url and r.status == 200}
    # Every page answers 200 and costs queries; each has a floor.
    for label in PAGES:
        assert built[label].queries > 0, label
        assert built[label].floor_ms is not None, label


NEW_PAGES = PAGES[5:10]  # "Your work", the caseloads and the themes


def _bench_queries(children: int) -> dict[str, int]:
    """The queries of each new page on a data set of `children`, rolled back afterwards."""
    with transaction.atomic():
        call_command("generate_volume", children=children, seed=3, stdout=io.StringIO())
        sys.path.insert(0, str(settings.BASE_DIR / "scripts"))
        try:
            import bench

            results = bench.run(runs=1)
        finally:
            sys.path.remove(str(settings.BASE_DIR / "scripts"))
        transaction.set_rollback(True)
    counts = {r.page.label: r.queries for r in results if r.status == 200}
    return {label: counts[label] for label in NEW_PAGES}


def test_the_new_pages_cost_the_same_queries_for_few_or_many_children(capsys):
    """The bench's queries column for "Your work", caseload and themes: the same on 40 and
    on 400 children (the bench prints the same check on 2,000 and 200,000)."""
    few = _bench_queries(40)
    many = _bench_queries(400)
    assert few == many
