"""Forms of the action plan: an action (G22), the review date (G24), signing up (G23), an
action's progress after finalising (G26) and convening the review. They convert input; the
rules are the services' (`services.actions`, `services.progress`)."""

from __future__ import annotations

import uuid
from typing import Any, cast

from crispy_forms_gds.layout import HTML, Field, Fieldset, Fluid, Layout, Size, Submit
from django import forms

from cse_portal.forms import FormKeyField, GovukForm
from cse_portal.models import Agency, Officer
from referrals.forms.common import OfferedOfficerField
from strategy_meetings import action_selectors, services
from strategy_meetings.forms.common import VersionField, date_field, text_field
from strategy_meetings.models import Action, ActionStatus, Meeting

# The free text the language prompt (G38) reads after a save.
ACTION_TEXT_FIELDS = {
    "what": "What will be done?",
    "measure": "How will we know it is done?",
    "owner_name": "Name of the person who owns the action",
}
PROGRESS_TEXT_FIELDS = {"note": "What has happened?"}


class _OwnerChoice(OfferedOfficerField):
    def label_from_instance(self, obj: Officer) -> str:
        return f"{obj} — {obj.agency}"


class _AgencyChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Agency) -> str:
        return f"{obj.name} ({obj.local_authority})"


def _status_field(label: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=ActionStatus.choices,
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Select the action's status"},
    )


class ActionForm(GovukForm):
    """One SMART action: what, who (an officer of an involved agency, or a named person and
    their agency), by when, and how we will know it is done."""

    submit_label = "Save the action"
    what = text_field(ACTION_TEXT_FIELDS["what"], 3, "Specific: one thing someone will do.")
    owner_officer = _OwnerChoice(
        Officer.objects.none(),
        label="Who owns the action?",
        help_text="An officer of an agency involved with the child.",
        empty_label="Someone not on the portal (enter their name and agency below)",
    )
    owner_name = forms.CharField(
        label=ACTION_TEXT_FIELDS["owner_name"],
        help_text="Only if they are not on the portal.",
        max_length=200,
        required=False,
    )
    owner_agency = _AgencyChoice(
        Agency.objects.none(),
        label="Their agency",
        empty_label="Select their agency",
        required=False,
        error_messages={"invalid_choice": "Select an agency from the list"},
    )
    due = date_field("When is it due?", "due date")
    measure = text_field(
        ACTION_TEXT_FIELDS["measure"], 3, "Measurable: what will show that it is done."
    )
    status = _status_field("Status")
    version = VersionField()
    creation_key = FormKeyField()

    def __init__(self, *args: Any, meeting: Meeting, action: Action | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        owners = cast(_OwnerChoice, self.fields["owner_officer"])
        owners.queryset = action_selectors.owner_candidates(meeting)
        agencies = cast(_AgencyChoice, self.fields["owner_agency"])
        agencies.queryset = Agency.objects.filter(is_active=True).select_related("local_authority")
        if action is None:
            del self.fields["version"]
            if not self.is_bound:
                self.initial.update(
                    {"creation_key": uuid.uuid4(), "status": ActionStatus.NOT_STARTED}
                )
        else:
            del self.fields["creation_key"]
            if not self.is_bound:
                self.initial.update(
                    {
                        "what": action.what,
                        "owner_officer": action.owner_officer_id,
                        "owner_name": action.owner_name,
                        "owner_agency": action.owner_agency_id
                        if not action.owner_officer_id
                        else None,
                        "due": action.due,
                        "measure": action.measure,
                        "status": action.status,
                        "version": action.version,
                    }
                )
        self.helper.layout = self.get_layout()

    def get_layout(self) -> Layout:
        hidden = [Field(name) for name in ("version", "creation_key") if name in self.fields]
        return Layout(
            Field.textarea("what", rows=3),
            Fieldset(
                Field.select("owner_officer"),
                HTML('<p class="govuk-body">If they are not on the portal:</p>'),
                Field.text("owner_name", field_width=Fluid.TWO_THIRDS),
                Field.select("owner_agency"),
                legend="Owner",
                legend_size=Size.SMALL,
            ),
            Field("due"),
            Field.textarea("measure", rows=3),
            Field.radios("status", inline=False),
            *hidden,
            Submit("submit", self.submit_label),
        )

    def answers(self) -> services.ActionAnswers:
        data = getattr(self, "cleaned_data", {})
        return services.ActionAnswers(
            what=data.get("what") or "",
            owner_officer=data.get("owner_officer"),
            owner_name=data.get("owner_name") or "",
            owner_agency=data.get("owner_agency"),
            due=data.get("due"),
            measure=data.get("measure") or "",
            status=data.get("status") or "",
        )


class RemoveActionForm(GovukForm):
    submit_label = "Remove the action"
    version = VersionField()

    def get_layout(self) -> Layout:
        return Layout(
            Field("version"), Submit("submit", self.submit_label, css_class="govuk-button--warning")
        )


class ReviewDateForm(GovukForm):
    """G24: the review meeting, no later than three months after this one."""

    submit_label = "Save the review date"
    review_date = date_field("Date of the review meeting", "date of the review meeting")
    version = VersionField()

    def get_layout(self) -> Layout:
        return Layout(Field("review_date"), Field("version"), Submit("submit", self.submit_label))


class SignUpForm(GovukForm):
    """G23: the attendee agrees to the plan they read (its version)."""

    submit_label = "I agree to this action plan"
    plan_version = VersionField()

    def get_layout(self) -> Layout:
        return Layout(Field("plan_version"), Submit("submit", self.submit_label))


class RecordAgreementForm(SignUpForm):
    submit_label = "Record that they agreed at the meeting"


class ProgressForm(GovukForm):
    """After finalising: the action's status now (G26)."""

    submit_label = "Record progress"
    status = _status_field("What is the action's status now?")
    note = text_field(
        PROGRESS_TEXT_FIELDS["note"],
        4,
        "Needed when it is done (how we know) or no longer needed (why).",
    )
    creation_key = FormKeyField()

    def __init__(self, *args: Any, action: Action, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.update({"creation_key": uuid.uuid4(), "status": action.status_now})

    def get_layout(self) -> Layout:
        return Layout(
            Field.radios("status"),
            Field.textarea("note", rows=4),
            Field("creation_key"),
            Submit("submit", self.submit_label),
        )


class ConveneReviewForm(GovukForm):
    submit_label = "Convene the review meeting"
    creation_key = FormKeyField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["creation_key"] = uuid.uuid4()

    def get_layout(self) -> Layout:
        return Layout(Field("creation_key"), Submit("submit", self.submit_label))


__all__ = [
    "ACTION_TEXT_FIELDS",
    "PROGRESS_TEXT_FIELDS",
    "ActionForm",
    "ConveneReviewForm",
    "ProgressForm",
    "RecordAgreementForm",
    "RemoveActionForm",
    "ReviewDateForm",
    "SignUpForm",
]
