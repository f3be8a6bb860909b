"""Themes across a lead officer's cases (G35, G39): counts that apps register, the core shows.

The core imports no app; each app registers, in its AppConfig.ready(), the themes it counts
(`register(Theme(...))`), as it registers record sections. A theme's `counts(scope,
children, period)` receives the scope (the agency, and for CSC the authority), the queryset
of the scope's children in the period (unevaluated: use it as a subquery, `child__in=
children`, never loop over it) and the period, and returns `ThemeCounts`: a figure per
category and, where it means something, a figure per month. One or two queries, whatever the
number of children: aggregates (`values(...).annotate(Count(..., distinct=True))`) over the
set. Each theme's figures depend only on (scope, period), so they can be precomputed (a
nightly table keyed by agency and month) without changing the pages.

Small numbers (`suppress`): a count of 1 to 4 shows as "fewer than 5" wherever the figures
may be read by someone outside the agency's own cases — the monitoring export (CSV and PDF)
for MACSE and the data-monitoring return, and the themes page in its "as shared" view. The
lead officer's own themes page shows exact figures: they are counts of the agency's own
cases, whose records the lead officer may open anyway. Totals are protected too: in a table
whose categories add up to a total shown with it (gender, age, …), one suppressed cell could
be backed out of the total, so the smallest other cells are withheld as well (secondary
suppression) until that is impossible; see docs/caseload-and-themes.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from cse_portal.models import ChildQuerySet
    from cse_portal.scope import Scope

LONDON = ZoneInfo("Europe/London")
THRESHOLD = 5
FEWER_THAN = "fewer than 5"
WITHHELD = "withheld"


@dataclass(frozen=True)
class Period:
    """From `start` to `end`, both days included (Europe/London days)."""

    start: date
    end: date

    @property
    def start_at(self) -> datetime:
        return datetime.combine(self.start, time.min, tzinfo=LONDON)

    @property
    def end_at(self) -> datetime:
        """The first moment after the period (exclusive bound)."""
        return datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=LONDON)

    def months(self) -> list[date]:
        """The first day of every month the period touches, in order."""
        months, month = [], self.start.replace(day=1)
        while month <= self.end:
            months.append(month)
            month = (month + timedelta(days=32)).replace(day=1)
        return months

    @classmethod
    def last_twelve_months(cls, today: date) -> Period:
        """The default: the twelve whole months to today (e.g. 1 Jan 2026 – today in Dec)."""
        month, year = today.month - 11, today.year
        if month < 1:
            month, year = month + 12, year - 1
        return cls(start=date(year, month, 1), end=today)


@dataclass(frozen=True)
class ThemeRow:
    code: str
    label: str
    count: int


@dataclass(frozen=True, kw_only=True)
class ThemeCounts:
    rows: list[ThemeRow]
    # The categories add up to this total (each child in exactly one): shown with the table.
    total: int | None = None
    # The figure of each month of the period (a month missing counts 0).
    monthly: dict[date, int] | None = None


@dataclass(frozen=True, kw_only=True)
class Theme:
    key: str
    title: str
    order: int
    unit: str  # what is counted: "children", "missing episodes"
    description: str
    counts: Callable[[Scope, ChildQuerySet, Period], ThemeCounts]
    monthly_title: str = ""  # what the month's figure is, when the theme has one


@dataclass
class _Registry:
    themes: dict[str, Theme] = field(default_factory=dict)

    def register(self, theme: Theme) -> None:
        self.themes[theme.key] = theme

    def ordered(self) -> list[Theme]:
        return sorted(self.themes.values(), key=lambda t: (t.order, t.key))


registry = _Registry()
register = registry.register


def shown(count: int) -> str:
    """A count as an outsider may read it: 1 to 4 is "fewer than 5" (0 is shown)."""
    return FEWER_THAN if 0 < count < THRESHOLD else str(count)


def suppress(counts: list[int], *, total: int | None = None) -> tuple[list[str], str]:
    """The cells and total as shown outside the agency: primary suppression of 1-4, then,
    when the cells add up to the total shown, secondary suppression.

    A reader knows each "fewer than 5" is 1-4 and each "withheld" is 5 or more, so from the
    total they can work out the sum of the hidden cells, and from it the cells themselves
    when that sum is the smallest it could be (every hidden cell at its minimum) or when
    only cells of 1-4 are hidden (the sum could then also be the largest). So: withhold the
    smallest shown cells until at least one "withheld" cell is hidden and the hidden sum is
    above its minimum; if no cell is left to withhold, withhold the total.
    """
    cells = [shown(c) for c in counts]
    if total is None:
        return cells, ""
    total_text = shown(total)
    primary = [i for i, c in enumerate(counts) if 0 < c < THRESHOLD]
    if not primary or total < THRESHOLD:
        return cells, total_text
    hidden, secondary = list(primary), 0
    candidates = sorted((i for i, c in enumerate(counts) if c >= THRESHOLD), key=counts.__getitem__)
    while secondary == 0 or sum(counts[i] for i in hidden) <= len(primary) + THRESHOLD * secondary:
        if not candidates:
            return cells, WITHHELD
        index = candidates.pop(0)
        hidden.append(index)
        cells[index] = WITHHELD
        secondary += 1
    return cells, total_text
