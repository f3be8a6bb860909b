"""Demo screenings: one in every state, loaded idempotently after the core demo data."""

from __future__ import annotations

import io

import pytest
from django.core.management.base import OutputWrapper

from screening.demo import load_demo
from screening.models import Answer, Conclusion, Screening, ScreeningAdvice, Suggestion


@pytest.fixture
def core_demo(db, module_demo):
    """The whole demo (`load_demo` calls screening.demo.load_demo too), loaded once for the
    module (tests/conftest.py)."""


def test_demo_has_a_screening_in_every_state_and_a_second_run_adds_nothing(core_demo) -> None:
    submitted = Screening.objects.filter(status=Screening.Status.SUBMITTED)
    assert Screening.objects.filter(status=Screening.Status.DRAFT).exists()
    assert {s.conclusion for s in submitted} == set(Conclusion.values)
    discuss = submitted.filter(conclusion=Conclusion.DISCUSS)
    assert discuss.filter(advice__isnull=True).exists()  # awaiting advice
    assert discuss.filter(advice__isnull=False).exists()  # advised
    assert submitted.exclude(conclusion_reason="").exists()  # a conclusion that differs

    before = (Screening.objects.count(), ScreeningAdvice.objects.count())
    load_demo(OutputWrapper(io.StringIO()))
    assert (Screening.objects.count(), ScreeningAdvice.objects.count()) == before


@pytest.mark.guidance("G40")
def test_demo_has_an_all_not_known_screening_with_who_will_find_out(core_demo) -> None:
    unknown = Screening.objects.get(child__first_name="Harvey", child__last_name="Dunn")
    assert set(unknown.answers.values_list("answer", flat=True)) == {Answer.NOT_KNOWN}
    assert unknown.suggestion == Suggestion.NOT_ENOUGH_INFORMATION
    assert unknown.conclusion == Conclusion.NO_CONCERN
    assert unknown.conclusion_reason and unknown.follow_up_by and unknown.follow_up_due
