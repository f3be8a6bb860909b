#!/usr/bin/env python3
"""The access door's queryset shapes compared on the volume data set. Prints a table.

    CSE_ENV=test DATABASE_URL=postgres://postgres@127.0.0.1:5432/cse_volume_bench \\
        .venv/bin/python scripts/bench_door.py [--runs 9]

The same rows three ways, for the first police agency's officers (the children they may see):

- join: the child joined to guardian's rows and to auth_permission by codename (the door
  before issue 11);
- exists: the child filtered by EXISTS on the group's `view_child` rows;
- in: the child's id IN the group's `view_child` rows (the door now: `access.visible_child_ids`).

For each: the list's count, its first and last page (25 children in name order, with the two
related rows the list shows), a search, and a child-related list (the CSC tray's referrals of
the area filtered through the door). Best of `--runs` (the least noisy figure on a shared
machine), in milliseconds. It is a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cse_portal.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Permission  # noqa: E402
from django.db.models import Exists, OuterRef, QuerySet, Subquery  # noqa: E402

from cse_portal.access import visible_child_ids, visible_child_rows  # noqa: E402
from cse_portal.models import Agency, Child, ChildGroupObjectPermission  # noqa: E402


def shapes(agency: Agency) -> dict[str, QuerySet[Child]]:
    view = Permission.objects.filter(
        content_type__app_label="cse_portal", codename="view_child"
    ).values("id")[:1]
    rows = ChildGroupObjectPermission.objects.filter(
        content_object_id=OuterRef("pk"), group_id=agency.group_id, permission_id=Subquery(view)
    )
    return {
        "join": Child.objects.filter(
            childgroupobjectpermission__group_id=agency.group_id,
            childgroupobjectpermission__permission__codename="view_child",
        ),
        "exists": Child.objects.filter(Exists(rows)),
        "in": Child.objects.filter(pk__in=visible_child_ids(agency)),
    }


def best_ms(function: Callable[[], Any], runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - started)
    return best * 1000


def main() -> None:
    from referrals.models import Referral

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=9)
    runs = parser.parse_args().runs
    police = Agency.objects.filter(kind=Agency.Kind.POLICE).order_by("id").first()
    assert police is not None, "no volume data set: run make bench (or generate_volume) first"
    csc = Agency.objects.get(kind="csc", local_authority=police.local_authority)
    order = ("last_name", "first_name", "created_at")
    word = Child.objects.filter(pk__in=visible_child_ids(police)).values_list(
        "last_name", flat=True
    )[0]
    table = []
    for name, children in shapes(police).items():
        listed = children.select_related("home_authority", "owning_agency").order_by(*order)
        total = children.count()
        csc_children = shapes(csc)[name]
        tray = Referral.objects.filter(to_agency=csc, status="submitted", decision__isnull=True)
        cells = [
            best_ms(children.count, runs),
            best_ms(lambda q=listed: list(q[:25]), runs),
            best_ms(lambda q=listed, t=total: list(q[max(0, t - 25) : t]), runs),
            best_ms(lambda q=listed: list(q.search(word)[:25]), runs),
            best_ms(lambda t=tray, c=csc_children: list(t.filter(child__in=c)), runs),
        ]
        table.append((name, cells))
    print(f"\nThe access door's shapes, {Child.objects.count():,} children, best of {runs} (ms)\n")
    header = f"{'shape':<8} {'count':>8} {'page 1':>8} {'last':>8} {'search':>8} {'tray':>8}"
    print(header)
    print("-" * len(header))
    for name, cells in table:
        print(f"{name:<8} " + " ".join(f"{c:8.1f}" for c in cells))
    rows_only = best_ms(visible_child_rows(police).count, runs)
    print(f"\nThe list's count now: the permission rows alone, {rows_only:.1f} ms")
    load = os.getloadavg()
    print(f"load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
