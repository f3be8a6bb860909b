"""The child's judged levels over time (G16), laid out for a server-rendered SVG chart.

No client-side chart library: the geometry is worked out here and drawn by a template
(`templates/referrals/assessment/_chart.html`), which also gives the same data as a table.
The levels are rows, the most severe at the top, from the tool of the latest assessment
(an assessment made with another tool sits on the row of the same rank); "not enough
information" has a row of its own below them, and the line joining the levels is broken
there, since it is not a level. Assessments are spaced evenly in the order they were
finalised; the table gives their dates.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from django.utils.dateformat import format as date_format

from cse_portal.charts import label_every, spread
from referrals.models import RiskAssessment, ToolOutcome
from referrals.scoring import OutcomeKind

WIDTH = 640
LEFT = 190  # room for the row labels
RIGHT = 30
TOP = 20
ROW = 44
BOTTOM = 50  # room for the dates
MAX_DATE_LABELS = 8


@dataclass(frozen=True)
class ChartRow:
    y: int
    label: str


@dataclass(frozen=True)
class ChartPoint:
    x: int
    y: int
    label: str  # the judged level, as the assessment's tool names it
    day: str  # "3 Jan 2026"
    day_parts: tuple[str, str]  # ("3 Jan", "2026") for the axis, when labelled
    reference: str
    url: str
    not_enough_information: bool
    labelled: bool

    @property
    def diamond(self) -> str:
        """The points of a diamond around (x, y): "not enough information" has its own shape,
        not only its own colour."""
        x, y, r = self.x, self.y, 8
        return f"{x},{y - r} {x + r},{y} {x},{y + r} {x - r},{y}"


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    rows: list[ChartRow]
    nei_row: ChartRow
    points: list[ChartPoint]
    lines: list[str]  # polyline points of each run of consecutive levels
    plot_left: int
    plot_right: int
    axis_y: int
    separator_y: int
    title: str
    desc: str


def _short(label: str) -> str:
    """ "Significant risk (16 points or more)" → "Significant risk": the axis keeps it short."""
    return label.split(" (")[0]


def _rows(levels: list[ToolOutcome]) -> tuple[list[ChartRow], dict[int, int]]:
    ordered = sorted(levels, key=lambda o: -o.rank)
    rows = [
        ChartRow(y=TOP + ROW // 2 + i * ROW, label=_short(o.label)) for i, o in enumerate(ordered)
    ]
    return rows, {o.rank: row.y for o, row in zip(ordered, rows, strict=True)}


def _y_for(rank: int, y_by_rank: dict[int, int]) -> int:
    nearest = min(y_by_rank, key=lambda r: (abs(r - rank), -r))
    return y_by_rank[nearest]


def level_chart(assessments: list[RiskAssessment], levels: list[ToolOutcome]) -> Chart | None:
    """The chart of the finalised `assessments` (in the order they were finalised), with the
    level outcomes of the latest one's tool as its rows. None without assessments."""
    if not assessments or not levels:
        return None
    rows, y_by_rank = _rows(levels)
    separator_y = rows[-1].y + ROW // 2
    nei_row = ChartRow(y=separator_y + ROW // 2, label="Not enough information")
    axis_y = nei_row.y + ROW // 2
    plot_left, plot_right = LEFT + 20, WIDTH - RIGHT - 10
    count = len(assessments)
    every = label_every(count, MAX_DATE_LABELS)
    xs = spread(count, plot_left, plot_right)
    points = []
    for i, (x, assessment) in enumerate(zip(xs, assessments, strict=True)):
        outcome = assessment.judged_outcome
        assert outcome is not None and assessment.finalised_at is not None  # finalised
        nei = outcome.kind == OutcomeKind.NOT_ENOUGH_INFORMATION
        day = timezone.localtime(assessment.finalised_at)
        points.append(
            ChartPoint(
                x=x,
                y=nei_row.y if nei else _y_for(outcome.rank, y_by_rank),
                label=outcome.label,
                day=date_format(day, "j M Y"),
                day_parts=(date_format(day, "j M"), date_format(day, "Y")),
                reference=assessment.reference,
                url=assessment.get_absolute_url(),
                not_enough_information=nei,
                labelled=(count - 1 - i) % every == 0,
            )
        )
    return Chart(
        width=WIDTH,
        height=axis_y + BOTTOM,
        rows=rows,
        nei_row=nei_row,
        points=points,
        lines=_lines(points),
        plot_left=LEFT,
        plot_right=WIDTH - RIGHT,
        axis_y=axis_y,
        separator_y=separator_y,
        title="Judged level of risk over time",
        desc=_desc(points),
    )


def _lines(points: list[ChartPoint]) -> list[str]:
    runs: list[list[ChartPoint]] = [[]]
    for point in points:
        if point.not_enough_information:
            runs.append([])
        else:
            runs[-1].append(point)
    return [" ".join(f"{p.x},{p.y}" for p in run) for run in runs if len(run) > 1]


def _desc(points: list[ChartPoint]) -> str:
    n = len(points)
    span = f"on {points[0].day}" if n == 1 else f"from {points[0].day} to {points[-1].day}"
    levels = "; ".join(f"{p.label}, {p.day}" for p in points)
    noun = "assessment" if n == 1 else "assessments"
    return f"{n} finalised {noun}, {span}. The judged level of each, in order: {levels}."
