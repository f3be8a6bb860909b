"""Forms of missing episodes (G33): the episode as reported, the return, the return interview
and an addendum. They convert the answers (a GOV.UK date and a 24-hour time, officers and
agencies from the lists offered); what the answers must be is the service's rule
(`referrals.services.missing.*_problems`), so a field the service checks is not required here.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any, cast

from crispy_forms_gds.layout import Field, Fieldset, Fixed, Fluid, Layout, Size, Submit
from django import forms

from cse_portal.forms import FormKeyField, GovukForm, SafeDateField
from cse_portal.models import Agency, Child, Officer
from cse_portal.working_days import LONDON
from referrals.models import InterviewOutcome
from referrals.selectors_missing import involved_agencies, involved_officers

_TIME = re.compile(r"^\s*([01]?\d|2[0-3])[:.]?([0-5]\d)\s*$")


class TimeOfDayField(forms.CharField):
    """A time on the 24-hour clock ("21:30", "9.05", "0905"), with messages that say how to
    put it right. `what` finishes the sentence "Enter the time …"."""

    def __init__(self, *, what: str, **kwargs: Any) -> None:
        self.what = what
        kwargs.setdefault("help_text", "Use the 24-hour clock, for example 21:30")
        super().__init__(
            max_length=5,
            error_messages={"required": f"Enter the time {what}, for example 21:30"},
            **kwargs,
        )

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        match = _TIME.match(str(text))
        if not match:
            raise forms.ValidationError(
                "Enter a real time using the 24-hour clock, for example 21:30 (for 9:30pm)"
            )
        return time(int(match.group(1)), int(match.group(2)))

    def validate(self, value: Any) -> None:
        if value is None and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")

    def run_validators(self, value: Any) -> None:
        # The validators (its length) read the text; the value is a time by now.
        return None


def _date(label: str, noun: str) -> SafeDateField:
    return SafeDateField(label=label, noun=noun, help_text="For example, 27 3 2026")


def _officers(label: str, empty_label: str) -> forms.ModelChoiceField:
    return _Chooser(
        Officer.objects.none(),
        label=label,
        required=False,
        empty_label=empty_label,
        error_messages={"invalid_choice": "Select an officer from the list"},
    )


class _Chooser(forms.ModelChoiceField):
    """Officers named with their agency; agencies by name."""

    def label_from_instance(self, obj: Any) -> str:
        if isinstance(obj, Officer):
            return obj.display_with_agency
        return str(obj)


class _DateTimeForm(GovukForm):
    """A form with dates and times that make one instant each (Europe/London)."""

    # date field → its time field; the instant is cleaned_data[date field].
    INSTANTS: Mapping[str, str] = {}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for day_name, time_name in self.INSTANTS.items():
            day, at = data.get(day_name), data.get(time_name)
            instant = None
            if isinstance(day, date) and isinstance(at, time):
                instant = datetime.combine(day, at, tzinfo=LONDON)
            data[f"{day_name}__instant"] = instant
        return data

    def instant(self, day_name: str) -> datetime | None:
        return getattr(self, "cleaned_data", {}).get(f"{day_name}__instant")

    def checked(self, problems: Mapping[str, str]) -> dict[str, str]:
        """The service's problems, less those about an instant whose time did not convert
        (the time's own error says what is wrong)."""
        failed = {d for d, t in self.INSTANTS.items() if t in self.errors}
        return {name: text for name, text in problems.items() if name not in failed}

    def _offer(self, name: str, queryset: Any) -> None:
        cast(forms.ModelChoiceField, self.fields[name]).queryset = queryset


# The free text each form's language prompt (G38) reads after a save, name → label.
EPISODE_TEXT_FIELDS = {
    "reported_by_name": "If not listed: who reported it?",
    "circumstances": "Circumstances",
}
RETURN_TEXT_FIELDS = {"found_location": "Where was the child found?", "found_by": "Found by"}
INTERVIEW_TEXT_FIELDS = {
    "interview_by_name": "Independent person who did it",
    "summary": "Summary of the return interview",
}
ADDENDUM_TEXT_FIELDS = {"text": "Addendum"}


class EpisodeForm(_DateTimeForm):
    """A child reported missing: when, who reported it, and the circumstances."""

    submit_label = "Record the missing episode"
    INSTANTS = {"reported_missing_at": "reported_missing_time"}

    reported_missing_at = _date("Date reported missing", "date reported missing")
    reported_missing_time = TimeOfDayField(label="Time reported missing", what="reported missing")
    reported_by_officer = _officers("Officer who reported it", "Not an officer listed here")
    reported_by_agency = _Chooser(
        Agency.objects.none(),
        label="Agency that reported it",
        required=False,
        empty_label="Not one of the agencies involved with the child",
        error_messages={"invalid_choice": "Select an agency from the list"},
    )
    reported_by_name = forms.CharField(
        label=EPISODE_TEXT_FIELDS["reported_by_name"],
        help_text="Their name or role, for example 'residential care home manager' or "
        "'the child's mother'.",
        max_length=200,
        required=False,
    )
    circumstances = forms.CharField(
        label=EPISODE_TEXT_FIELDS["circumstances"],
        help_text="Where the child went missing from, when and where they were last seen, who "
        "they may be with, and any concerns.",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )
    creation_key = FormKeyField()

    def __init__(self, *args: Any, child: Child, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._offer("reported_by_officer", involved_officers(child))
        self._offer("reported_by_agency", involved_agencies(child))
        if not self.is_bound:
            self.fields["creation_key"].initial = uuid.uuid4()

    def get_layout(self) -> Layout:
        return Layout(
            Field("reported_missing_at"),
            Field.text("reported_missing_time", field_width=Fixed.FIVE),
            Fieldset(
                Field.select("reported_by_officer"),
                Field.select("reported_by_agency"),
                Field.text("reported_by_name", field_width=Fluid.TWO_THIRDS),
                legend="Who reported the child missing?",
                legend_size=Size.MEDIUM,
            ),
            Field.textarea("circumstances", rows=5),
            Field("creation_key"),
            Submit("submit", self.submit_label),
        )

    def answers(self) -> dict[str, Any]:
        data = getattr(self, "cleaned_data", {})
        return {
            "reported_missing_at": self.instant("reported_missing_at"),
            "reported_by_officer": data.get("reported_by_officer"),
            "reported_by_agency": data.get("reported_by_agency"),
            "reported_by_name": data.get("reported_by_name") or "",
        }


class ReturnForm(_DateTimeForm):
    """The child found, or back: when, where, and who found them."""

    submit_label = "Record the return"
    INSTANTS = {"returned_at": "returned_time"}

    returned_at = _date("Date found or returned", "date found or returned")
    returned_time = TimeOfDayField(label="Time found or returned", what="found or returned")
    found_location = forms.CharField(
        label=RETURN_TEXT_FIELDS["found_location"],
        help_text="The place, or where they returned to, for example 'came back to the "
        "placement on their own'.",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    found_by = forms.CharField(
        label="Who found the child, or how did they return? (optional)",
        help_text="For example, 'found by police' or 'returned on their own'.",
        max_length=200,
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def get_layout(self) -> Layout:
        return Layout(
            Field("returned_at"),
            Field.text("returned_time", field_width=Fixed.FIVE),
            Field.textarea("found_location", rows=2),
            Field.text("found_by", field_width=Fluid.TWO_THIRDS),
            Field("version"),
            Submit("submit", self.submit_label),
        )

    def answers(self) -> dict[str, Any]:
        data = getattr(self, "cleaned_data", {})
        return {
            "returned_at": self.instant("returned_at"),
            "found_location": data.get("found_location") or "",
        }


class InterviewForm(_DateTimeForm):
    """The return interview: held (or offered and declined), when, by whom, what it found."""

    submit_label = "Record the return interview"
    INSTANTS = {"interview_at": "interview_time"}

    outcome = forms.ChoiceField(
        label="Was the return interview held?",
        choices=InterviewOutcome.choices,
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Select whether the return interview was held"},
    )
    interview_at = _date(
        "Date of the return interview, or when it was offered", "date of the return interview"
    )
    interview_time = TimeOfDayField(label="Time", what="of the return interview")
    interview_by_officer = _officers(
        "Who did the return interview?", "Not listed: enter their name below"
    )
    interview_by_name = forms.CharField(
        label="If not listed: name and role of the independent person who did it",
        help_text="For example, 'Sam Price, independent return interviewer'.",
        max_length=200,
        required=False,
    )
    summary = forms.CharField(
        label=INTERVIEW_TEXT_FIELDS["summary"],
        help_text="What the child said about where they were, who they were with and why they "
        "went missing; any risks found; and what happens next. If the child declined, what was "
        "offered and by whom.",
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, child: Child, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._offer("interview_by_officer", involved_officers(child))

    def get_layout(self) -> Layout:
        return Layout(
            Field.radios("outcome", legend_size=Size.MEDIUM),
            Field("interview_at"),
            Field.text("interview_time", field_width=Fixed.FIVE),
            Field.select("interview_by_officer"),
            Field.text("interview_by_name", field_width=Fluid.TWO_THIRDS),
            Field.textarea("summary", rows=8),
            Field("version"),
            Submit("submit", self.submit_label),
        )

    def answers(self) -> dict[str, Any]:
        data = getattr(self, "cleaned_data", {})
        return {
            "outcome": data.get("outcome") or "",
            "interview_at": self.instant("interview_at"),
            "interview_by_officer": data.get("interview_by_officer"),
            "interview_by_name": data.get("interview_by_name") or "",
            "summary": data.get("summary") or "",
        }


class AddendumForm(GovukForm):
    """A correction or addition to a missing episode."""

    submit_label = "Add to the record"

    text = forms.CharField(
        label="What needs correcting or adding?",
        help_text="What was recorded stays as it was; your addendum is shown beside it, with "
        "your name, your agency and the date.",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )
    creation_key = FormKeyField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["creation_key"].initial = uuid.uuid4()

    def get_layout(self) -> Layout:
        return Layout(
            Field.textarea("text", rows=5),
            Field("creation_key"),
            Submit("submit", self.submit_label),
        )
