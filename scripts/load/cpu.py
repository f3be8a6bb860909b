"""After the load test: where the machine's CPU went, and how long the servers took.

Reads the samples run.sh took while Locust ran (`ps -eo pid,times,args` every 2 seconds,
each block headed by "@ <uptime>") and the app servers' access logs (whose last field is
the server's time in milliseconds, deploy/gunicorn.conf.py). Prints the CPU seconds each
kind of process used during the run, as a share of the machine's cores, and the server-side
p50/p95/p99: what the client waited beyond them was spent queueing for a core.

    python scripts/load/cpu.py CPU_SAMPLES ACCESS_LOG...
"""

from __future__ import annotations

import os
import re
import sys
from collections import defaultdict

KINDS = (
    ("app servers (gunicorn)", re.compile(r"gunicorn")),
    ("task worker", re.compile(r"db_worker")),
    ("Locust (the simulated officers)", re.compile(r"locust")),
    ("PostgreSQL", re.compile(r"^postgres")),
)


def kind_of(args: str) -> str:
    for name, pattern in KINDS:
        if pattern.search(args):
            return name
    return "everything else"


def cpu_by_kind(path: str) -> tuple[dict[str, float], float]:
    first: dict[int, int] = {}
    last: dict[int, int] = {}
    kinds: dict[int, str] = {}
    start = end = None
    with open(path) as samples:
        for line in samples:
            if line.startswith("@ "):
                now = float(line[2:])
                start = now if start is None else start
                end = now
                continue
            parts = line.split(None, 2)
            if len(parts) < 3 or not parts[0].isdigit():
                continue
            pid, seconds, args = int(parts[0]), int(parts[1]), parts[2].strip()
            if "ps -eo" in args:
                continue
            first.setdefault(pid, seconds if start == end else 0)  # present from the start, or new
            last[pid] = seconds
            kinds[pid] = kind_of(args)
    used: dict[str, float] = defaultdict(float)
    for pid, seconds in last.items():
        used[kinds[pid]] += seconds - first[pid]
    return used, (end or 0) - (start or 0)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main(samples: str, logs: list[str]) -> None:
    used, wall = cpu_by_kind(samples)
    cores = os.cpu_count() or 1
    total = sum(used.values())
    print(f"\nCPU during the run ({wall:.0f} s on {cores} cores = {wall * cores:.0f} CPU-seconds):")
    for name, seconds in sorted(used.items(), key=lambda item: -item[1]):
        print(f"  {name:34} {seconds:6.0f} s  {seconds / (wall * cores or 1):6.1%}")
    print(f"  {'all':34} {total:6.0f} s  {total / (wall * cores or 1):6.1%}")
    times = []
    for log in logs:
        with open(log) as lines:
            for line in lines:
                match = re.search(r" (\d+)ms$", line.rstrip())
                if match and "curl/" not in line:
                    times.append(float(match[1]))
    if times:
        print(
            f"Server time (ms), {len(times)} requests: p50 {percentile(times, 0.5):.0f}, "
            f"p95 {percentile(times, 0.95):.0f}, p99 {percentile(times, 0.99):.0f}"
        )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
