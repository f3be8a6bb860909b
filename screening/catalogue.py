"""Loading a version of the SAFEGUARD indicator catalogue from its JSON file in `fixtures/`.

Used by the data migration that loads version 1 (with the migration's historical models) and
by `manage.py load_catalogue` for later versions. Loading is idempotent; a version already
loaded is never changed — a changed catalogue is a new version, so old screenings keep the
texts their screeners saw.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.db import transaction

VERSION_1_FILE = Path(__file__).resolve().parent.parent / "fixtures" / "safeguard_catalogue_v1.json"

KINDS = {"vulnerability": "vulnerabilities", "sign": "signs", "indicator": ""}


class CatalogueError(Exception):
    """The file is not a valid catalogue, or would change a version already loaded."""


def read_catalogue(path: Path | str) -> dict[str, Any]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise CatalogueError(f"Cannot read {path}: {error}") from error
    validate(data)
    return data


def validate(data: Any) -> None:
    """Raise CatalogueError unless `data` is a complete, consistent catalogue."""
    if not isinstance(data, dict):
        raise CatalogueError("The catalogue must be a JSON object.")
    for key in ("version", "title", "source", "headings", "indicators"):
        if key not in data:
            raise CatalogueError(f"The catalogue has no '{key}'.")
    if not isinstance(data["version"], int) or data["version"] < 1:
        raise CatalogueError("'version' must be a whole number from 1.")
    heading_codes = [h.get("code") for h in data["headings"]]
    if len(set(heading_codes)) != len(heading_codes) or not all(heading_codes):
        raise CatalogueError("Every heading needs a code, and codes must be unique.")
    indicator_codes = [i.get("code") for i in data["indicators"]]
    if len(set(indicator_codes)) != len(indicator_codes) or not all(indicator_codes):
        raise CatalogueError("Every indicator needs a code, and codes must be unique.")
    for indicator in data["indicators"]:
        code = indicator["code"]
        if indicator.get("heading") not in heading_codes:
            raise CatalogueError(f"Indicator {code} names an unknown heading.")
        if indicator.get("kind") not in KINDS:
            raise CatalogueError(f"Indicator {code} has an unknown kind.")
        if (indicator.get("occ_list") or "") != KINDS[indicator["kind"]]:
            raise CatalogueError(f"Indicator {code}: its kind does not match its OCC list.")
        if not str(indicator.get("text") or "").strip():
            raise CatalogueError(f"Indicator {code} has no text.")


def _heading_row(h: dict[str, Any]) -> dict[str, Any]:
    return {
        "code": h["code"],
        "letter": h["letter"],
        "position": h["position"],
        "title": h["title"],
        "description": h.get("description") or "",
    }


def _indicator_row(i: dict[str, Any]) -> dict[str, Any]:
    return {
        "code": i["code"],
        "heading": i["heading"],
        "position": i["position"],
        "text": i["text"],
        "kind": i["kind"],
        "occ_list": i.get("occ_list") or "",
    }


@transaction.atomic
def load_catalogue(data: dict[str, Any], *, models: tuple[Any, Any, Any]) -> tuple[Any, bool]:
    """Load `data` with the (CatalogueVersion, Heading, Indicator) model classes given.

    Returns (version, created). A version already loaded with the same content is left as it
    is; one with different content raises CatalogueError and nothing changes.
    """
    validate(data)
    version_model, heading_model, indicator_model = models
    existing = version_model.objects.filter(number=data["version"]).first()
    if existing is not None:
        stored_headings = sorted(
            (_heading_row(h) for h in heading_model.objects.filter(version=existing).values()),
            key=lambda row: row["code"],
        )
        heading_codes = dict(
            heading_model.objects.filter(version=existing).values_list("pk", "code")
        )
        stored_indicators = sorted(
            (
                _indicator_row({**i, "heading": heading_codes[i["heading_id"]]})
                for i in indicator_model.objects.filter(version=existing).values()
            ),
            key=lambda row: row["code"],
        )
        wanted_headings = sorted(
            (_heading_row(h) for h in data["headings"]), key=lambda r: r["code"]
        )
        wanted_indicators = sorted(
            (_indicator_row(i) for i in data["indicators"]), key=lambda r: r["code"]
        )
        same = (
            existing.title == data["title"]
            and existing.source == data["source"]
            and stored_headings == wanted_headings
            and stored_indicators == wanted_indicators
        )
        if not same:
            raise CatalogueError(
                f"Version {data['version']} is already loaded with different content. A changed "
                "catalogue must be loaded as a new version: old screenings keep the texts their "
                "screeners saw."
            )
        return existing, False

    version = version_model.objects.create(
        number=data["version"], title=data["title"], source=data["source"]
    )
    headings = {}
    for h in data["headings"]:
        headings[h["code"]] = heading_model.objects.create(version=version, **_heading_row(h))
    indicator_model.objects.bulk_create(
        indicator_model(version=version, **{**_indicator_row(i), "heading": headings[i["heading"]]})
        for i in data["indicators"]
    )
    return version, True
