"""Working-day arithmetic for the guidance's time limits (G07, G08).

The guidance (seed 002, "Children's Social Care"): the allocated social worker and their team
manager should "take a decision within one working day" of a referral's receipt; children's
social care also has "the responsibility to confirm in writing to the referring agency that
the referral has been received", which the portal holds to the same due time.

One working day is counted from the *moment* of receipt, not from the end of its day:

- received in working hours → the same time on the next working day (Tuesday 09:30 →
  Wednesday 09:30; Friday 16:30 → Monday 16:30);
- received outside working hours → the count starts when the next working day starts, so the
  due time is the start of the working day after that (Saturday → Tuesday 09:00; Monday
  18:00 → Wednesday 09:00; Monday 07:00 → Tuesday 09:00).

The end of a working day is the same point of working time as the start of the next one, so
the count never jumps: Tuesday 16:59 → Wednesday 16:59; Tuesday 17:00 → Thursday 09:00.

Working hours and days come from the settings (CSE_WORKING_DAY_START, CSE_WORKING_DAY_END,
CSE_WORKING_WEEKDAYS; default 09:00-17:00, Monday to Friday). Bank holidays are never working
days: England and Wales's (CSE_BANK_HOLIDAY_REGION, default "ENG") from the `holidays`
package, which includes substitute days ("observed") when a holiday falls at a weekend, and
one-off holidays such as a state funeral. Times are wall-clock times in Europe/London,
whatever the server's clock, so the due time follows the clocks going forward and back; the
answers are aware datetimes in UTC, as the database stores them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

LONDON = ZoneInfo("Europe/London")
WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class WorkingHours:
    start: time
    end: time
    weekdays: frozenset[int]  # 0 = Monday, as date.weekday()
    bank_holiday_region: str


def _parse_time(name: str, value: str) -> time:
    try:
        return time.fromisoformat(value.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a time such as 09:00, not {value!r}") from None


def _parse_weekdays(value: Any) -> frozenset[int]:
    names = value.split(",") if isinstance(value, str) else list(value)
    days = set()
    for name in names:
        key = str(name).strip().lower()[:3]
        if key not in WEEKDAY_NAMES:
            raise ImproperlyConfigured(
                f"CSE_WORKING_WEEKDAYS lists days such as Mon,Tue,Wed,Thu,Fri, not {name!r}"
            )
        days.add(WEEKDAY_NAMES.index(key))
    if not days:
        raise ImproperlyConfigured("CSE_WORKING_WEEKDAYS must name at least one day")
    return frozenset(days)


def working_hours() -> WorkingHours:
    """The working hours in force, read from the settings (so tests can override them)."""
    start = _parse_time(
        "CSE_WORKING_DAY_START", getattr(settings, "CSE_WORKING_DAY_START", "09:00")
    )
    end = _parse_time("CSE_WORKING_DAY_END", getattr(settings, "CSE_WORKING_DAY_END", "17:00"))
    if not start < end:
        raise ImproperlyConfigured("CSE_WORKING_DAY_START must be before CSE_WORKING_DAY_END")
    weekdays = _parse_weekdays(getattr(settings, "CSE_WORKING_WEEKDAYS", "Mon,Tue,Wed,Thu,Fri"))
    region = getattr(settings, "CSE_BANK_HOLIDAY_REGION", "ENG")
    if region not in holidays.GB.subdivisions:
        raise ImproperlyConfigured(
            f"CSE_BANK_HOLIDAY_REGION must be one of ENG, NIR, SCT, WLS, not {region!r}"
        )
    return WorkingHours(start, end, weekdays, region)


@checks.register()
def check_working_hours(**kwargs: Any) -> list[checks.CheckMessage]:
    """A wrong setting is found by `check`, `migrate` and `runserver`, not when a referral is sent."""
    try:
        working_hours()
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="cse_portal.E001")]
    return []


@cache
def _bank_holidays(year: int, region: str) -> frozenset[date]:
    # England and Wales share bank holidays; "ENG" is the subdivision the package names.
    return frozenset(holidays.country_holidays("GB", subdiv=region, years=year))


def is_bank_holiday(day: date) -> bool:
    return day in _bank_holidays(day.year, working_hours().bank_holiday_region)


def is_working_day(day: date) -> bool:
    """A working weekday (default Monday to Friday) that is not a bank holiday."""
    return day.weekday() in working_hours().weekdays and not is_bank_holiday(day)


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
    return _london(moment).date()


def _london(moment: datetime) -> datetime:
    if timezone.is_naive(moment):
        return moment.replace(tzinfo=LONDON)
    return moment.astimezone(LONDON)


def _at(day: date, wall_clock: time) -> datetime:
    """`wall_clock` on `day` in London, as an aware UTC datetime (a wall-clock time the clocks
    skip is read as the time it would have been, as zoneinfo does)."""
    return datetime.combine(day, wall_clock, tzinfo=LONDON).astimezone(UTC)


def is_working_time(moment: datetime) -> bool:
    """Within working hours (start included, end not) on a working day."""
    hours = working_hours()
    local = _london(moment)
    return is_working_day(local.date()) and hours.start <= local.time() < hours.end


def working_time_starts(moment: datetime) -> datetime:
    """The moment counting starts for something received at `moment`: the moment itself in
    working hours, otherwise the start of the next working day (today's, if before it)."""
    hours = working_hours()
    local = _london(moment)
    if is_working_time(local):
        return local.astimezone(UTC)
    day = local.date()
    if not (is_working_day(day) and local.time() < hours.start):
        day = next_working_day(day)
    return _at(day, hours.start)


def add_working_day(moment: datetime) -> datetime:
    """One working day after `moment`, counted from when working time starts (see above)."""
    start = _london(working_time_starts(moment))
    return _at(next_working_day(start.date()), start.time())


def decision_due(received_at: datetime) -> datetime:
    """When CSC's decision on a referral is due: one working day after its receipt (G08)."""
    return add_working_day(received_at)


def acknowledgement_due(received_at: datetime) -> datetime:
    """When CSC's written confirmation of receipt is due (G07): the decision's due time, since
    the referrer is to know what is being done within the same working day."""
    return add_working_day(received_at)
