"""Load a version of a CSE2 assessment tool from a JSON file (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from referrals.assessment_tools import ToolDefinitionError, load_tool, read_tool
from referrals.models import (
    AssessmentTool,
    ToolDomain,
    ToolIndicator,
    ToolOutcome,
    ToolRecencyBand,
)


class Command(BaseCommand):
    help = (
        "Load a version of a CSE2 assessment tool from a JSON file. Loading the same file again "
        "changes nothing; a file that would change a loaded version is refused."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="e.g. fixtures/assessment_tools/sera_v2.json")

    def handle(self, *args: Any, **options: Any) -> None:
        models = (AssessmentTool, ToolRecencyBand, ToolOutcome, ToolDomain, ToolIndicator)
        try:
            tool, created = load_tool(read_tool(options["file"]), models=models)
        except ToolDefinitionError as error:
            raise CommandError(str(error)) from error
        counts = f"{tool.domains.count()} domains, {tool.indicators.count()} indicators"
        if created:
            self.stdout.write(self.style.SUCCESS(f"Loaded {tool} ({counts})."))
        else:
            self.stdout.write(f"{tool} is already loaded ({counts}); nothing changed.")
