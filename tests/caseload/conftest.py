"""Children for the caseload and themes tests, made through the real services."""

from __future__ import annotations

from typing import Any

import pytest

from cse_portal import services
from cse_portal.models import Child, Officer

# The browser fixtures of tests/e2e, for test_browser.py.
from tests.e2e.conftest import (  # noqa: F401
    browser_context_args,
    browser_problems,
    browser_type_launch_args,
    context,
    page,
    persona_page,
    pytest_runtest_call,
)
from tests.factories import make_child
from tests.screening.factories import make_screening


def school_child(world: Any, *, share_with_police: bool = False, **fields: Any) -> Child:
    child = make_child(by=world.owner, **fields)
    if share_with_police:
        services.child_share(child=child, agency=world.police, by=world.owner, reason="Police.")
    return child


def screened(child: Child, by: Officer, *codes: str) -> Child:
    make_screening(
        child=child,
        by=by,
        present=codes,
        submit=True,
        conclusion="discuss",
        reason="Indicators present: the lead officer is asked.",
    )
    return child


@pytest.fixture
def health_child(world: Any) -> Child:
    """A child only the health trust is involved with: boy, Roma, looked after, screened by
    health with D and S indicators present — every figure of the school's themes must
    ignore them."""
    child = make_child(
        by=world.uninvolved,
        first_name="Distinctive",
        last_name="Outsider",
        gender="non_binary",
        ethnicity="white_roma",
        looked_after_status="looked_after",
    )
    return screened(child, world.uninvolved, "D-01", "S-01", "S-02")
