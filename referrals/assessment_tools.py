"""CSE2 assessment tools: loading a version from its JSON file in `fixtures/assessment_tools/`,
and which tool a local authority uses.

Loading is used by the data migration that loads the shipped tools (with the migration's
historical models) and by `manage.py load_assessment_tool FILE`. It is idempotent; a version
already loaded is never changed — a changed tool is a new version, so old assessments keep the
texts and the rule their assessors saw.

The file's shape (positions follow the order of the lists):

    {"code": "sera", "version": 1, "title": "...", "source": "...", "notes": "...",
     "recency_bands": [{"code": "current", "label": "Current"}, ...],   # most recent first
     "outcomes": [{"code": "low", "label": "Low risk", "rank": 1, "kind": "level",
                   "description": "...", "response": "..."}, ...],
     "domains": [{"code": "health", "group": "...", "title": "Health"}, ...],
     "indicators": [{"code": "H-01", "domain": "health", "text": "...", "level": "low",
                     "recency_bands": ["current", ...], "note": "..."}, ...],
     "rule": {"kind": "categorical_signals", ...}}                     # referrals.scoring
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.db import transaction

from cse_portal.models import LocalAuthority
from referrals.models import DEFAULT_TOOL_CODE, AssessmentTool, AuthorityAssessmentTool
from referrals.scoring import OutcomeKind, RuleError, ToolSpec, validate_spec

TOOLS_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "assessment_tools"
SHIPPED_FILES = (TOOLS_DIR / "sera_v1.json", TOOLS_DIR / "seraf_v1.json")


class ToolDefinitionError(Exception):
    """The file is not a valid tool definition, or would change a version already loaded."""


# --- Reading and validating -------------------------------------------------------------------


def read_tool(path: Path | str) -> dict[str, Any]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ToolDefinitionError(f"Cannot read {path}: {error}") from error
    validate(data)
    return data


def _unique_codes(items: list[Any], what: str) -> list[str]:
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise ToolDefinitionError(f"'{what}' must be a list of objects.")
    codes = [str(i.get("code") or "") for i in items]
    if not all(codes) or len(set(codes)) != len(codes):
        raise ToolDefinitionError(f"Every entry of '{what}' needs a code, and codes are unique.")
    return codes


def validate(data: Any) -> None:
    """Raise ToolDefinitionError unless `data` is a complete, consistent tool definition."""
    if not isinstance(data, dict):
        raise ToolDefinitionError("The tool definition must be a JSON object.")
    for key in ("code", "version", "title", "source", "outcomes", "domains", "indicators", "rule"):
        if key not in data:
            raise ToolDefinitionError(f"The tool definition has no '{key}'.")
    if not isinstance(data["version"], int) or data["version"] < 1:
        raise ToolDefinitionError("'version' must be a whole number from 1.")
    _unique_codes(data.get("recency_bands", []), "recency_bands")
    _unique_codes(data["outcomes"], "outcomes")
    domains = _unique_codes(data["domains"], "domains")
    _unique_codes(data["indicators"], "indicators")
    for outcome in data["outcomes"]:
        if not str(outcome.get("label") or "").strip() or not isinstance(outcome.get("rank"), int):
            raise ToolDefinitionError(f"Outcome {outcome['code']} needs a label and a rank.")
        if outcome.get("kind", OutcomeKind.LEVEL) not in OutcomeKind.values:
            raise ToolDefinitionError(f"Outcome {outcome['code']} has an unknown kind.")
    for domain in data["domains"]:
        if not str(domain.get("title") or "").strip():
            raise ToolDefinitionError(f"Domain {domain['code']} has no title.")
    for indicator in data["indicators"]:
        if indicator.get("domain") not in domains:
            raise ToolDefinitionError(f"Indicator {indicator['code']} names an unknown domain.")
        if not str(indicator.get("text") or "").strip():
            raise ToolDefinitionError(f"Indicator {indicator['code']} has no text.")
    try:
        validate_spec(ToolSpec.from_data(data))
    except (RuleError, KeyError, TypeError, AttributeError) as error:
        raise ToolDefinitionError(f"The rule does not fit the tool: {error}") from error


# --- Loading ----------------------------------------------------------------------------------


def _wanted(data: dict[str, Any]) -> dict[str, Any]:
    """The definition as rows, in the shape `_stored` reads them back."""
    positions: dict[str, int] = {}
    indicators = []
    for i in data["indicators"]:
        positions[i["domain"]] = positions.get(i["domain"], 0) + 1
        indicators.append(
            (
                i["code"],
                i["domain"],
                positions[i["domain"]],
                i["text"],
                i.get("level", ""),
                i.get("category", ""),
                list(i.get("recency_bands", [])),
                i.get("note", ""),
            )
        )
    return {
        "tool": (data["title"], data["source"], data.get("notes", ""), data["rule"]),
        "bands": [(b["code"], b["label"]) for b in data.get("recency_bands", [])],
        "outcomes": sorted(
            (
                o["code"],
                o["label"],
                o.get("kind", OutcomeKind.LEVEL),
                o["rank"],
                o.get("description", ""),
                o.get("response", ""),
            )
            for o in data["outcomes"]
        ),
        "domains": [
            (d["code"], d.get("group", ""), d["title"], d.get("description", ""))
            for d in data["domains"]
        ],
        "indicators": sorted(indicators),
    }


def _stored(tool: Any, models: tuple[Any, ...]) -> dict[str, Any]:
    _, band_model, outcome_model, domain_model, indicator_model = models
    domains = list(domain_model.objects.filter(tool=tool).order_by("position"))
    codes = {d.pk: d.code for d in domains}
    return {
        "tool": (tool.title, tool.source, tool.notes, tool.rule),
        "bands": list(
            band_model.objects.filter(tool=tool).order_by("position").values_list("code", "label")
        ),
        "outcomes": sorted(
            outcome_model.objects.filter(tool=tool).values_list(
                "code", "label", "kind", "rank", "description", "response"
            )
        ),
        "domains": [(d.code, d.group, d.title, d.description) for d in domains],
        "indicators": sorted(
            (
                i.code,
                codes[i.domain_id],
                i.position,
                i.text,
                i.level,
                i.category,
                list(i.recency_bands),
                i.note,
            )
            for i in indicator_model.objects.filter(tool=tool)
        ),
    }


@transaction.atomic
def load_tool(data: dict[str, Any], *, models: tuple[Any, ...]) -> tuple[Any, bool]:
    """Load `data` with the model classes (AssessmentTool, ToolRecencyBand, ToolOutcome,
    ToolDomain, ToolIndicator) given — the migration passes its historical ones.

    Returns (tool, created). A version already loaded with the same content is left as it
    is; one with different content raises ToolDefinitionError and nothing changes.
    """
    validate(data)
    tool_model = models[0]
    existing = tool_model.objects.filter(code=data["code"], version=data["version"]).first()
    if existing is not None:
        if _stored(existing, models) != _wanted(data):
            raise ToolDefinitionError(
                f"{data['code']} version {data['version']} is already loaded with different "
                "content. A changed tool must be loaded as a new version: old assessments keep "
                "the texts and the rule their assessors saw."
            )
        return existing, False
    return _create(data, models), True


def _create(data: dict[str, Any], models: tuple[Any, ...]) -> Any:
    tool_model, band_model, outcome_model, domain_model, indicator_model = models
    tool = tool_model.objects.create(
        code=data["code"],
        version=data["version"],
        title=data["title"],
        source=data["source"],
        notes=data.get("notes", ""),
        rule=data["rule"],
    )
    band_model.objects.bulk_create(
        band_model(tool=tool, code=b["code"], label=b["label"], position=n)
        for n, b in enumerate(data.get("recency_bands", []), start=1)
    )
    outcome_model.objects.bulk_create(
        outcome_model(
            tool=tool,
            code=row[0],
            label=row[1],
            kind=row[2],
            rank=row[3],
            description=row[4],
            response=row[5],
        )
        for row in _wanted(data)["outcomes"]
    )
    domains = {}
    for n, d in enumerate(data["domains"], start=1):
        domains[d["code"]] = domain_model.objects.create(
            tool=tool,
            code=d["code"],
            position=n,
            group=d.get("group", ""),
            title=d["title"],
            description=d.get("description", ""),
        )
    indicator_model.objects.bulk_create(
        indicator_model(
            tool=tool,
            code=code,
            domain=domains[domain],
            position=position,
            text=text,
            level=level,
            category=category,
            recency_bands=bands,
            note=note,
        )
        for code, domain, position, text, level, category, bands, note in _wanted(data)[
            "indicators"
        ]
    )
    return tool


# --- Which tool a local authority uses ---------------------------------------------------------


def tool_for(local_authority: LocalAuthority | None) -> AssessmentTool | None:
    """The tool the authority's administrator chose, or else the newest version of SERA (the
    default). None only if no SERA is loaded (never, once migrated)."""
    if local_authority is not None:
        choice = (
            AuthorityAssessmentTool.objects.filter(local_authority=local_authority)
            .select_related("tool")
            .first()
        )
        if choice is not None:
            return choice.tool
    return AssessmentTool.objects.filter(code=DEFAULT_TOOL_CODE).order_by("-version").first()
