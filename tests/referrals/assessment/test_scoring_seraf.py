"""The SERAF-style tool scored against hand-worked examples (G12): vulnerabilities 1 point
each; moderate indicators 1 if current or in the last 6 months, 0 if earlier; significant
indicators 5 if current or in the last 6 months, 1 if 6–12 months ago, 0 earlier; 0–5 none,
6–10 mild, 11–15 moderate, 16+ significant. No database: the spec comes from the fixture."""

from __future__ import annotations

import pytest

from referrals.scoring import Answer, AnswerState, score

from .helpers import answers, spec_of

pytestmark = pytest.mark.guidance("G12")

SERAF = spec_of("seraf_v1")

V = [f"V-{n:02d}" for n in range(1, 9)]  # 8 vulnerabilities
MO = [f"MO-{n:02d}" for n in range(1, 12)]  # 11 moderate indicators
SI = [f"SI-{n:02d}" for n in range(1, 10)]  # 9 significant indicators


def vulnerabilities(count: int) -> dict[str, str]:
    return dict.fromkeys(V[:count], "")


def test_the_fixture_has_the_three_seraf_sections_and_their_points():
    categories = {i.code: i.category for i in SERAF.indicators}
    assert [c for c in categories if categories[c] == "vulnerability"] == V
    assert [c for c in categories if categories[c] == "moderate"] == MO
    assert [c for c in categories if categories[c] == "significant"] == SI
    # Vulnerabilities are lifetime factors: no recency asked.
    assert all(not SERAF.indicator(c).recency_bands for c in V)
    assert SERAF.indicator("SI-01").recency_bands == (
        "current",
        "last_6_months",
        "6_to_12_months",
        "earlier",
    )


def test_nothing_present_and_everything_known_is_none():
    result = score(SERAF, answers(SERAF))
    assert (result.outcome, result.total, result.drivers) == ("none", 0, ())
    assert not result.is_not_enough_information


@pytest.mark.parametrize(
    ("present", "total", "outcome"),
    [
        # 5 / 6: five vulnerabilities (5) are none; a sixth (6) is mild.
        (vulnerabilities(5), 5, "none"),
        (vulnerabilities(6), 6, "mild"),
        # 10 / 11: a current significant (5) and five vulnerabilities (5) = 10, mild; one
        # moderate in the last 6 months (1) more = 11, moderate.
        ({"SI-01": "current", **vulnerabilities(5)}, 10, "mild"),
        ({"SI-01": "current", "MO-01": "last_6_months", **vulnerabilities(5)}, 11, "moderate"),
        # 15 / 16: three current significants (15) are moderate; a vulnerability more (16) is
        # significant.
        ({"SI-01": "current", "SI-02": "current", "SI-03": "last_6_months"}, 15, "moderate"),
        (
            {"SI-01": "current", "SI-02": "current", "SI-03": "last_6_months", "V-01": ""},
            16,
            "significant",
        ),
    ],
    ids=["5-none", "6-mild", "10-mild", "11-moderate", "15-moderate", "16-significant"],
)
def test_the_band_edges(present, total, outcome):
    result = score(SERAF, answers(SERAF, present))
    assert (result.total, result.outcome) == (total, outcome)
    assert {d.code for d in result.drivers} == set(present)


def test_a_moderate_indicator_counts_only_if_current_or_in_the_last_6_months():
    base = vulnerabilities(5)
    for recency, total, outcome in [
        ("current", 6, "mild"),
        ("last_6_months", 6, "mild"),
        ("6_to_12_months", 5, "none"),
        ("earlier", 5, "none"),
    ]:
        result = score(SERAF, answers(SERAF, {**base, "MO-03": recency}))
        assert (result.total, result.outcome) == (total, outcome), recency


def test_a_significant_indicator_scores_5_now_1_at_6_to_12_months_and_0_earlier():
    points = {}
    for recency in ["current", "last_6_months", "6_to_12_months", "earlier"]:
        result = score(SERAF, answers(SERAF, {"SI-04": recency}))
        points[recency] = result.total
    assert points == {"current": 5, "last_6_months": 5, "6_to_12_months": 1, "earlier": 0}


