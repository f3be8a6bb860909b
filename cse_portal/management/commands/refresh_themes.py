"""Work out the themes' summaries of every lead officer's agency (the default period), so the
themes page reads them instead of counting (`cse_portal.themes_summary`). Run it more often
than CSE_THEMES_REFRESH_MINUTES: from cron (`manage.py refresh_themes`), as a long-running
process (`manage.py refresh_themes --every 10`), or queue it (`--enqueue`) for the task
worker (`manage.py db_worker`). The page never depends on it to be honest: a summary older
than the promise is counted afresh when read."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cse_portal.themes_summary import refresh_all, refresh_themes_task


class Command(BaseCommand):
    help = "Work out the themes' figures ahead for every lead officer's agency."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--every", type=float, default=0, help="repeat every N minutes")
        parser.add_argument("--enqueue", action="store_true", help="queue it for the worker")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            result = refresh_themes_task.enqueue()
            self.stdout.write(f"Queued ({result.id}).")
            return
        while True:
            started = time.monotonic()
            written = refresh_all()
            seconds = time.monotonic() - started
            self.stdout.write(
                f"{written} summar{'ies' if written != 1 else 'y'} in {seconds:.1f} s."
            )
            if not options["every"]:
                return
            time.sleep(max(0.0, options["every"] * 60 - seconds))
