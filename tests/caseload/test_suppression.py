"""Small numbers in figures read outside the agency (G35): 1-4 shows as "fewer than 5", and
no total lets a suppressed figure be worked out."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from cse_portal.themes import FEWER_THAN, WITHHELD, Period, shown, suppress

pytestmark = pytest.mark.guidance("G35")


def test_one_to_four_show_as_fewer_than_5_and_zero_and_five_as_themselves():
    assert [shown(n) for n in (0, 1, 4, 5, 12)] == ["0", FEWER_THAN, FEWER_THAN, "5", "12"]


def test_without_a_total_only_the_small_cells_are_hidden():
    assert suppress([3, 9, 0, 12]) == ([FEWER_THAN, "9", "0", "12"], "")


def test_a_single_small_cell_beside_a_total_takes_the_smallest_other_cell_with_it():
    cells, total = suppress([3, 9, 7, 12], total=31)
    assert cells == [FEWER_THAN, "9", WITHHELD, "12"]
    assert total == "31"


def test_a_table_with_nothing_small_is_shown_whole():
    assert suppress([5, 9, 0], total=14) == (["5", "9", "0"], "14")


def test_when_nothing_is_left_to_withhold_the_total_is_withheld():
    assert suppress([2, 4, 0], total=6) == ([FEWER_THAN, FEWER_THAN, "0"], WITHHELD)


def _possible(texts: list[str], total: str, top: int) -> list[tuple[int, ...]]:
    """Every table of values 0..top that shows as `texts` with `total` (what a reader can
    work out: figures shown are exact, "fewer than 5" is 1-4, "withheld" is 5 or more)."""
    options = []
    for text in texts:
        if text == FEWER_THAN:
            options.append(range(1, 5))
        elif text == WITHHELD:
            options.append(range(5, top + 1))
        else:
            options.append(range(int(text), int(text) + 1))
    tables = itertools.product(*options)
    if total in ("", WITHHELD):
        return list(tables)
    if total == FEWER_THAN:
        return [t for t in tables if 0 < sum(t) < 5]
    return [t for t in tables if sum(t) == int(total)]


def test_no_suppressed_figure_can_be_backed_out_of_a_total():
    """Every table of three cells of 0 to 11: each cell hidden as "fewer than 5" could be at
    least two values, given the total and every figure shown."""
    top = 11
    for counts in itertools.product(range(top + 1), repeat=3):
        texts, total = suppress(list(counts), total=sum(counts))
        tables = _possible(texts, total, top=3 * top)
        assert tuple(counts) in tables
        for i, text in enumerate(texts):
            if text == FEWER_THAN:
                values = {t[i] for t in tables}
                assert len(values) >= 2, (counts, texts, total)


def test_the_default_period_is_the_twelve_months_to_today():
    assert Period.last_twelve_months(date(2026, 12, 1)) == Period(
        date(2026, 1, 1), date(2026, 12, 1)
    )
    assert Period.last_twelve_months(date(2026, 3, 15)) == Period(
        date(2025, 4, 1), date(2026, 3, 15)
    )
    assert len(Period(date(2025, 4, 1), date(2026, 3, 15)).months()) == 12
