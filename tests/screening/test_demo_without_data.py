"""Demo screenings without the core demo data: skipped quietly.

Its own module: tests/screening/test_demo.py shares one demo load across its tests (the
module-scoped `module_demo` fixture), which a test of an empty database must not see."""

from __future__ import annotations

import io

from django.core.management.base import OutputWrapper

from screening.demo import load_demo
from screening.models import Screening


def test_demo_screenings_are_skipped_quietly_without_the_demo_data(db) -> None:
    out = io.StringIO()
    load_demo(OutputWrapper(out))
    assert not Screening.objects.exists()
    assert "created 0" in out.getvalue()
