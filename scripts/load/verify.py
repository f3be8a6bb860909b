"""After the load test: the figures, and every write looked for in the database.

Reads Locust's CSV statistics and the writes the load test recorded (CSE_LOAD_WRITES), then
looks up each write: a confirmed child edit must be in the child's history (its marker in
`school_or_setting` of a cse_portal_childevent row), a confirmed minutes save in the
section's history, a started screening must exist, a sent referral must be submitted with its
marker in the concern, a decision must be recorded with its marker in the reasons; a write
answered with the conflict page (for a decision: "a decision has already been recorded") must
be in none of them. Prints a table; exits 1 if a confirmed write is missing, a refused
one was stored, or a stale save was not answered with the conflict page.

    python scripts/load/verify.py STATS_PREFIX WRITES_JSON   (DATABASE_URL of the load database)
"""

from __future__ import annotations

import csv
import json
import os
import re
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cse_portal.settings")
os.environ.setdefault("CSE_ENV", "test")  # reads only; no secret needed
django.setup()

from django.db import connection  # noqa: E402

HISTORY = {
    "child": ("cse_portal_childevent", "school_or_setting"),
    "minutes": ("strategy_meetings_minutessectionevent", "text"),
    "referral": ("referrals_referral", "basis_of_concern"),
    "decision": ("referrals_referraldecision", "rationale"),
}
# Rows that count only in this state (a referral found as a draft was not sent).
ONLY = {"referral": " AND status = 'submitted'"}


def stored(write: dict) -> bool:
    if write["kind"] == "screening":
        match = re.search(r"/screenings/(\d+)/", write["location"])
        if not match:
            return False
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM screening_screening WHERE id = %s", [int(match[1])])
            return cursor.fetchone() is not None
    table, column = HISTORY[write["kind"]]
    with connection.cursor() as cursor:
        cursor.execute(  # fixed table and column names from HISTORY above
            f"SELECT count(*) FROM {table} WHERE {column} LIKE %s{ONLY.get(write['kind'], '')}",  # noqa: S608
            ["%" + write["marker"] + "%"],
        )
        return cursor.fetchone()[0] > 0


def figures(prefix: str) -> dict[str, str]:
    with open(f"{prefix}_stats.csv", encoding="utf-8") as stats:
        rows = list(csv.DictReader(stats))
    return next(row for row in rows if row["Name"] == "Aggregated")


def main(prefix: str, writes_path: str) -> int:
    total = figures(prefix)
    print(f"Requests {total['Request Count']}, errors {total['Failure Count']}")
    print(
        f"Response times (ms): p50 {total['50%']}, p95 {total['95%']}, p99 {total['99%']}, "
        f"max {float(total['Max Response Time']):.0f}; {float(total['Requests/s']):.1f} requests/s"
    )
    print(
        f"Load average (1, 5, 15 min) at the end: {Path('/proc/loadavg').read_text().split()[:3]}"
    )
    writes = json.loads(Path(writes_path).read_text(encoding="utf-8"))
    problems = 0
    print(
        f"\n{'write':<10} {'tried':>6} {'confirmed':>10} {'found':>6} {'conflict':>9} "
        f"{'text kept':>10} {'refused found':>14} {'other':>6}"
    )
    for kind in ("child", "minutes", "screening", "referral", "decision"):
        mine = [w for w in writes if w["kind"] == kind]
        confirmed = [w for w in mine if w["confirmed"]]
        conflicts = [w for w in mine if w["conflict"]]
        other = [w for w in mine if not w["confirmed"] and not w["conflict"]]
        found = sum(stored(w) for w in confirmed)
        refused_found = sum(stored(w) for w in conflicts)
        kept = sum(w["text_kept"] is not False for w in conflicts)  # None: no form to keep it
        print(
            f"{kind:<10} {len(mine):>6} {len(confirmed):>10} {found:>6} {len(conflicts):>9} "
            f"{kept:>10} {refused_found:>14} {len(other):>6}"
        )
        problems += (len(confirmed) - found) + refused_found + (len(conflicts) - kept) + len(other)
    errors = int(total["Failure Count"])
    print(
        "\nNo write lost, every conflict answered with the conflict page."
        if not problems
        else f"\n{problems} write(s) lost, stored against a conflict, or answered otherwise."
    )
    return 1 if problems or errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
