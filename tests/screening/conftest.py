from __future__ import annotations

import pytest

from screening.models import CatalogueVersion

# The browser fixtures of tests/e2e, for test_browser.py (one Chromium, contexts watched for
# console errors and CSP violations).
from tests.e2e.conftest import (  # noqa: F401
    browser_context_args,
    browser_problems,
    browser_type_launch_args,
    context,
    page,
    persona_page,
    pytest_runtest_call,
)
from tests.screening.factories import ensure_catalogue


@pytest.fixture
def catalogue(db: None) -> CatalogueVersion:
    return ensure_catalogue()
