"""Server-rendered SVG charts: the geometry is worked out here, a template draws it.

No client-side chart library. Every chart is drawn by a template under templates/charts/
as an `<svg role="img">` with a `<title>` and a `<desc>` that says what the chart shows in
words, and each page that shows a chart shows the same figures as a table beside it.

- `bar_chart`: horizontal bars, one per category, the label above its bar (labels such as
  ethnic groups are long: above the bar they never squeeze it on a narrow screen).
- `trend_chart`: one value per month, as a line with a point per month.
- `spread` and `label_every`: evenly spaced positions along an axis, and which of them to
  label; shared with the judged-levels chart of the referrals app.

A value may be None: a figure withheld (small numbers, `cse_portal.themes`) is not drawn; its
text says why.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

BAR_WIDTH = 400  # narrow: on a phone the figures' text stays readable
TREND_WIDTH = 480
BAR_ROW = 46
BAR_TOP = 10
BAR_HEIGHT = 18
BAR_LABEL_ROOM = 110  # room right of the longest bar for its figure
TREND_LEFT = 50
TREND_RIGHT = 20
TREND_TOP = 20
TREND_PLOT = 180
TREND_BOTTOM = 50
MAX_MONTH_LABELS = 12


def spread(count: int, left: int, right: int) -> list[int]:
    """`count` positions spaced evenly from `left` to `right`; one alone sits in the middle."""
    if count == 1:
        return [(left + right) // 2]
    return [left + round(i * (right - left) / (count - 1)) for i in range(count)]


def label_every(count: int, most: int) -> int:
    """Label every n-th position so that at most `most` are labelled (the last always is)."""
    return max(1, math.ceil(count / most))


@dataclass(frozen=True)
class Bar:
    label: str
    text: str  # the figure as shown: "12", "fewer than 5"
    y: int  # top of the bar
    length: int  # 0 for a figure not drawn

    @property
    def label_y(self) -> int:
        return self.y - 6

    @property
    def text_y(self) -> int:
        return self.y + BAR_HEIGHT - 4


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    bar_height: int
    left: int
    bars: list[Bar]
    title: str
    desc: str


def bar_chart(*, title: str, bars: list[tuple[str, int | None, str]], unit: str) -> BarChart:
    """A bar per (label, value, text); `value` None is not drawn (its text says why)."""
    top = max((v for _, v, _ in bars if v is not None), default=0) or 1
    room = BAR_WIDTH - BAR_LABEL_ROOM
    drawn = [
        Bar(
            label=label,
            text=text,
            y=BAR_TOP + 18 + i * BAR_ROW,
            length=0 if value is None else max(round(value * room / top), 2 if value else 0),
        )
        for i, (label, value, text) in enumerate(bars)
    ]
    figures = "; ".join(f"{label}: {text}" for label, _, text in bars)
    return BarChart(
        width=BAR_WIDTH,
        height=BAR_TOP + 18 + len(bars) * BAR_ROW,
        bar_height=BAR_HEIGHT,
        left=0,
        bars=drawn,
        title=title,
        desc=f"{unit.capitalize()} by category. {figures}." if bars else "No figures.",
    )


@dataclass(frozen=True)
class TrendPoint:
    x: int
    y: int | None
    label: str  # "Jan"
    year: str
    sublabel: str  # the year, under January and the first month only
    text: str
    labelled: bool


@dataclass(frozen=True)
class TrendChart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    axis_y: int
    points: list[TrendPoint]
    lines: list[str]
    gridlines: list[tuple[int, str]]  # (y, figure)
    title: str
    desc: str


def _gridlines(top: int, axis_y: int) -> tuple[int, list[tuple[int, str]]]:
    """A rounded maximum for the axis and up to five gridlines below it, at a step of 1, 2
    or 5 times a power of ten."""
    magnitude = 1
    while True:
        step = next((m * magnitude for m in (1, 2, 5) if math.ceil(top / (m * magnitude)) <= 5), 0)
        if step:
            break
        magnitude *= 10
    ceiling = math.ceil(top / step) * step
    lines = [
        (axis_y - round(v * TREND_PLOT / ceiling), str(v)) for v in range(step, ceiling + 1, step)
    ]
    return ceiling, lines


def trend_chart(*, title: str, months: list[tuple[str, str, int | None, str]]) -> TrendChart:
    """A point per (month label, year label, value, text), joined by a line; a value None
    (withheld) is not drawn and breaks the line."""
    axis_y = TREND_TOP + TREND_PLOT
    top = max((v for _, _, v, _ in months if v is not None), default=0) or 1
    ceiling, gridlines = _gridlines(top, axis_y)
    xs = spread(len(months), TREND_LEFT + 20, TREND_WIDTH - TREND_RIGHT - 10) if months else []
    every = label_every(len(months), MAX_MONTH_LABELS) if months else 1
    points = [
        TrendPoint(
            x=x,
            y=None if value is None else axis_y - round(value * TREND_PLOT / ceiling),
            label=label,
            year=year,
            sublabel=year if i == 0 or label == "Jan" else "",
            text=text,
            labelled=(len(months) - 1 - i) % every == 0,
        )
        for i, (x, (label, year, value, text)) in enumerate(zip(xs, months, strict=True))
    ]
    figures = "; ".join(f"{label} {year}: {text}" for label, year, _, text in months)
    return TrendChart(
        width=TREND_WIDTH,
        height=axis_y + TREND_BOTTOM,
        plot_left=TREND_LEFT,
        plot_right=TREND_WIDTH - TREND_RIGHT,
        plot_top=TREND_TOP,
        axis_y=axis_y,
        points=points,
        lines=_lines(points),
        gridlines=gridlines,
        title=title,
        desc=f"{title}. {figures}." if months else "No figures.",
    )


def _lines(points: list[TrendPoint]) -> list[str]:
    runs: list[list[TrendPoint]] = [[]]
    for point in points:
        if point.y is None:
            runs.append([])
        else:
            runs[-1].append(point)
    return [" ".join(f"{p.x},{p.y}" for p in run) for run in runs if len(run) > 1]
