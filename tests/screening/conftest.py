from __future__ import annotations

import pytest

from screening.models import CatalogueVersion
from tests.screening.factories import ensure_catalogue


@pytest.fixture
def catalogue(db: None) -> CatalogueVersion:
    return ensure_catalogue()
