"""Screenings made through the real services, for tests (and for the URL access tests:
`screening_route_kwargs` gives the kwargs of a screening of world.child)."""

from __future__ import annotations

from typing import Any

from cse_portal.models import Child, Officer
from screening import services
from screening.catalogue import VERSION_1_FILE, load_catalogue, read_catalogue
from screening.models import (
    Answer,
    CatalogueVersion,
    Conclusion,
    Heading,
    Indicator,
    Screening,
)


def ensure_catalogue() -> CatalogueVersion:
    """Version 1, loaded by the data migration; loaded again if a flushing test removed it."""
    version, _ = load_catalogue(
        read_catalogue(VERSION_1_FILE), models=(CatalogueVersion, Heading, Indicator)
    )
    return version


def answers(default: str = Answer.NOT_PRESENT, **by_code: str) -> dict[str, services.AnswerInput]:
    """An answer for every indicator of the current catalogue: `default`, except the codes
    given (use underscores for hyphens: S_01="present")."""
    catalogue = ensure_catalogue()
    given = {code.replace("_", "-"): value for code, value in by_code.items()}
    return {
        code: services.AnswerInput(answer=given.get(code, default))
        for code in catalogue.indicators.values_list("code", flat=True)
    }


def make_screening(
    *,
    child: Child,
    by: Officer,
    present: tuple[str, ...] = (),
    submit: bool = False,
    conclusion: str = "",
    reason: str = "",
) -> Screening:
    ensure_catalogue()
    given: dict[str, Any] = {code.replace("-", "_"): Answer.PRESENT for code in present}
    screening = services.screening_create(child=child, by=by, answers=answers(**given))
    if submit:
        screening = services.screening_submit(
            screening=screening,
            by=by,
            conclusion=conclusion or Conclusion.NO_CONCERN,
            reason=reason,
            expected_version=screening.version,
        )
    return screening


def screening_route_kwargs(world: Any) -> dict[str, Any]:
    """For tests/security/child_route_kwargs.py: a submitted screening of world.child."""
    screening = make_screening(
        child=world.child,
        by=world.owner,
        submit=True,
        conclusion=Conclusion.DISCUSS,
        reason="Testing access.",
    )
    return {"pk": screening.pk}
