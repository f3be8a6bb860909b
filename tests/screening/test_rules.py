"""The tool's rule (G03, G04) and the conclusions it implies (G05): pure functions."""

from __future__ import annotations

import pytest

from screening.rules import (
    SEVERAL_VULNERABILITIES,
    Answer,
    Conclusion,
    Kind,
    Suggestion,
    Tally,
    reason_required,
    suggest,
)


@pytest.mark.guidance("G03")
def test_several_means_two_or_more_vulnerabilities() -> None:
    assert SEVERAL_VULNERABILITIES == 2


@pytest.mark.guidance("G03")
def test_several_vulnerabilities_suggest_high_risk() -> None:
    assert suggest(Tally(vulnerabilities=2)) == Suggestion.HIGH_RISK
    assert suggest(Tally(vulnerabilities=7)) == Suggestion.HIGH_RISK


@pytest.mark.guidance("G03")
def test_signs_with_several_vulnerabilities_suggest_high_risk() -> None:
    assert suggest(Tally(vulnerabilities=3, signs=4)) == Suggestion.HIGH_RISK


@pytest.mark.guidance("G03")
def test_one_vulnerability_alone_is_not_high_risk_but_is_a_concern_to_discuss() -> None:
    assert suggest(Tally(vulnerabilities=1)) == Suggestion.SOME_INDICATORS


@pytest.mark.guidance("G04")
def test_a_sign_with_no_vulnerability_suggests_potential_victim() -> None:
    assert suggest(Tally(signs=1)) == Suggestion.POTENTIAL_VICTIM
    assert suggest(Tally(signs=5, other=2)) == Suggestion.POTENTIAL_VICTIM


@pytest.mark.guidance("G04")
def test_a_sign_with_one_vulnerability_suggests_potential_victim_with_a_vulnerability() -> None:
    assert suggest(Tally(signs=1, vulnerabilities=1)) == Suggestion.POTENTIAL_VICTIM_VULNERABLE


def test_only_other_safeguard_indicators_suggest_a_concern_to_discuss() -> None:
    assert suggest(Tally(other=1)) == Suggestion.SOME_INDICATORS


# G40 (issue 7) changed this rule: "a lack of evidence does not mean that there is no risk".
# Nothing present with indicators not known is "not enough information", not "no indicator".
@pytest.mark.guidance("G40")
def test_nothing_present_but_much_not_known_suggests_not_enough_information() -> None:
    assert suggest(Tally(not_known=20, not_present=17)) == Suggestion.NOT_ENOUGH_INFORMATION
    assert suggest(Tally(not_known=37)) == Suggestion.NOT_ENOUGH_INFORMATION
    assert suggest(Tally(not_known=1, not_present=36)) == Suggestion.NOT_ENOUGH_INFORMATION


@pytest.mark.guidance("G40")
def test_nothing_present_and_everything_answered_suggests_no_indicator() -> None:
    assert suggest(Tally(not_present=37)) == Suggestion.NONE


@pytest.mark.guidance("G40")
def test_no_answers_give_no_suggestion_at_all() -> None:
    assert suggest(Tally(unanswered=37)) is None
    assert suggest(Tally()) is None


def test_tally_counts_only_present_answers_by_kind() -> None:
    tally = Tally.of(
        [
            (Kind.VULNERABILITY, Answer.PRESENT),
            (Kind.VULNERABILITY, Answer.NOT_PRESENT),
            (Kind.SIGN, Answer.PRESENT),
            (Kind.SIGN, Answer.NOT_KNOWN),
            (Kind.INDICATOR, Answer.PRESENT),
            (Kind.INDICATOR, ""),
        ]
    )
    assert tally == Tally(
        vulnerabilities=1, signs=1, other=1, not_known=1, unanswered=1, not_present=1
    )


@pytest.mark.guidance("G05")
@pytest.mark.parametrize(
    ("suggestion", "conclusion", "needs_reason"),
    [
        (Suggestion.HIGH_RISK, Conclusion.REFER, False),
        (Suggestion.HIGH_RISK, Conclusion.DISCUSS, True),
        (Suggestion.HIGH_RISK, Conclusion.NO_CONCERN, True),
        (Suggestion.POTENTIAL_VICTIM, Conclusion.REFER, False),
        (Suggestion.POTENTIAL_VICTIM, Conclusion.DISCUSS, False),
        (Suggestion.POTENTIAL_VICTIM, Conclusion.NO_CONCERN, True),
        (Suggestion.POTENTIAL_VICTIM_VULNERABLE, Conclusion.DISCUSS, False),
        (Suggestion.POTENTIAL_VICTIM_VULNERABLE, Conclusion.NO_CONCERN, True),
        (Suggestion.SOME_INDICATORS, Conclusion.DISCUSS, False),
        (Suggestion.SOME_INDICATORS, Conclusion.REFER, True),
        (Suggestion.SOME_INDICATORS, Conclusion.NO_CONCERN, True),
        (Suggestion.NONE, Conclusion.NO_CONCERN, False),
        (Suggestion.NONE, Conclusion.DISCUSS, True),
        (Suggestion.NONE, Conclusion.REFER, True),
    ],
)
def test_a_conclusion_needs_a_reason_where_it_differs_from_the_suggestion(
    suggestion: str, conclusion: str, needs_reason: bool
) -> None:
    assert reason_required(suggestion, conclusion) is needs_reason
