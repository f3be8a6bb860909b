"""SERA, the default tool (G12): the highest level with a signal present, five or more lower-
risk signals suggesting medium, and what is not known never read as "no risk" (G40). No
database: the spec comes from the fixture."""

from __future__ import annotations

import pytest

from referrals.scoring import score

from .helpers import answers, spec_of

pytestmark = pytest.mark.guidance("G12")

SERA = spec_of("sera_v1")


def test_one_lower_risk_signal_suggests_low_with_the_guidance_response():
    result = score(SERA, answers(SERA, {"L-03": "current"}))
    assert result.outcome == "low"
    assert [(d.code, d.text, d.signals) for d in result.drivers] == [
        ("L-03", "Occasionally going missing", "low")
    ]
    assert "early intervention" in result.response
    assert "Child Sexual Exploitation Risk Strategy meetings" in result.response


def test_a_medium_signal_outranks_lower_ones_and_alone_drives_the_suggestion():
    present = {"L-01": "current", "HE-06": "current", "M-01": "last_6_months"}
    result = score(SERA, answers(SERA, present))
    assert result.outcome == "medium"
    assert [d.code for d in result.drivers] == ["M-01"]
    assert "core assessment, led by children’s social care" in result.response


def test_a_high_signal_suggests_high():
    present = {"L-02": "current", "M-04": "current", "H-01": "current", "FS-10": "current"}
    result = score(SERA, answers(SERA, present))
    assert result.outcome == "high"
    assert [d.code for d in result.drivers] == ["H-01", "FS-10"]  # both signal high
    assert result.label == "High risk"


def test_an_appendix_1_factor_signals_the_level_it_was_placed_at():
    # "Missing for long periods, with no known home base": placed with "going missing and
    # running from home", high.
    assert SERA.indicator("FS-17").text == "Missing for long periods, with no known home base"
    assert score(SERA, answers(SERA, {"FS-17": "current"})).outcome == "high"


def test_five_lower_risk_signals_suggest_medium_and_four_do_not():
    five = dict.fromkeys(["L-01", "L-02", "HE-02", "EB-02", "SP-01"], "current")
    result = score(SERA, answers(SERA, five))
    assert result.outcome == "medium"
    assert {d.code for d in result.drivers} == set(five)
    assert "5 low risk signals are present (5 or more suggest medium risk)." in result.reasons

    four = dict(list(five.items())[:4])
    assert score(SERA, answers(SERA, four)).outcome == "low"


def test_a_signal_seen_only_earlier_is_shown_but_not_counted():
    result = score(SERA, answers(SERA, {"H-02": "earlier", "L-05": "current"}))
    assert result.outcome == "low"
    assert [(d.code, d.counted) for d in result.not_counted] == [("H-02", False)]
    assert any("too long ago" in reason for reason in result.reasons)


def test_everything_known_and_nothing_present_is_no_risk_signal_with_the_lack_of_evidence_note():
    result = score(SERA, answers(SERA))
    assert result.outcome == "no_signals"
    assert "a lack of evidence does not mean that there is no risk" in result.response


@pytest.mark.guidance("G40")
def test_nothing_present_and_something_not_known_is_not_enough_information():
    result = score(SERA, answers(SERA, not_known=["M-02"]))
    assert result.outcome == "not_enough_information"
    assert result.is_not_enough_information
    assert result.could_be == "medium"
    assert result.not_known == ("M-02",)
    # The guidance's response: what is needed, who will get it, by when (G14).
    assert "who will be responsible for clarifying this and within what timescale" in (
        result.response
    )


@pytest.mark.guidance("G40")
def test_an_earlier_signal_and_unknowns_is_still_not_enough_information():
    result = score(SERA, answers(SERA, {"H-03": "earlier"}, not_known=["L-01"]))
    assert result.outcome == "not_enough_information"


@pytest.mark.guidance("G40")
def test_a_level_decided_by_present_signals_stands_and_says_what_not_known_could_make_it():
    result = score(SERA, answers(SERA, {"L-04": "current"}, not_known=["H-02", "M-03"]))
    assert result.outcome == "low"
    assert result.could_be == "high"
    assert "2 indicators are not known or not answered" in " ".join(result.reasons)


@pytest.mark.guidance("G40")
def test_unknown_lower_signals_that_could_reach_five_say_so():
    four = dict.fromkeys(["L-01", "L-02", "HE-02", "EB-02"], "current")
    result = score(SERA, answers(SERA, four, not_known=["SP-01"]))
    assert (result.outcome, result.could_be) == ("low", "medium")


@pytest.mark.guidance("G40")
def test_a_partly_answered_assessment_with_nothing_present_is_not_enough_information():
    partial = {code: a for code, a in answers(SERA).items() if code.startswith("L-")}
    result = score(SERA, partial)
    assert result.outcome == "not_enough_information"
    assert len(result.unanswered) == len(SERA.indicators) - 7


def test_no_answer_at_all_gives_no_suggestion():
    assert score(SERA, {}).outcome is None