def test_a_worked_mixed_example_shows_every_driver_and_its_points():
    # 2 significant now (10) + 1 significant 6–12 months ago (1) + 2 moderate recent (2) + a
    # moderate from long ago (0) + 4 vulnerabilities (4) = 17: significant.
    present = {
        "SI-01": "current",
        "SI-05": "last_6_months",
        "SI-09": "6_to_12_months",
        "MO-02": "current",
        "MO-07": "last_6_months",
        "MO-10": "earlier",
        **vulnerabilities(4),
    }
    result = score(SERAF, answers(SERAF, present))
    assert (result.total, result.outcome) == (17, "significant")
    points = {d.code: d.points for d in result.drivers}
    assert points == {
        "SI-01": 5,
        "SI-05": 5,
        "SI-09": 1,
        "MO-02": 1,
        "MO-07": 1,
        "V-01": 1,
        "V-02": 1,
        "V-03": 1,
        "V-04": 1,
    }
    # Present long ago, counted for nothing: shown, not hidden.
    assert [(d.code, d.points, d.counted) for d in result.not_counted] == [("MO-10", 0, False)]
    # Most points first.
    assert [d.code for d in result.drivers][:2] == ["SI-01", "SI-05"]
    assert result.drivers[0].text == SERAF.indicator("SI-01").text
    assert result.label == "Significant risk (16 points or more)"
    assert "17 points in all." in result.reasons


def test_a_present_indicator_with_no_recency_recorded_counts_as_current():
    result = score(SERAF, answers(SERAF, {"SI-02": ""}))
    assert result.total == 5
    assert result.drivers[0].recency == "current"


@pytest.mark.guidance("G40")
def test_not_known_indicators_that_could_lift_none_give_not_enough_information():
    # 3 vulnerabilities (3), a significant not known: at most 8, mild — so not "none".
    result = score(SERAF, answers(SERAF, vulnerabilities(3), not_known=["SI-01"]))
    assert result.total == 3
    assert result.outcome == "not_enough_information"
    assert result.is_not_enough_information
    assert result.could_be == "mild"
    assert result.not_known == ("SI-01",)
    assert "a lack of evidence does not mean that there is no risk" in " ".join(result.reasons)


@pytest.mark.guidance("G40")
def test_not_known_indicators_that_could_not_lift_none_leave_none():
    # 0 present; one moderate not known: at most 1, still none.
    result = score(SERAF, answers(SERAF, not_known=["MO-01"]))
    assert (result.outcome, result.could_be) == ("none", None)


@pytest.mark.guidance("G40")
def test_unanswered_indicators_count_as_not_known():
    result = score(SERAF, answers(SERAF, unanswered=["SI-03", "SI-04"]))
    assert result.outcome == "not_enough_information"
    assert result.unanswered == ("SI-03", "SI-04")


@pytest.mark.guidance("G40")
def test_above_none_the_suggestion_says_what_not_known_could_make_it():
    result = score(SERAF, answers(SERAF, vulnerabilities(6), not_known=["SI-01"]))
    assert (result.outcome, result.total, result.could_be) == ("mild", 6, "moderate")
    assert "moderate risk (11 to 15 points)" in " ".join(result.reasons)


def test_no_answer_at_all_gives_no_suggestion():
    result = score(SERAF, {})
    assert result.outcome is None


def test_answers_the_tool_does_not_take_are_refused():
    with pytest.raises(ValueError, match="no indicator"):
        score(SERAF, {"X-99": Answer(AnswerState.PRESENT)})
    with pytest.raises(ValueError, match="recency"):
        score(SERAF, {"V-01": Answer(AnswerState.PRESENT, "current")})  # takes no recency
    with pytest.raises(ValueError, match="unknown answer"):
        score(SERAF, {"V-01": Answer("maybe")})
