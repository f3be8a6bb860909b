"""Forms of a separate meeting about a person of concern: convening, inviting, linking a
child's meeting, the minutes about the person, a note about a child, an action. They convert
input; the rules are `strategy_meetings.services.person_meetings`'."""

from __future__ import annotations

import uuid
from typing import Any, cast

from crispy_forms_gds.layout import Field, Fixed, Fluid, Layout, Size, Submit
from django import forms

from cse_portal.forms import MAX_TEXT, FormKeyField, GovukForm
from cse_portal.models import Agency, Officer
from referrals.forms.common import OfferedOfficerField
from strategy_meetings.forms.common import (
    VersionField,
    clean_time,
    combined,
    date_field,
    text_field,
    time_field,
)
from strategy_meetings.models import CHAIR_ROLES, Meeting, PersonMeeting
from strategy_meetings.services.person_meetings import PersonActionInput, PersonMeetingDetails

MINUTES_LABEL = "Minutes about the person"
NOTE_LABEL = "What the meeting said about this child"
ACTION_TEXT_FIELDS = {"what": "What will be done", "measure": "How we will know it is done"}


def _long_text(label: str, rows: int, help_text: str = "") -> forms.CharField:
    """Free text with its limit on the page too (the textarea's maxlength)."""
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class _Chair(OfferedOfficerField):
    def label_from_instance(self, obj: Officer) -> str:
        return f"{obj} — {obj.get_role_display()}, {obj.agency}"


class PersonMeetingConveneForm(GovukForm):
    submit_label = "Convene the separate meeting"

    reason = forms.ChoiceField(
        label="Why is a separate meeting held?",
        choices=PersonMeeting.Reason.choices,
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Select why the separate meeting is held"},
    )
    chair = _Chair(
        Officer.objects.none(),
        label="Chair",
        help_text="A child protection coordinator or an independent reviewing officer (IRO).",
        empty_label="Select the chair",
    )
    starts_on = date_field("Date of the meeting", "date of the meeting")
    starts_time = time_field("Start time")
    place = text_field("Where is the meeting held?", 2)
    call_details = text_field("How to join by phone or video (if it is held by call)", 2)
    creation_key = FormKeyField()

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(_Chair, self.fields["chair"]).queryset = (
            Officer.objects.filter(
                role__in=CHAIR_ROLES,
                is_active=True,
                agency__local_authority_id=agency.local_authority_id,
            )
            .select_related("agency")
            .order_by("last_name", "first_name")
        )
        if not self.is_bound:
            self.fields["creation_key"].initial = uuid.uuid4()
        self.helper.layout = self.get_layout()

    def clean_starts_time(self) -> object:
        return clean_time(self.cleaned_data.get("starts_time") or "")

    def get_layout(self) -> Layout:
        return Layout(
            Field.radios("reason", legend_size=Size.MEDIUM),
            Field.select("chair"),
            Field("starts_on"),
            Field.text("starts_time", field_width=Fixed.FIVE),
            Field.textarea("place", rows=2),
            Field.textarea("call_details", rows=2),
            Field("creation_key"),
            Submit("submit", self.submit_label),
        )

    def details(self) -> PersonMeetingDetails:
        data = getattr(self, "cleaned_data", {})
        return PersonMeetingDetails(
            reason=data.get("reason") or "",
            chair=data.get("chair"),
            starts_at=combined(data.get("starts_on"), data.get("starts_time")),
            place=data.get("place") or "",
            call_details=data.get("call_details") or "",
        )

    def problem_field(self, key: str) -> str:
        return "starts_on" if key == "starts_at" else key


class _OfficerOf(OfferedOfficerField):
    def label_from_instance(self, obj: Officer) -> str:
        return f"{obj} ({obj.agency})"


