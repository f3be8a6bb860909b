"""Load a version of the SAFEGUARD indicator catalogue from a JSON file (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from screening.catalogue import CatalogueError, load_catalogue, read_catalogue
from screening.models import CatalogueVersion, Heading, Indicator


class Command(BaseCommand):
    help = (
        "Load a version of the SAFEGUARD indicator catalogue from a JSON file. Loading the same "
        "file again changes nothing; a file that would change a loaded version is refused."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="e.g. fixtures/safeguard_catalogue_v2.json")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            data = read_catalogue(options["file"])
            version, created = load_catalogue(data, models=(CatalogueVersion, Heading, Indicator))
        except CatalogueError as error:
            raise CommandError(str(error)) from error
        counts = f"{version.headings.count()} headings, {version.indicators.count()} indicators"
        if created:
            self.stdout.write(self.style.SUCCESS(f"Loaded {version} ({counts})."))
        else:
            self.stdout.write(f"{version} is already loaded ({counts}); nothing changed.")
