"""Working days and the referral decision's due time (G08): Monday to Friday, not England
and Wales bank holidays, counted in Europe/London."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from cse_portal.working_days import (
    decision_due,
    is_working_day,
    next_working_day,
    working_days_between,
)

LONDON = ZoneInfo("Europe/London")
pytestmark = pytest.mark.guidance("G08")


def london(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)


def test_a_referral_received_on_a_weekday_is_due_at_five_the_next_day():
    due = decision_due(london(2026, 3, 10, 9, 30))  # Tuesday
    assert due == london(2026, 3, 11, 17, 0)


def test_the_due_time_is_an_aware_utc_datetime():
    due = decision_due(london(2026, 3, 10, 9, 30))
    assert due.tzinfo is not None
    assert due.utcoffset().total_seconds() == 0
    assert due == datetime(2026, 3, 11, 17, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "received",
    [
        london(2026, 3, 13, 8, 0),
        london(2026, 3, 13, 23, 59),
        london(2026, 3, 14, 12, 0),
        london(2026, 3, 15, 20, 0),
    ],
    ids=["friday-morning", "friday-late", "saturday", "sunday"],
)
def test_a_referral_received_on_friday_or_at_the_weekend_is_due_on_monday(received):
    assert decision_due(received) == london(2026, 3, 16, 17, 0)


def test_easter_good_friday_and_easter_monday_are_not_working_days():
    # Received Maundy Thursday 2026: Good Friday 3 April, Easter Monday 6 April.
    assert decision_due(london(2026, 4, 2, 11, 0)) == london(2026, 4, 7, 17, 0)


def test_received_the_day_before_a_bank_holiday_monday_is_due_on_tuesday():
    # Early May bank holiday: Monday 4 May 2026.
    assert decision_due(london(2026, 5, 1, 14, 0)) == london(2026, 5, 5, 17, 0)
    assert decision_due(london(2026, 5, 3, 14, 0)) == london(2026, 5, 5, 17, 0)
    # Spring bank holiday: Monday 25 May 2026.
    assert decision_due(london(2026, 5, 22, 16, 0)) == london(2026, 5, 26, 17, 0)


def test_christmas_eve_2026_is_due_after_the_substitute_boxing_day():
    # 25 Dec is a Friday, 26 Dec a Saturday, so Boxing Day is observed on Monday 28 Dec.
    assert not is_working_day(date(2026, 12, 28))
    assert decision_due(london(2026, 12, 24, 15, 0)) == london(2026, 12, 29, 17, 0)


def test_christmas_2021_with_both_substitute_days():
    # 25 and 26 Dec 2021 fell at the weekend: substitutes on Monday 27 and Tuesday 28.
    assert decision_due(london(2021, 12, 24, 10, 0)) == london(2021, 12, 29, 17, 0)


def test_new_years_eve_is_due_after_new_years_day():
    # 1 January 2027 is a Friday.
    assert decision_due(london(2026, 12, 31, 10, 0)) == london(2027, 1, 4, 17, 0)


def test_the_due_time_follows_the_clocks_going_forward():
    # Clocks go forward on Sunday 29 March 2026: due at 17:00 BST, which is 16:00 UTC.
    due = decision_due(london(2026, 3, 27, 12, 0))
    assert due == datetime(2026, 3, 30, 16, 0, tzinfo=UTC)
    assert due.astimezone(LONDON).hour == 17


def test_the_due_time_follows_the_clocks_going_back():
    # Clocks go back on Sunday 25 October 2026: due at 17:00 GMT, which is 17:00 UTC.
    due = decision_due(london(2026, 10, 23, 12, 0))
    assert due == datetime(2026, 10, 26, 17, 0, tzinfo=UTC)


def test_the_day_of_receipt_is_the_day_in_london_not_in_utc():
    # 23:30 UTC on Wednesday 10 June 2026 is 00:30 BST on Thursday 11 June.
    received = datetime(2026, 6, 10, 23, 30, tzinfo=UTC)
    assert decision_due(received) == london(2026, 6, 12, 17, 0)


def test_working_days_skip_weekends_and_bank_holidays():
    assert is_working_day(date(2026, 3, 10))
    assert not is_working_day(date(2026, 3, 14))  # Saturday
    assert not is_working_day(date(2026, 8, 31))  # Summer bank holiday
    assert next_working_day(date(2026, 8, 28)) == date(2026, 9, 1)


def test_working_days_between_counts_the_days_after_the_start():
    assert working_days_between(date(2026, 3, 13), date(2026, 3, 16)) == 1  # Fri → Mon
    assert working_days_between(date(2026, 4, 2), date(2026, 4, 7)) == 1  # over Easter
    assert working_days_between(date(2026, 3, 9), date(2026, 3, 20)) == 9
    assert working_days_between(date(2026, 3, 16), date(2026, 3, 16)) == 0
    assert working_days_between(date(2026, 3, 16), date(2026, 3, 13)) == 0
