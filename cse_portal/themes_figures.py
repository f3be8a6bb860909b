"""The themes' figures as shown: exact for the lead officer's own page, or with small
numbers suppressed for anyone outside the agency's cases (`cse_portal.themes.suppress`), with
a chart of each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.utils.dateformat import format as date_format

from cse_portal import charts, themes
from cse_portal.themes_summary import figures

if TYPE_CHECKING:
    from cse_portal.models import Officer
    from cse_portal.replica import AsOf
    from cse_portal.scope import Scope
    from cse_portal.themes import Period, Theme, ThemeCounts


@dataclass(frozen=True)
class ShownRow:
    code: str
    label: str
    text: str


@dataclass(frozen=True)
class ShownMonth:
    month: date
    text: str

    @property
    def label(self) -> str:
        return date_format(self.month, "M Y")


@dataclass(frozen=True, kw_only=True)
class ShownTheme:
    theme: Theme
    rows: list[ShownRow]
    total: str
    chart: charts.BarChart
    months: list[ShownMonth]
    trend: charts.TrendChart | None


def _value(count: int, text: str) -> int | None:
    """What a chart draws: the figure when it is shown as a number, nothing otherwise."""
    return count if text == str(count) else None


def _shown(theme: Theme, counts: ThemeCounts, period: Period, *, suppressed: bool) -> ShownTheme:
    figures = [r.count for r in counts.rows]
    if suppressed:
        texts, total = themes.suppress(figures, total=counts.total)
    else:
        texts = [str(n) for n in figures]
        total = "" if counts.total is None else str(counts.total)
    rows = [ShownRow(r.code, r.label, t) for r, t in zip(counts.rows, texts, strict=True)]
    chart = charts.bar_chart(
        title=theme.title,
        bars=[(r.label, _value(r.count, t), t) for r, t in zip(counts.rows, texts, strict=True)],
        unit=theme.unit,
    )
    months: list[ShownMonth] = []
    trend = None
    if counts.monthly is not None:
        values = [counts.monthly.get(m, 0) for m in period.months()]
        month_texts = themes.suppress(values)[0] if suppressed else [str(v) for v in values]
        months = [ShownMonth(m, t) for m, t in zip(period.months(), month_texts, strict=True)]
        trend = charts.trend_chart(
            title=theme.monthly_title,
            months=[
                (date_format(m, "M"), date_format(m, "Y"), _value(v, t), t)
                for m, v, t in zip(period.months(), values, month_texts, strict=True)
            ],
        )
    return ShownTheme(theme=theme, rows=rows, total=total, chart=chart, months=months, trend=trend)


def themes_for(
    officer: Officer, scope: Scope, period: Period, *, suppressed: bool
) -> tuple[list[ShownTheme], AsOf]:
    """Every registered theme's figures over the scope's children in the period (from the
    summary when it is fresh enough, `cse_portal.themes_summary`), and when they were current."""
    found = figures(officer, scope, period)
    shown = [
        _shown(theme, found.counts[theme.key], period, suppressed=suppressed)
        for theme in themes.registry.ordered()
    ]
    return shown, found.as_of
