"""Starting an assessment from the referral's indicators: the links from SAFEGUARD indicator
codes (what a screening and its referral record) to a tool's indicators, as data.

A map is a JSON file beside its tool in `fixtures/assessment_tools/`:

    {"tool": "sera", "tool_version": 1, "version": 1, "catalogue_version": 1,
     "title": "...", "notes": "...", "recent_days": 28,
     "missing_indicators": ["L-03", ...],          # beside them: missing episodes (G33)
     "links": {"A1-02": ["L-03"], ...}}            # SAFEGUARD code → tool indicator codes

A data migration loads the shipped maps; loading is idempotent and a version already loaded
is never changed (triggers), so an assessment keeps the map it started with. A referral's
indicator becomes, for each linked tool indicator, an answer "present" with the referral's
words (`referral_suggestion`) that awaits the assessor's check: the domain page says which
answers came from the referral, saving it confirms or changes them, and the assessment cannot
be finalised while one awaits (the service and a trigger). It is never silently final.

How recently: the referral says the indicator was present when it was sent. Sent in the last
`recent_days` days (28: about a month, "current" in the guidance's sense of what is happening
now), it is current; up to 6 months, in the last 6 months; for a tool with a "6 to 12 months"
band, up to a year, that; older, earlier. A band the indicator does not take is left for the
assessor to choose.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from referrals.assessment_tools import TOOLS_DIR
from referrals.models import Referral, RiskAssessment, ToolIndicator, ToolPrefillMap

SHIPPED_MAPS = (
    TOOLS_DIR / "sera_v1_from_safeguard.json",
    TOOLS_DIR / "seraf_v1_from_safeguard.json",
)


class PrefillMapError(Exception):
    """Not a valid map, a code in neither catalogue, or a change to a loaded version."""


def read_map(path: Path | str) -> dict[str, Any]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise PrefillMapError(f"Cannot read {path}: {error}") from error
    for key in ("tool", "tool_version", "version", "catalogue_version", "title", "links"):
        if key not in data:
            raise PrefillMapError(f"The map has no '{key}'.")
    if not isinstance(data["links"], dict) or not all(
        isinstance(v, list) and v for v in data["links"].values()
    ):
        raise PrefillMapError("'links' maps each SAFEGUARD code to a list of indicator codes.")
    return data


def unknown_codes(
    data: dict[str, Any], *, safeguard: set[str], tool: set[str]
) -> tuple[set[str], set[str]]:
    """The map's SAFEGUARD codes not in the catalogue, and its tool codes not in the tool."""
    tool_codes = {c for codes in data["links"].values() for c in codes}
    tool_codes |= set(data.get("missing_indicators", []))
    return set(data["links"]) - safeguard, tool_codes - tool


@transaction.atomic
def load_map(data: dict[str, Any], *, models: tuple[Any, ...]) -> tuple[Any, bool]:
    """Load with the model classes given (AssessmentTool, ToolIndicator, ToolPrefillMap,
    ToolPrefillLink, screening Indicator) — the migration passes its historical ones.
    Returns (map, created); refuses codes in neither catalogue and changed content."""
    tool_model, indicator_model, map_model, link_model, safeguard_model = models
    tool = tool_model.objects.filter(code=data["tool"], version=data["tool_version"]).first()
    if tool is None:
        raise PrefillMapError(f"{data['tool']} version {data['tool_version']} is not loaded.")
    indicators = {i.code: i for i in indicator_model.objects.filter(tool=tool)}
    safeguard = set(
        safeguard_model.objects.filter(version__number=data["catalogue_version"]).values_list(
            "code", flat=True
        )
    )
    bad_safeguard, bad_tool = unknown_codes(data, safeguard=safeguard, tool=set(indicators))
    if bad_safeguard or bad_tool:
        raise PrefillMapError(
            f"Unknown codes: SAFEGUARD {sorted(bad_safeguard)}, tool {sorted(bad_tool)}."
        )
    wanted = sorted((s, t) for s, codes in data["links"].items() for t in codes)
    fields = {
        "catalogue_version": data["catalogue_version"],
        "title": data["title"],
        "notes": data.get("notes", ""),
        "recent_days": data.get("recent_days", 28),
        "missing_indicators": list(data.get("missing_indicators", [])),
    }
    existing = map_model.objects.filter(tool=tool, version=data["version"]).first()
    if existing is not None:
        stored = sorted(
            link_model.objects.filter(map=existing).values_list("safeguard_code", "indicator__code")
        )
        same = all(getattr(existing, k) == v for k, v in fields.items()) and stored == wanted
        if not same:
            raise PrefillMapError(
                f"Map version {data['version']} of {tool.code} is already loaded with different "
                "content: load a changed map as a new version."
            )
        return existing, False
    created = map_model.objects.create(tool=tool, version=data["version"], **fields)
    link_model.objects.bulk_create(
        link_model(map=created, safeguard_code=s, indicator=indicators[t]) for s, t in wanted
    )
    return created, True


# --- Pre-answering an assessment --------------------------------------------------------------


def map_for(assessment: RiskAssessment) -> ToolPrefillMap | None:
    """The newest map of the assessment's tool."""
    return ToolPrefillMap.objects.filter(tool_id=assessment.tool_id).order_by("-version").first()


def recency_for(sent: datetime | None, bands: list[str], *, recent_days: int, now: datetime) -> str:
    """The band a referral sent at `sent` suggests (module docstring); "" if not one of
    `bands` (the assessor chooses)."""
    if sent is None:
        return ""
    age = now - sent
    if age <= timedelta(days=recent_days):
        wanted = "current"
    elif age <= timedelta(days=183):
        wanted = "last_6_months"
    elif age <= timedelta(days=365) and "6_to_12_months" in bands:
        wanted = "6_to_12_months"
    else:
        wanted = "earlier"
    return wanted if wanted in bands else ""


@dataclass(frozen=True)
class Prefill:
    indicator: ToolIndicator
    recency: str
    suggestion: str


def prefills(
    referral: Referral, prefill_map: ToolPrefillMap, *, now: datetime | None = None
) -> list[Prefill]:
    """For each tool indicator linked from one of the referral's indicators: "present", how
    recently, and the words of the referral it came from (two queries)."""
    at = now or timezone.now()
    texts: dict[str, str] = dict(referral.indicators.values_list("code", "text"))
    by_indicator: dict[int, tuple[ToolIndicator, list[str]]] = {}
    links = prefill_map.links.filter(safeguard_code__in=texts).select_related("indicator")
    for link in links.order_by("indicator__domain__position", "indicator__position"):
        entry = by_indicator.setdefault(link.indicator_id, (link.indicator, []))
        entry[1].append(texts[link.safeguard_code])
    sent = referral.received_at
    when = f"{timezone.localtime(sent):%-d %B %Y}" if sent else "an unknown date"
    return [
        Prefill(
            indicator=indicator,
            recency=recency_for(
                sent, list(indicator.recency_bands), recent_days=prefill_map.recent_days, now=at
            ),
            suggestion=f"Present, from the CSE1 referral of {when}: {'; '.join(words)}",
        )
        for indicator, words in by_indicator.values()
    ]
