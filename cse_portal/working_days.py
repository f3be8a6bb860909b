"""Working-day arithmetic for the guidance's time limits (G08).

A working day is Monday to Friday, not a bank holiday in England and Wales. The bank holidays
come from the `holidays` package (GB, subdivision England), which includes the substitute
days ("observed") when a holiday falls at a weekend, and one-off holidays such as a state
funeral. Days are counted in Europe/London, whatever the server's clock; times are returned
aware, so the database stores them in UTC.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays
from django.utils import timezone

LONDON = ZoneInfo("Europe/London")
# A referral's decision is due by the end of the next working day's office hours.
DECISION_DUE_TIME = time(17, 0)


@cache
def _bank_holidays(year: int) -> frozenset[date]:
    # England and Wales share bank holidays; "ENG" is the subdivision the package names.
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_bank_holiday(day: date) -> bool:
    return day in _bank_holidays(day.year)


def is_working_day(day: date) -> bool:
    """Monday to Friday, and not a bank holiday in England and Wales."""
    return day.weekday() < 5 and not is_bank_holiday(day)


def next_working_day(day: date) -> date:
    """The first working day strictly after `day`."""
    candidate = day + timedelta(days=1)
    while not is_working_day(candidate):
        candidate += timedelta(days=1)
    return candidate


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 when `end` <= `start`).

    So a referral received on `start` and decided on `end` took this many working days:
    received Friday, decided Monday → 1.
    """
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def london_date(moment: datetime) -> date:
    """The calendar day in Europe/London of an aware (or, if naive, London-local) datetime."""
    if timezone.is_naive(moment):
        return moment.date()
    return moment.astimezone(LONDON).date()


def decision_due(received_at: datetime) -> datetime:
    """When CSC's decision on a referral is due: 17:00 London time on the first working day
    after the day of receipt [002 §6 "within one working day"].

    Received on a Friday or at the weekend → Monday 17:00 (Tuesday if Monday is a bank
    holiday). The answer is an aware datetime in UTC; 17:00 London is 16:00 UTC in summer.
    """
    due_day = next_working_day(london_date(received_at))
    local = datetime.combine(due_day, DECISION_DUE_TIME, tzinfo=LONDON)
    return local.astimezone(ZoneInfo("UTC"))
