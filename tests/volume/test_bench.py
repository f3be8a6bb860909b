"""scripts/bench.py runs on a tiny data set and prints its table with a row for every page
(a benchmark prints figures; nothing here times anything)."""

from __future__ import annotations

import io
import sys

import pytest
from django.conf import settings
from django.core.management import call_command

pytestmark = pytest.mark.django_db

PAGES = [
    "Children list, first page",
    "Children list, last page",
    "Children list, search",
    "Child's record",
    "CSC tray",
    "Your work (home)",
    "Lead officer's caseload",
    "Lead officer's themes",
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
    # The pages that exist today answer 200 and cost queries; each has a floor.
    for label in ["Children list, first page", "Child's record", "CSC tray", "Meeting minutes"]:
        assert built[label].queries > 0
        assert built[label].floor_ms is not None
