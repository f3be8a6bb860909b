"""Working days and the due time of CSC's decision and acknowledgement (G08, G07): one working
day counted from the moment of receipt, in working hours (default 09:00-17:00 Monday to
Friday, not England and Wales bank holidays), in Europe/London wall-clock time."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from cse_portal.working_days import (
    acknowledgement_due,
    add_working_day,
    check_working_hours,
    decision_due,
    is_working_day,
    is_working_time,
    next_working_day,
    working_days_between,
    working_hours,
    working_time_starts,
)

LONDON = ZoneInfo("Europe/London")
pytestmark = pytest.mark.guidance("G08")


def london(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)


def test_a_referral_received_in_working_hours_is_due_at_the_same_time_the_next_day():
    due = decision_due(london(2026, 3, 10, 9, 30))  # Tuesday
    assert due == london(2026, 3, 11, 9, 30)


def test_the_due_time_is_an_aware_utc_datetime():
    due = decision_due(london(2026, 3, 10, 9, 30))
    assert due.tzinfo is not None
    assert due.utcoffset().total_seconds() == 0
    assert due == datetime(2026, 3, 11, 9, 30, tzinfo=UTC)


def test_received_on_friday_afternoon_is_due_on_monday_afternoon():
    assert decision_due(london(2026, 3, 13, 16, 30)) == london(2026, 3, 16, 16, 30)


def test_received_before_friday_opens_is_due_when_monday_opens():
    assert decision_due(london(2026, 3, 13, 8, 0)) == london(2026, 3, 16, 9, 0)


@pytest.mark.parametrize(
    "received",
    [
        london(2026, 3, 13, 17, 0),
        london(2026, 3, 13, 23, 59),
        london(2026, 3, 14, 12, 0),
        london(2026, 3, 15, 20, 0),
    ],
    ids=["friday-at-five", "friday-late", "saturday", "sunday"],
)
def test_received_after_friday_closes_or_at_the_weekend_is_due_when_tuesday_opens(received):
    # Counting starts on Monday at 09:00; one working day later is Tuesday 09:00.
    assert decision_due(received) == london(2026, 3, 17, 9, 0)


def test_received_on_a_weekday_evening_is_due_when_the_day_after_next_opens():
    assert decision_due(london(2026, 3, 9, 18, 0)) == london(2026, 3, 11, 9, 0)  # Mon → Wed


def test_the_count_has_no_jump_at_the_end_of_the_working_day():
    assert decision_due(london(2026, 3, 10, 16, 59)) == london(2026, 3, 11, 16, 59)
    assert decision_due(london(2026, 3, 10, 17, 0)) == london(2026, 3, 12, 9, 0)
    assert decision_due(london(2026, 3, 10, 9, 0)) == london(2026, 3, 11, 9, 0)
    assert decision_due(london(2026, 3, 10, 8, 59)) == london(2026, 3, 11, 9, 0)


@pytest.mark.guidance("G07")
def test_the_acknowledgement_is_due_when_the_decision_is():
    for received in [london(2026, 3, 10, 9, 30), london(2026, 3, 14, 12, 0)]:
        assert acknowledgement_due(received) == decision_due(received)


def test_easter_good_friday_and_easter_monday_are_not_working_days():
    # Received Maundy Thursday 2026: Good Friday 3 April, Easter Monday 6 April.
    assert decision_due(london(2026, 4, 2, 11, 0)) == london(2026, 4, 7, 11, 0)


def test_received_the_day_before_a_bank_holiday_monday_is_due_on_tuesday():
    # Early May bank holiday: Monday 4 May 2026.
    assert decision_due(london(2026, 5, 1, 14, 0)) == london(2026, 5, 5, 14, 0)
    # Received on the Sunday: counting starts on Tuesday 09:00.
    assert decision_due(london(2026, 5, 3, 14, 0)) == london(2026, 5, 6, 9, 0)
    # Spring bank holiday: Monday 25 May 2026.
    assert decision_due(london(2026, 5, 22, 16, 0)) == london(2026, 5, 26, 16, 0)


def test_received_on_a_bank_holiday_counts_from_the_next_working_day():
    assert decision_due(london(2026, 8, 31, 10, 0)) == london(2026, 9, 2, 9, 0)


def test_christmas_eve_2026_is_due_after_the_substitute_boxing_day():
    # 25 Dec is a Friday, 26 Dec a Saturday, so Boxing Day is observed on Monday 28 Dec.
    assert not is_working_day(date(2026, 12, 28))
    assert decision_due(london(2026, 12, 24, 15, 0)) == london(2026, 12, 29, 15, 0)


def test_christmas_2021_with_both_substitute_days():
    # 25 and 26 Dec 2021 fell at the weekend: substitutes on Monday 27 and Tuesday 28.
    assert decision_due(london(2021, 12, 24, 10, 0)) == london(2021, 12, 29, 10, 0)


def test_new_years_eve_is_due_after_new_years_day():
    # 1 January 2027 is a Friday.
    assert decision_due(london(2026, 12, 31, 10, 0)) == london(2027, 1, 4, 10, 0)


def test_the_due_time_follows_the_clocks_going_forward():
    # Clocks go forward on Sunday 29 March 2026: received 12:00 GMT, due 12:00 BST (11:00 UTC).
    due = decision_due(london(2026, 3, 27, 12, 0))
    assert due == datetime(2026, 3, 30, 11, 0, tzinfo=UTC)
    assert due.astimezone(LONDON).hour == 12


def test_the_due_time_follows_the_clocks_going_back():
    # Clocks go back on Sunday 25 October 2026: received 12:00 BST, due 12:00 GMT (12:00 UTC).
    due = decision_due(london(2026, 10, 23, 12, 0))
    assert due == datetime(2026, 10, 26, 12, 0, tzinfo=UTC)


def test_the_day_of_receipt_is_the_day_in_london_not_in_utc():
    # 23:30 UTC on Wednesday 10 June 2026 is 00:30 BST on Thursday 11 June: out of hours, so
    # counting starts on Thursday at 09:00.
    received = datetime(2026, 6, 10, 23, 30, tzinfo=UTC)
    assert decision_due(received) == london(2026, 6, 12, 9, 0)


def test_working_hours_are_london_hours_not_utc_hours():
    # 08:30 UTC in June is 09:30 BST: in working hours.
    received = datetime(2026, 6, 10, 8, 30, tzinfo=UTC)
    assert is_working_time(received)
    assert decision_due(received) == london(2026, 6, 11, 9, 30)


def test_a_naive_time_is_read_as_london_time():
    assert decision_due(datetime(2026, 6, 10, 9, 30)) == london(2026, 6, 11, 9, 30)


def test_counting_starts_at_once_in_hours_and_at_the_next_opening_otherwise():
    assert working_time_starts(london(2026, 3, 10, 9, 30)) == london(2026, 3, 10, 9, 30)
    assert working_time_starts(london(2026, 3, 10, 7, 0)) == london(2026, 3, 10, 9, 0)
    assert working_time_starts(london(2026, 3, 14, 7, 0)) == london(2026, 3, 16, 9, 0)
    assert add_working_day(london(2026, 3, 14, 7, 0)) == london(2026, 3, 17, 9, 0)


def test_every_due_time_falls_in_working_hours_later_than_receipt_and_in_order():
    # Every 20 minutes through March and April 2026: Easter and the clocks going forward.
    moment = london(2026, 3, 1)
    previous_due = decision_due(moment)
    while moment < london(2026, 5, 1):
        due = decision_due(moment)
        assert due > moment
        assert is_working_time(due)
        assert due >= previous_due
        assert due - moment <= timedelta(days=7)
        previous_due = due
        moment += timedelta(minutes=20)


@override_settings(
    CSE_WORKING_DAY_START="08:30",
    CSE_WORKING_DAY_END="16:30",
    CSE_WORKING_WEEKDAYS=["Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
)
def test_the_working_hours_and_days_come_from_the_settings():
    assert decision_due(london(2026, 3, 13, 16, 0)) == london(2026, 3, 14, 16, 0)  # Fri → Sat
    assert decision_due(london(2026, 3, 10, 16, 45)) == london(2026, 3, 12, 8, 30)
    assert decision_due(london(2026, 3, 15, 12, 0)) == london(2026, 3, 17, 8, 30)  # Sunday


@override_settings(CSE_BANK_HOLIDAY_REGION="SCT")
def test_another_part_of_the_uk_can_be_chosen_for_bank_holidays():
    # 2 January is a bank holiday in Scotland, not in England and Wales.
    assert not is_working_day(date(2026, 1, 2))
    with override_settings(CSE_BANK_HOLIDAY_REGION="ENG"):
        assert is_working_day(date(2026, 1, 2))


@pytest.mark.parametrize(
    "overrides",
    [
        {"CSE_WORKING_DAY_START": "nine"},
        {"CSE_WORKING_DAY_START": "17:00", "CSE_WORKING_DAY_END": "09:00"},
        {"CSE_WORKING_WEEKDAYS": ["Mon", "Funday"]},
        {"CSE_WORKING_WEEKDAYS": []},
        {"CSE_BANK_HOLIDAY_REGION": "XX"},
    ],
)
def test_a_wrong_setting_is_a_system_check_error(overrides):
    with override_settings(**overrides):
        with pytest.raises(ImproperlyConfigured):
            working_hours()
        assert [e.id for e in check_working_hours()] == ["cse_portal.E001"]
    assert check_working_hours() == []


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
