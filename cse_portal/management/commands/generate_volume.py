"""`python manage.py generate_volume --children N [--seed S]`: a fictional data set at scale.

Twenty local authorities, their agencies (children's social care, police, health, education,
a voluntary youth trust) and 600 officers; N children with one to three involved agencies each,
the agencies' object permissions as the access layer reads them, and the access log. Then every
installed app that has a `volume` module gets `generate_volume(ctx, stdout)` called, in
INSTALLED_APPS order (the core imports no app), to add its rows for the same children.

For speed the rows are written with COPY in one transaction with `session_replication_role =
replica`: change-history, freeze and foreign-key triggers do not fire for this bulk load only
(the command says so). CHECK and UNIQUE constraints hold every row; afterwards the command
checks the foreign keys it skipped, sets every sequence past the new rows and runs ANALYZE.

It refuses a database that already has children: the data set is for a database of its own.
"""

from __future__ import annotations

import importlib
import importlib.util
import random
import time
from datetime import UTC, datetime
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from cse_portal import volume
from cse_portal.models import Child

# A fixed "now" for a seed, so that two runs with the same seed write the same rows.
_EPOCH = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


class Command(BaseCommand):
    help = "Generate a fictional volume data set (bulk-loaded) for benchmarks."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--children", type=int, required=True)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--access-log-per-involvement",
            type=int,
            default=7,
            help="Access-log rows per involvement (7: about 2.8 million at 200,000 children).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.CSE_ENV == "production":
            raise CommandError("generate_volume does not run with CSE_ENV=production.")
        if options["children"] < 1:
            raise CommandError("--children must be at least 1.")
        if Child.objects.exists():
            raise CommandError("This database already has children: use an empty one.")
        started = time.monotonic()
        ctx = volume.VolumeContext(
            seed=options["seed"],
            now=_EPOCH,
            rng=random.Random(options["seed"]),  # noqa: S311  (data, not secrets)
        )
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
            self.stdout.write(
                "Bulk load: session_replication_role = replica in this transaction — history, "
                "freeze and foreign-key triggers are bypassed for these rows only."
            )
            volume.generate_core(ctx, options["children"])
            self._step("core", started, ctx)
            self._run_apps(ctx, started)
            volume.generate_access_log(ctx, options["access_log_per_involvement"])
            self._step("access log", started, ctx)
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = origin")
            problems = volume.check_foreign_keys(ctx)
            if problems:
                raise CommandError("Foreign keys broken: " + "; ".join(problems))
            volume.reset_sequences(ctx)
        volume.analyze(ctx)
        for label, count in sorted(ctx.counts.items()):
            self.stdout.write(f"  {label:<40} {count:>10,}")
        for line in volume.sanity_report():
            self.stdout.write(line)
        self.stdout.write(
            f"Done in {time.monotonic() - started:.0f} s. Officers sign in as vol<agency>.<n> "
            f"with the password {volume.VOLUME_PASSWORD}."
        )

    def _step(self, label: str, started: float, ctx: volume.VolumeContext) -> None:
        self.stdout.write(f"{label}: {time.monotonic() - started:.0f} s")

    def _run_apps(self, ctx: volume.VolumeContext, started: float) -> None:
        for app_config in apps.get_app_configs():
            module_name = f"{app_config.name}.volume"
            if app_config.name == "cse_portal":
                continue
            try:
                spec = importlib.util.find_spec(module_name)
            except ModuleNotFoundError:
                spec = None
            if spec is None:
                continue
            generate = getattr(importlib.import_module(module_name), "generate_volume", None)
            if callable(generate):
                generate(ctx, self.stdout)
                self._step(app_config.label, started, ctx)
