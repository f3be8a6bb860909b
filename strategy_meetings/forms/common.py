"""Fields the strategy meeting forms share. Forms convert input; the rules are the services'
(`strategy_meetings.services.*_problems`), shown on the forms' fields by the views, so a field
the service checks is not required here."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any

from django import forms

from cse_portal.forms import SafeDateField
from cse_portal.working_days import LONDON

YES_NO = [("yes", "Yes"), ("no", "No")]

_TIME = re.compile(r"^\s*([01]?\d|2[0-3])[:.]([0-5]\d)\s*$")


def yes_no(value: Any) -> bool | None:
    return {"yes": True, "no": False}.get(str(value or ""))


def as_yes_no(value: bool | None) -> str:
    return {True: "yes", False: "no"}.get(value, "") if value is not None else ""


def yes_no_field(label: str, help_text: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        help_text=help_text,
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Select yes or no"},
    )


def text_field(label: str, rows: int = 4, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def date_field(label: str, noun: str) -> SafeDateField:
    return SafeDateField(label=label, noun=noun, required=False, help_text="For example, 27 3 2026")


def time_field(label: str = "Time") -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=5,
        required=False,
        help_text="Use the 24-hour clock, for example 14:30",
    )


def clean_time(value: str) -> time | None:
    """A time on the 24-hour clock (14:30, 9.05); None when left empty."""
    if not value.strip():
        return None
    match = _TIME.match(value)
    if not match:
        raise forms.ValidationError("Enter the time using the 24-hour clock, like 14:30")
    return time(int(match.group(1)), int(match.group(2)))


def combined(day: object, at: object) -> datetime | None:
    """The date and the time, in London, when both converted."""
    if isinstance(day, date) and isinstance(at, time):
        return datetime.combine(day, at, tzinfo=LONDON)
    return None


class VersionField(forms.IntegerField):
    """The version the page was shown at; anything but a number counts as 0 (stale)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, **kwargs)

    def to_python(self, value: Any) -> int:
        try:
            return int(value)
        except (TypeError, ValueError):
            return 0
