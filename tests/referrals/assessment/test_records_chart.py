"""The chart of the judged levels over time (G16): its rows, points, line and description,
laid out on the server (no database: the assessments are built in memory)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from referrals.assessment_chart import level_chart
from referrals.models import RiskAssessment, ToolOutcome
from referrals.scoring import OutcomeKind

LEVELS = [
    ToolOutcome(code="no_signals", label="No risk signal present", rank=0),
    ToolOutcome(code="low", label="Low risk", rank=1),
    ToolOutcome(code="medium", label="Medium risk", rank=2),
    ToolOutcome(code="high", label="High risk", rank=3),
]
NEI = ToolOutcome(
    code="not_enough_information",
    label="Not enough information",
    rank=100,
    kind=OutcomeKind.NOT_ENOUGH_INFORMATION,
)
BY_CODE = {o.code: o for o in [*LEVELS, NEI]}
CHILD = uuid.uuid4()


def _assessments(*codes: str) -> list[RiskAssessment]:
    return [
        RiskAssessment(
            pk=n + 1,
            child_id=CHILD,
            judged_outcome=BY_CODE[code],
            finalised_at=datetime(2026, 1 + 2 * n, 3, 12, tzinfo=UTC),
        )
        for n, code in enumerate(codes)
    ]


@pytest.mark.guidance("G16")
def test_levels_are_rows_with_the_most_severe_at_the_top_and_nei_below_them():
    chart = level_chart(_assessments("low", "high"), LEVELS)
    assert chart is not None
    assert [row.label for row in chart.rows] == [
        "High risk",
        "Medium risk",
        "Low risk",
        "No risk signal present",
    ]
    assert chart.nei_row.y > chart.separator_y > chart.rows[-1].y
    low, high = chart.points
    assert high.y == chart.rows[0].y and low.y == chart.rows[2].y
    assert low.x < high.x


@pytest.mark.guidance("G16")
def test_the_line_joins_levels_and_breaks_at_not_enough_information():
    chart = level_chart(
        _assessments("low", "medium", "not_enough_information", "high", "high"), LEVELS
    )
    assert chart is not None
    assert len(chart.lines) == 2  # low→medium, then high→high
    nei = chart.points[2]
    assert nei.not_enough_information and nei.y == chart.nei_row.y
    assert nei.diamond.count(",") == 4


@pytest.mark.guidance("G16")
def test_the_description_says_every_level_in_order_with_its_date():
    chart = level_chart(_assessments("high", "medium", "low"), LEVELS)
    assert chart is not None
    assert chart.desc == (
        "3 finalised assessments, from 3 Jan 2026 to 3 May 2026. The judged level of each, in "
        "order: High risk, 3 Jan 2026; Medium risk, 3 Mar 2026; Low risk, 3 May 2026."
    )


def test_one_assessment_sits_in_the_middle_and_none_gives_no_chart():
    chart = level_chart(_assessments("medium"), LEVELS)
    assert chart is not None and chart.lines == []
    assert chart.plot_left < chart.points[0].x < chart.plot_right
    assert level_chart([], LEVELS) is None


def test_many_assessments_label_every_few_dates_and_always_the_latest():
    codes = ["low", "medium"] * 6
    many = [
        RiskAssessment(
            pk=n + 1,
            child_id=CHILD,
            judged_outcome=BY_CODE[code],
            finalised_at=datetime(2025, 1, 1 + n, tzinfo=UTC),
        )
        for n, code in enumerate(codes)
    ]
    chart = level_chart(many, LEVELS)
    assert chart is not None
    labelled = [p for p in chart.points if p.labelled]
    assert len(labelled) <= 8 and chart.points[-1].labelled


def test_a_level_of_another_tool_sits_on_the_row_of_the_same_rank():
    seraf_moderate = ToolOutcome(code="moderate", label="Moderate risk (11 to 15 points)", rank=2)
    assessment = RiskAssessment(
        pk=1,
        child_id=CHILD,
        judged_outcome=seraf_moderate,
        finalised_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    chart = level_chart([assessment], LEVELS)
    assert chart is not None
    assert chart.points[0].y == chart.rows[1].y  # "Medium risk"
    assert chart.points[0].label == "Moderate risk (11 to 15 points)"
