"""Forms of inviting an agency and a person, removing an invitation and declining one."""

from __future__ import annotations

import uuid
from typing import Any, cast

from crispy_forms_gds.layout import Field, Fluid, Layout, Submit
from django import forms

from cse_portal.forms import FormKeyField, GovukForm
from cse_portal.models import Agency, Officer
from referrals.forms.common import OfferedOfficerField
from strategy_meetings import selectors, services
from strategy_meetings.forms.common import text_field
from strategy_meetings.models import Meeting


class _AgencyChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Agency) -> str:
        return f"{obj.name} ({obj.get_kind_display()}, {obj.local_authority})"


class ChooseAgencyForm(GovukForm):
    """Step one: the agency (sent by GET, so step two can offer its officers)."""

    submit_label = "Continue"
    agency = _AgencyChoice(
        queryset=Agency.objects.none(),
        label="Which agency are you inviting?",
        empty_label="Select an agency",
        required=False,
        error_messages={"invalid_choice": "Select an agency from the list"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(_AgencyChoice, self.fields["agency"]).queryset = selectors.invitable_agencies()

    def get_layout(self) -> Layout:
        return Layout(Field.select("agency"), Submit("submit", self.submit_label))


class _PersonChoice(OfferedOfficerField):
    def label_from_instance(self, obj: Officer) -> str:
        role = obj.job_title or obj.get_role_display()
        return f"{obj} — {role}"


class InviteForm(GovukForm):
    """Step two: a person of the agency, or someone not on the portal by name."""

    submit_label = "Send invitation"
    officer = _PersonChoice(
        Officer.objects.none(),
        label="Who are you inviting?",
        empty_label="Someone not on the portal (enter their name below)",
    )
    person_name = forms.CharField(
        label="Name, if they are not on the portal", max_length=200, required=False
    )
    role = forms.CharField(
        label="Their role (optional)",
        help_text="For example, designated safeguarding lead.",
        max_length=150,
        required=False,
    )
    is_iro = forms.BooleanField(
        label="They are the child's independent reviewing officer (IRO)", required=False
    )
    creation_key = FormKeyField()

    def __init__(self, *args: Any, agency: Agency, meeting: Meeting, **kwargs: Any) -> None:
        self.invited_agency = agency
        super().__init__(*args, **kwargs)
        cast(_PersonChoice, self.fields["officer"]).queryset = selectors.invitable_officers(
            agency, meeting
        )
        if not meeting.child_looked_after:
            del self.fields["is_iro"]
        if not self.is_bound:
            self.fields["creation_key"].initial = uuid.uuid4()
        self.helper.layout = self.get_layout()

    def get_layout(self) -> Layout:
        parts: list[Any] = [
            Field.select("officer"),
            Field.text("person_name", field_width=Fluid.TWO_THIRDS),
            Field.text("role", field_width=Fluid.TWO_THIRDS),
        ]
        if "is_iro" in self.fields:
            parts.append(Field.checkbox("is_iro"))
        return Layout(*parts, Field("creation_key"), Submit("submit", self.submit_label))

    def invitee(self) -> services.Invitee:
        data = getattr(self, "cleaned_data", {})
        return services.Invitee(
            agency=self.invited_agency,
            officer=data.get("officer"),
            person_name=data.get("person_name") or "",
            role=data.get("role") or "",
            is_iro=bool(data.get("is_iro")),
        )


class RemoveForm(GovukForm):
    submit_label = "Remove from the meeting"
    reason = text_field(
        "Why is this person no longer invited?",
        3,
        "Their agency's access to the child's record through this invitation ends, unless "
        "it is involved for another reason.",
    )

    def get_layout(self) -> Layout:
        return Layout(Field.textarea("reason", rows=3), Submit("submit", self.submit_label))


class DeclineForm(GovukForm):
    submit_label = "Decline the invitation"
    reason = text_field("Why can you not attend? (optional)", 3, "The chair sees this.")

    def get_layout(self) -> Layout:
        return Layout(Field.textarea("reason", rows=3), Submit("submit", self.submit_label))