class PersonMeetingInviteForm(GovukForm):
    submit_label = "Invite"

    agency = forms.ModelChoiceField(
        Agency.objects.none(),
        label="Agency",
        required=False,
        empty_label="Select the agency",
        error_messages={"invalid_choice": "Select an agency from the list"},
    )
    officer = _OfficerOf(
        Officer.objects.none(), label="Person on the portal", empty_label="Select the person"
    )
    person_name = forms.CharField(
        label="Or the name of someone not on the portal", max_length=200, required=False
    )
    role = forms.CharField(label="Their role (optional)", max_length=150, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agencies = Agency.objects.filter(is_active=True).order_by("name")
        cast(forms.ModelChoiceField, self.fields["agency"]).queryset = agencies
        cast(_OfficerOf, self.fields["officer"]).queryset = (
            Officer.objects.filter(is_active=True, agency__isnull=False)
            .select_related("agency")
            .order_by("agency__name", "last_name", "first_name")
        )
        self.helper.layout = self.get_layout()

    def get_layout(self) -> Layout:
        return Layout(
            Field.select("agency"),
            Field.select("officer"),
            Field.text("person_name", field_width=Fluid.TWO_THIRDS),
            Field.text("role", field_width=Fluid.TWO_THIRDS),
            Submit("submit", self.submit_label),
        )


class _MeetingChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Meeting) -> str:
        return f"{obj.reference}: {obj.child.display_name}, {obj.starts_at:%d %B %Y}"


class PersonMeetingLinkForm(GovukForm):
    submit_label = "Link the meeting"

    meeting = _MeetingChoice(
        Meeting.objects.none(),
        label="The child's strategy meeting",
        help_text="Meetings of children linked to this person that you and the chair may see.",
        widget=forms.RadioSelect,
        required=False,
        empty_label=None,
        error_messages={"invalid_choice": "Choose a meeting from the list"},
    )

    def __init__(self, *args: Any, meetings: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["meeting"]).queryset = meetings
        self.helper.layout = self.get_layout()

    def get_layout(self) -> Layout:
        return Layout(Field.radios("meeting"), Submit("submit", self.submit_label))

    def clean_meeting(self) -> object:
        meeting = self.cleaned_data.get("meeting")
        if meeting is None:
            raise forms.ValidationError("Choose the child's meeting to link")
        return meeting


class PersonMeetingMinutesForm(GovukForm):
    submit_label = "Save the minutes"

    minutes = _long_text(
        MINUTES_LABEL,
        10,
        "About the person: what is known, the risk they pose, the disruption planned. Write "
        "what concerns one child in the note about that child — invitees not involved with "
        "that child do not see it.",
    )
    version = VersionField()


class PersonMeetingNoteForm(GovukForm):
    submit_label = "Save the note"

    note = _long_text(
        NOTE_LABEL, 6, "Only officers whose agency is involved with this child see this note."
    )
    version = VersionField()


class PersonMeetingActionForm(GovukForm):
    submit_label = "Add the action"

    what = text_field(ACTION_TEXT_FIELDS["what"], 3)
    owner_agency = forms.ModelChoiceField(
        Agency.objects.none(),
        label="Agency that will do it",
        required=False,
        empty_label="Select the agency",
        error_messages={"invalid_choice": "Select an agency from the list"},
    )
    owner_name = forms.CharField(label="Who will do it", max_length=200, required=False)
    due = date_field("Due date", "due date")
    measure = text_field(ACTION_TEXT_FIELDS["measure"], 2)
    creation_key = FormKeyField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agencies = Agency.objects.filter(is_active=True).order_by("name")
        cast(forms.ModelChoiceField, self.fields["owner_agency"]).queryset = agencies
        if not self.is_bound:
            self.fields["creation_key"].initial = uuid.uuid4()
        self.helper.layout = self.get_layout()

    def get_layout(self) -> Layout:
        return Layout(
            Field.textarea("what", rows=3),
            Field.select("owner_agency"),
            Field.text("owner_name", field_width=Fluid.TWO_THIRDS),
            Field("due"),
            Field.textarea("measure", rows=2),
            Field("creation_key"),
            Submit("submit", self.submit_label),
        )

    def action(self) -> PersonActionInput:
        data = getattr(self, "cleaned_data", {})
        return PersonActionInput(
            what=data.get("what") or "",
            owner_agency=data.get("owner_agency"),
            owner_name=data.get("owner_name") or "",
            due=data.get("due"),
            measure=data.get("measure") or "",
        )


class PersonMeetingFinaliseForm(GovukForm):
    submit_label = "Finalise the separate meeting"

    version = VersionField()
