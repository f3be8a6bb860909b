"""The caseload's filter and the themes' period. GET forms whose values are codes and dates
only: no child's name is ever put in the URL (the caseload has no name search; the children
list's search, which does take names, is POSTed and kept in the session)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.utils import timezone

from cse_portal.caseload import CaseloadFilter
from cse_portal.forms import GovukForm, SafeDateField

SORT_DIRECTIONS = [("asc", "Ascending"), ("desc", "Descending")]
LONGEST_PERIOD_DAYS = 3 * 366


class CaseloadFilterForm(GovukForm):
    sort = forms.ChoiceField(label="Sort by", required=False)
    order = forms.ChoiceField(label="Order", choices=SORT_DIRECTIONS, required=False)

    def __init__(
        self, *args: Any, filters: list[CaseloadFilter], sorts: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        self.filter_params = [f.param for f in filters]
        super().__init__(*args, **kwargs)
        for f in filters:
            self.fields[f.param] = forms.ChoiceField(
                label=f.label, choices=[("", "Any"), *f.choices()], required=False
            )
        cast(forms.ChoiceField, self.fields["sort"]).choices = sorts
        self.order_fields([*self.filter_params, "sort", "order"])
        self.helper.layout = Layout(
            *[Field.select(p) for p in [*self.filter_params, "sort", "order"]],
            Submit("submit", "Apply"),
        )

    def get_layout(self) -> Layout:
        return Layout()


class PeriodForm(GovukForm):
    start = SafeDateField(label="From", noun="start date", example="1 1 2026")
    end = SafeDateField(label="To", noun="end date", example="31 12 2026")

    def get_layout(self) -> Layout:
        return Layout(
            Field("start", legend_size=Size.SMALL),
            Field("end", legend_size=Size.SMALL),
            Submit("submit", "Show figures"),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", "The end date must be the same as or after the start date")
            elif end - start > timedelta(days=LONGEST_PERIOD_DAYS):
                self.add_error("end", "The period must be 3 years or shorter")
            elif end > timezone.localdate():
                self.add_error("end", "The end date must be today or in the past")
        return data
