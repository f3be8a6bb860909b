from __future__ import annotations

from typing import Any

from screening.models import Answer, CatalogueVersion


def form_data(
    catalogue: CatalogueVersion,
    *,
    default: str = Answer.NOT_PRESENT,
    answers: dict[str, str] | None = None,
    notes: dict[str, str] | None = None,
    version: int | None = None,
    button: str = "save_draft",
) -> dict[str, Any]:
    """POST data of the answers form: `default` for every indicator but those in `answers`
    (by indicator code); "" leaves an indicator unanswered."""
    answers = answers or {}
    notes = notes or {}
    data: dict[str, Any] = {button: ""}
    for indicator in catalogue.indicators.all():
        value = answers.get(indicator.code, default)
        if value:
            data[f"answer_{indicator.form_key}"] = value
        data[f"note_{indicator.form_key}"] = notes.get(indicator.code, "")
    if version is not None:
        data["version"] = version
    return data
