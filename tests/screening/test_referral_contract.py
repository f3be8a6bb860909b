"""What the referrals app reads from a screening that concludes "refer" (G06)."""

from __future__ import annotations

import pytest
from django.http import Http404

from screening.models import Answer, Conclusion, Kind
from screening.selectors import present_answers, screening_for_referral
from tests.factories import make_child
from tests.screening.factories import make_screening

PRESENT = ("R-01", "F-03", "F-04", "A1-02")


@pytest.fixture
def referred(world, catalogue):
    return make_screening(
        child=world.child, by=world.owner, present=PRESENT, submit=True, conclusion=Conclusion.REFER
    )


@pytest.mark.guidance("G06")
def test_a_screening_that_concludes_refer_is_handed_to_the_referral(world, referred) -> None:
    found = screening_for_referral(world.owner, child_pk=world.child.pk, screening_pk=referred.pk)
    assert found == referred
    # A submitted screening is seen by every agency involved with the child.
    assert screening_for_referral(world.involved, child_pk=world.child.pk, screening_pk=referred.pk)


@pytest.mark.guidance("G06")
def test_the_indicators_present_are_carried_over_in_catalogue_order(referred) -> None:
    answers = present_answers(referred)
    assert [a.indicator.code for a in answers] == ["A1-02", "F-03", "F-04", "R-01"]
    assert all(a.answer == Answer.PRESENT for a in answers)
    first = answers[0]
    assert first.indicator.text == "Missing from home or care"
    assert first.indicator.kind == Kind.SIGN
    assert first.indicator.heading.title == "Absent from school or repeatedly running away"
    assert first.note == ""


def test_no_screening_is_handed_over_unless_submitted_refer_for_that_child(world, referred) -> None:
    draft = make_screening(child=world.child, by=world.owner, present=PRESENT)
    no_concern = make_screening(child=world.child, by=world.owner, submit=True)
    other_child = make_child(by=world.owner, first_name="Robin")
    cases = [
        (world.owner, world.child.pk, draft.pk),
        (world.owner, world.child.pk, no_concern.pk),
        (world.owner, other_child.pk, referred.pk),
        (world.uninvolved, world.child.pk, referred.pk),
        (world.owner, world.child.pk, 999_999),
    ]
    for officer, child_pk, screening_pk in cases:
        with pytest.raises(Http404):
            screening_for_referral(officer, child_pk=child_pk, screening_pk=screening_pk)
