"""Fields the referral forms share. Forms convert and check input; the rules are the
services' (`referrals.services`), shown on the form's fields by the views."""

from __future__ import annotations

from datetime import date
from typing import Any

from crispy_forms_gds.fields import DateInputField
from django import forms
from django.core.exceptions import ValidationError


class RealDateField(DateInputField):
    """A GOV.UK date input whose impossible dates get a plain message (not Python's)."""

    def compress(self, data_list: Any) -> date | None:
        day, month, year = data_list
        if not (day and month and year):
            return None
        try:
            return date(day=int(day), month=int(month), year=int(year))
        except (ValueError, OverflowError) as error:
            raise forms.ValidationError("Enter a real date, for example 27 3 2012") from error


class OfferedOfficerField(forms.ModelChoiceField):
    """An officer from the list the page offered, or None. An officer no longer offered (who
    left or changed role since the page was shown) counts as none chosen: the service then
    says whom to select, as it does when nobody was selected."""

    def __init__(self, queryset: Any, **kwargs: Any) -> None:
        super().__init__(queryset, required=False, **kwargs)

    def to_python(self, value: Any) -> Any:
        try:
            return super().to_python(value)
        except ValidationError:
            return None


def radios(choices: Any) -> dict[str, Any]:
    return {"choices": choices, "widget": forms.RadioSelect}
