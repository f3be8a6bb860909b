"""Forms of the referral pathway. They validate and convert; the services decide."""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime, time
from typing import Any

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.layout import Field, Fieldset, Fixed, Fluid, Layout, Size, Submit
from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from cse_portal.forms import GovukForm, GovukModelForm
from cse_portal.models import Child, Gender, LocalAuthority, Officer
from cse_portal.working_days import LONDON
from referrals.models import (
    Consent,
    InformMethod,
    LawfulBasis,
    Outcome,
    PersonOfConcern,
    Referral,
    YesNoNotKnown,
)
from referrals.services import DECIDING_ROLES, DETAIL_FIELDS

# The free text of each form that the language prompt (G38) reads after a save.
DETAIL_TEXT_FIELDS = {
    "basis_of_concern": "What is the concern?",
    "parents_not_informed_reason": "Why have the parents or carers not been told?",
    "lawful_basis_detail": "Explain the lawful basis",
    "placement_details": "Placement",
    "other_agencies": "Other agencies involved",
}


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


def _radios(choices: Any) -> dict[str, Any]:
    return {"choices": choices, "widget": forms.RadioSelect}


class ReferralDetailsForm(GovukModelForm):
    """Page one of the CSE1 form: the concern, what the family knows, consent and sharing,
    care status and the other agencies involved."""

    submit_label = "Save and continue"

    # A hidden key ties a POST to the form it came from: posting the same form twice starts
    # one referral, not two.
    creation_key = forms.UUIDField(widget=forms.HiddenInput, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Referral
        fields = list(DETAIL_FIELDS)  # the fields the service lets a draft's form write
        labels = {
            "basis_of_concern": DETAIL_TEXT_FIELDS["basis_of_concern"],
            "parents_know": "Do the parents or carers know about the concern?",
            "parents_not_informed_reason": DETAIL_TEXT_FIELDS["parents_not_informed_reason"],
            "young_person_knows": "Does the young person know about this referral?",
            "young_person_consents": "Does the young person agree to the referral?",
            "lawful_basis": "Lawful basis for sharing without the young person's agreement",
            "lawful_basis_detail": DETAIL_TEXT_FIELDS["lawful_basis_detail"],
            "looked_after_confirmed": "I have checked the child's looked-after status",
            "placement_details": DETAIL_TEXT_FIELDS["placement_details"],
            "other_agencies": DETAIL_TEXT_FIELDS["other_agencies"],
        }
        help_texts = {
            "basis_of_concern": (
                "What you have seen or been told, when, and by whom. Include what is known "
                "about anyone who may be exploiting or abusing the child."
            ),
            "parents_not_informed_reason": (
                "A decision not to tell the parents or carers must be recorded with the reasons, "
                "for example telling them would put the child at greater risk."
            ),
            "lawful_basis_detail": "Needed when you choose 'Another basis'; optional otherwise.",
            "placement_details": (
                "For a child in care: the type of placement, the carers and where it is, if known."
            ),
            "other_agencies": "Agencies and services already working with the child or family.",
        }
        widgets = {
            "basis_of_concern": forms.Textarea(attrs={"rows": 8}),
            "parents_not_informed_reason": forms.Textarea(attrs={"rows": 3}),
            "lawful_basis_detail": forms.Textarea(attrs={"rows": 3}),
            "placement_details": forms.Textarea(attrs={"rows": 3}),
            "other_agencies": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, child: Child, **kwargs: Any) -> None:
        self.child = child
        super().__init__(*args, **kwargs)
        self.fields["basis_of_concern"].required = True
        self.fields["basis_of_concern"].error_messages["required"] = (
            "Describe the concern: why you are making this referral"
        )
        required_radios = {
            "parents_know": (
                YesNoNotKnown.choices,
                "Select whether the parents or carers know about the concern",
            ),
            "young_person_knows": (
                YesNoNotKnown.choices,
                "Select whether the young person knows about this referral",
            ),
            "young_person_consents": (
                Consent.choices,
                "Select whether the young person agrees to the referral",
            ),
        }
        for name, (choices, message) in required_radios.items():
            self.fields[name] = forms.ChoiceField(
                label=self.fields[name].label,
                error_messages={"required": message, "invalid_choice": message},
                **_radios(choices),
            )
        self.fields["lawful_basis"] = forms.ChoiceField(
            label=self.fields["lawful_basis"].label,
            help_text=(
                "Needed when the young person does not agree or has not been asked. Sharing "
                "to protect a child from harm does not need their agreement."
            ),
            required=False,
            error_messages={"invalid_choice": "Select a lawful basis from the list"},
            **_radios(LawfulBasis.choices),
        )
        self.fields["looked_after_confirmed"].required = False
        # Read from the child's record and shown for the referrer to confirm. Help text is
        # rendered unescaped by the GOV.UK templates, so it is built with format_html.
        host = child.host_authority
        self.fields["looked_after_confirmed"].help_text = format_html(
            "The child's record says: <strong>{}</strong>{}. If this is wrong, "
            '<a class="govuk-link" href="{}">correct the child\'s record</a> first.',
            child.get_looked_after_status_display(),
            format_html(", placed in {}", host) if host else "",
            reverse("children:edit", kwargs={"child_pk": child.pk}),
        )
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        elif not self.is_bound:
            self.fields["creation_key"].initial = uuid.uuid4()

    def get_layout(self) -> Layout:
        return Layout(
            Fieldset(
                Field.textarea("basis_of_concern", rows=8),
                legend="The concern",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.radios("parents_know", inline=True),
                Field.textarea("parents_not_informed_reason", rows=3),
                legend="The family",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.radios("young_person_knows", inline=True),
                Field.radios("young_person_consents"),
                Field.radios("lawful_basis"),
                Field.textarea("lawful_basis_detail", rows=3),
                legend="The young person's agreement and sharing information",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.checkbox("looked_after_confirmed"),
                Field.textarea("placement_details", rows=3),
                legend="Care and placement",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.textarea("other_agencies", rows=3),
                legend="Other agencies",
                legend_size=Size.MEDIUM,
            ),
            Field("creation_key"),
            Field("version"),
            Submit("submit", self.submit_label),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("parents_know") == YesNoNotKnown.NO
            and not (data.get("parents_not_informed_reason") or "").strip()
        ):
            self.add_error(
                "parents_not_informed_reason",
                "Give the reason the parents or carers have not been told",
            )
        consents = data.get("young_person_consents")
        if consents and consents != Consent.GIVEN and not data.get("lawful_basis"):
            self.add_error(
                "lawful_basis",
                "Select the lawful basis for sharing information without the young person's "
                "agreement",
            )
        if (
            data.get("lawful_basis") == LawfulBasis.OTHER
            and not (data.get("lawful_basis_detail") or "").strip()
        ):
            self.add_error("lawful_basis_detail", "Explain the lawful basis for sharing")
        return data

    def _post_clean(self) -> None:
        # The service validates and saves; the model's own validation would run the database
        # constraints early, with messages meant for developers.
        pass

    def details(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


class UnidentifiedChildForm(GovukForm):
    """What is known about a child whose identity is not yet known (G10)."""

    submit_label = "Continue to the referral"

    creation_key = forms.UUIDField(widget=forms.HiddenInput, required=False)
    description = forms.CharField(
        label="What is known about the child",
        help_text="Appearance, clothing, how they were seen, what they said about themselves.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Describe what is known about the child"},
    )
    known_as = forms.CharField(
        label="Names or nicknames the child uses (optional)", max_length=200, required=False
    )
    approximate_age = forms.IntegerField(
        label="Approximate age in years (optional)",
        required=False,
        min_value=0,
        error_messages={
            "invalid": "Enter the approximate age as a number, like 14",
            "min_value": "Enter an approximate age from 0 to 17",
        },
    )
    gender = forms.ChoiceField(
        label="Gender", choices=Gender.choices, widget=forms.RadioSelect, initial=Gender.NOT_KNOWN
    )
    places = forms.CharField(
        label="Places the child has been seen (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    associates = forms.CharField(
        label="People the child has been seen with (optional)",
        help_text="You can name persons of concern in detail on a later page.",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    home_authority = forms.ModelChoiceField(
        label="Local authority where the child was seen",
        help_text="The referral goes to this authority's children's social care.",
        queryset=LocalAuthority.objects.all(),
        empty_label="Select a local authority",
        error_messages={"required": "Select the local authority where the child was seen"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["creation_key"].initial = uuid.uuid4()

    def get_layout(self) -> Layout:
        return Layout(
            Field.textarea("description", rows=5),
            Field.text("known_as", field_width=Fluid.ONE_HALF),
            Field.text("approximate_age", field_width=Fixed.TWO),
            Field.radios("gender"),
            Field.textarea("places", rows=3),
            Field.textarea("associates", rows=3),
            Field.select("home_authority"),
            Field("creation_key"),
            Submit("submit", self.submit_label),
        )

    def clean_approximate_age(self) -> int | None:
        age: int | None = self.cleaned_data.get("approximate_age")
        if age is not None and age > 17:
            raise forms.ValidationError(
                "The child must be under 18: this portal records children and young people "
                "under 18, as the guidance covers. Enter an approximate age from 0 to 17"
            )
        return age

    def child_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        parts = [data["description"].strip()]
        if data.get("places", "").strip():
            parts.append(f"Places seen: {data['places'].strip()}")
        if data.get("associates", "").strip():
            parts.append(f"Seen with: {data['associates'].strip()}")
        return {
            "description": "\n\n".join(parts),
            "known_as": data.get("known_as", "").strip(),
            "approximate_age": data.get("approximate_age"),
            "gender": data["gender"],
            "home_authority": data["home_authority"],
        }


class PersonOfConcernForm(GovukModelForm):
    """A person of concern: an adult or a child, named or not."""

    submit_label = "Save person"

    date_of_birth = RealDateField(
        label="Date of birth (optional)", required=False, help_text="For example, 27 3 1990"
    )
    relationship_to_child = forms.CharField(
        label="How is the person connected to the child? (optional)",
        help_text=(
            "For example: an adult who collects the child from school. If the child calls "
            "them a boyfriend or girlfriend, you can say so and quote the child."
        ),
        max_length=300,
        required=False,
    )

    class Meta:
        model = PersonOfConcern
        fields = [
            "full_name",
            "nicknames",
            "date_of_birth",
            "approximate_age",
            "description",
            "phone_numbers",
            "vehicles",
            "addresses",
        ]
        labels = {
            "full_name": "Full name (if known)",
            "nicknames": "Nicknames or other names (optional)",
            "approximate_age": "Approximate age in years (optional)",
            "description": "Description (optional)",
            "phone_numbers": "Phone numbers (optional)",
            "vehicles": "Vehicles (optional)",
            "addresses": "Addresses (optional)",
        }
        help_texts = {
            "full_name": "Leave blank if you do not know the person's name.",
            "description": "Appearance, age range, where they are seen, anything distinctive.",
            "vehicles": "Make, model, colour and registration, if known.",
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "phone_numbers": forms.Textarea(attrs={"rows": 2}),
            "vehicles": forms.Textarea(attrs={"rows": 2}),
            "addresses": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["approximate_age"].error_messages.update(
            {"invalid": "Enter the approximate age as a number, like 35"}
        )

    def get_layout(self) -> Layout:
        return Layout(
            Field.text("full_name", field_width=Fluid.TWO_THIRDS),
            Field.text("nicknames", field_width=Fluid.TWO_THIRDS),
            Field("date_of_birth"),
            Field.text("approximate_age", field_width=Fixed.THREE),
            Field.textarea("description", rows=4),
            Field.text("relationship_to_child", field_width=Fluid.FULL),
            Field.textarea("phone_numbers", rows=2),
            Field.textarea("vehicles", rows=2),
            Field.textarea("addresses", rows=3),
            Submit("submit", self.submit_label),
        )

    def clean_date_of_birth(self) -> date | None:
        dob: date | None = self.cleaned_data.get("date_of_birth")
        if dob is None:
            return None
        today = timezone.localdate()
        if dob > today:
            raise forms.ValidationError("Date of birth must be today or in the past")
        if today.year - dob.year > 120:
            raise forms.ValidationError("Enter a date of birth in the last 120 years")
        return dob

    def clean_approximate_age(self) -> int | None:
        age: int | None = self.cleaned_data.get("approximate_age")
        if age is not None and age > 120:
            raise forms.ValidationError("Enter an approximate age from 0 to 120")
        return age

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any((data.get(f) or "").strip() for f in ("full_name", "nicknames", "description")):
            self.add_error(
                "full_name",
                "Enter the person's name, a name they are known by, or a description",
            )
        if data.get("date_of_birth") and data.get("approximate_age") is not None:
            self.add_error(
                "approximate_age", "Give either a date of birth or an approximate age, not both"
            )
        return data

    def _post_clean(self) -> None:
        # The service validates and saves the person; the form's model validation would
        # run the database constraints early, with messages meant for developers.
        pass

    def person_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


class PlaceForm(GovukForm):
    submit_label = "Add place"

    name = forms.CharField(
        label="Name of the place",
        max_length=200,
        required=False,
        help_text="For example, a park, a shop, a car park, a house.",
    )
    address = forms.CharField(
        label="Address or location (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    description = forms.CharField(
        label="Why it is a concern (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def get_layout(self) -> Layout:
        return Layout(
            Field.text("name", field_width=Fluid.TWO_THIRDS),
            Field.textarea("address", rows=2),
            Field.textarea("description", rows=3),
            Submit("submit", self.submit_label),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not ((data.get("name") or "").strip() or (data.get("address") or "").strip()):
            self.add_error("name", "Enter the name of the place or its address")
        return data


class SubmitForm(GovukForm):
    """Sending the referral. The hidden key makes a repeated POST harmless."""

    submit_label = "Send referral to children's social care"
    submission_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["submission_key"].initial = uuid.uuid4()
        self.fields["submission_key"].error_messages["required"] = (
            "Something went wrong with the form. Open the referral again and send it from there."
        )
        self.fields["submission_key"].error_messages["invalid"] = self.fields[
            "submission_key"
        ].error_messages["required"]

    def get_layout(self) -> Layout:
        return Layout(Field("submission_key"), Submit("submit", self.submit_label))


class AcknowledgementForm(GovukForm):
    submit_label = "Send acknowledgement to the referrer"

    message = forms.CharField(
        label="Confirmation to the referrer",
        help_text="Confirm that the referral has been received. The referrer sees this text.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the confirmation to send to the referrer"},
    )
    action_being_taken = forms.CharField(
        label="What action is being taken",
        help_text="For example: allocated to a social worker; a decision will be made by the "
        "time shown.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the action being taken about the referral"},
    )

    def get_layout(self) -> Layout:
        return Layout(
            Field.textarea("message", rows=4),
            Field.textarea("action_being_taken", rows=4),
            Submit("submit", self.submit_label),
        )


class DecisionForm(GovukForm):
    """Exactly one of the three decisions the guidance allows (G09)."""

    submit_label = "Record decision"

    outcome = forms.ChoiceField(
        label="Decision",
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the decision",
            "invalid_choice": "Select one of the three decisions",
        },
    )
    rationale = forms.CharField(
        label="Reasons for the decision",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter the reasons for the decision"},
    )
    decided_by = forms.ModelChoiceField(
        label="Social worker who made the decision",
        queryset=Officer.objects.none(),
        empty_label="Select the social worker",
        error_messages={
            "required": "Select the social worker who made the decision",
            "invalid_choice": "Select the social worker who made the decision",
        },
    )
    approved_by = forms.ModelChoiceField(
        label="Team manager who approved the decision",
        queryset=Officer.objects.none(),
        empty_label="Select the team manager",
        error_messages={
            "required": "Select the team manager who approved the decision",
            "invalid_choice": "Select the team manager who approved the decision",
        },
    )

    def __init__(self, *args: Any, referral: Referral, officer: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from referrals.selectors import csc_officers

        deciders = csc_officers(referral.to_agency_id, DECIDING_ROLES)
        self.fields["decided_by"].queryset = deciders  # type: ignore[attr-defined]
        self.fields["approved_by"].queryset = csc_officers(  # type: ignore[attr-defined]
            referral.to_agency_id, ("team_manager",)
        )
        if not self.is_bound and deciders.filter(pk=officer.pk).exists():
            self.fields["decided_by"].initial = officer.pk

    def clean_outcome(self) -> str:
        # Radios send one value; a crafted request with two would otherwise keep the last.
        getlist = getattr(self.data, "getlist", None)
        if getlist is not None and len(getlist(self.add_prefix("outcome"))) > 1:
            raise forms.ValidationError("Select only one decision")
        return str(self.cleaned_data["outcome"])

    def get_layout(self) -> Layout:
        return Layout(
            Field.radios("outcome", legend_size=Size.MEDIUM),
            Field.textarea("rationale", rows=6),
            Field.select("decided_by"),
            Field.select("approved_by"),
            Submit("submit", self.submit_label),
        )


_TIME = re.compile(r"^\s*([01]?\d|2[0-3])[:.]([0-5]\d)\s*$")


class LookedAfterNoticeForm(GovukForm):
    """G11: who was informed (team manager and IRO), when and how."""

    submit_label = "Record that they were informed"

    team_manager = forms.ModelChoiceField(
        label="Team manager informed",
        queryset=Officer.objects.none(),
        empty_label="Select the team manager",
        error_messages={
            "required": "Select the team manager you informed",
            "invalid_choice": "Select the team manager you informed",
        },
    )
    iro = forms.ModelChoiceField(
        label="Independent reviewing officer (IRO) informed",
        queryset=Officer.objects.none(),
        required=False,
        empty_label="Not listed — enter the name below",
        error_messages={"invalid_choice": "Select the IRO you informed"},
    )
    iro_name = forms.CharField(label="IRO's name, if not listed", max_length=200, required=False)
    informed_on = RealDateField(label="Date they were informed", help_text="For example, 27 3 2026")
    informed_time = forms.CharField(
        label="Time",
        max_length=5,
        help_text="Use the 24-hour clock, for example 14:30",
        error_messages={"required": "Enter the time, for example 14:30"},
    )
    method = forms.ChoiceField(
        label="How were they informed?",
        choices=InformMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how you informed them"},
    )
    detail = forms.CharField(
        label="Notes (optional)",
        help_text="For example, whether the LAC review will be brought forward.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, referral: Referral, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from referrals.selectors import csc_officers, iro_officers

        self.fields["team_manager"].queryset = csc_officers(  # type: ignore[attr-defined]
            referral.to_agency_id, ("team_manager",)
        )
        self.fields["iro"].queryset = iro_officers(referral)  # type: ignore[attr-defined]
        self.fields["informed_on"].error_messages.update(
            {
                "required": "Enter the date they were informed",
                "incomplete": "Enter the date they were informed",
            }
        )

    def get_layout(self) -> Layout:
        return Layout(
            Field.select("team_manager"),
            Field.select("iro"),
            Field.text("iro_name", field_width=Fluid.ONE_HALF),
            Field("informed_on"),
            Field.text("informed_time", field_width=Fixed.FIVE),
            Field.radios("method"),
            Field.textarea("detail", rows=3),
            Submit("submit", self.submit_label),
        )

    def clean_informed_time(self) -> time:
        match = _TIME.match(self.cleaned_data.get("informed_time") or "")
        if not match:
            raise forms.ValidationError("Enter the time using the 24-hour clock, like 14:30")
        return time(int(match.group(1)), int(match.group(2)))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("iro") and not (data.get("iro_name") or "").strip():
            self.add_error("iro", "Select the independent reviewing officer, or enter their name")
        day, at = data.get("informed_on"), data.get("informed_time")
        if isinstance(day, date) and isinstance(at, time):
            informed_at = datetime.combine(day, at, tzinfo=LONDON)
            if informed_at > timezone.now():
                self.add_error("informed_on", "The date and time must be now or in the past")
            data["informed_at"] = informed_at
        return data
