"""Forms of the CSE1 referral itself: its details, a child not yet identified, its places, and
sending it. What the details must say is the service's rule (`details_problems`)."""

from __future__ import annotations

import uuid
from typing import Any

from crispy_forms_gds.layout import Field, Fieldset, Fixed, Fluid, Layout, Size, Submit
from django import forms
from django.urls import reverse
from django.utils.html import format_html

from cse_portal.forms import MAX_TEXT, GovukForm
from cse_portal.models import Child, Gender, LocalAuthority
from referrals.forms.common import (
    RevealingRadios,
    hidden_key,
    hidden_version,
    name_the_fields,
    radios,
    whole_number,
)
from referrals.models import Consent, LawfulBasis, Referral, YesNoNotKnown
from referrals.services import DETAIL_FIELDS, PLACE_FIELDS

# The free text of each form that the language prompt (G38) reads after a save.
DETAIL_TEXT_FIELDS = {
    "basis_of_concern": "What is the concern?",
    "parents_not_informed_reason": "Why have the parents or carers not been told?",
    "lawful_basis_detail": "Explain the lawful basis",
    "placement_details": "Placement",
    "other_agencies": "Other agencies involved",
}


def _text(name: str, rows: int, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=DETAIL_TEXT_FIELDS[name],
        help_text=help_text,
        required=False,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _required_radios(label: str, choices: Any, message: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        error_messages={"required": message, "invalid_choice": message},
        **radios(choices),
    )


class ReferralDetailsForm(GovukForm):
    """Page one of the CSE1 form: the concern, what the family knows, consent and sharing,
    care status and the other agencies involved. A plain form: the service writes the
    referral, so no model validation runs here."""

    submit_label = "Save and continue"

    basis_of_concern = _text(
        "basis_of_concern",
        8,
        "What you have seen or been told, when, and by whom. Include what is known about "
        "anyone who may be exploiting or abusing the child.",
    )
    parents_know = _required_radios(
        "Do the parents or carers know about the concern?",
        YesNoNotKnown.choices,
        "Select whether the parents or carers know about the concern",
    )
    parents_not_informed_reason = _text(
        "parents_not_informed_reason",
        3,
        "A decision not to tell the parents or carers must be recorded with the reasons, for "
        "example telling them would put the child at greater risk.",
    )
    young_person_knows = _required_radios(
        "Does the young person know about this referral?",
        YesNoNotKnown.choices,
        "Select whether the young person knows about this referral",
    )
    young_person_consents = _required_radios(
        "Does the young person agree to the referral?",
        Consent.choices,
        "Select whether the young person agrees to the referral",
    )
    lawful_basis = forms.ChoiceField(
        label="Lawful basis for sharing without the young person's agreement",
        help_text=(
            "Needed when the young person does not agree or has not been asked. Sharing "
            "to protect a child from harm does not need their agreement."
        ),
        required=False,
        error_messages={
            "invalid_choice": (
                "Select the lawful basis for sharing information without the young person's "
                "agreement"
            )
        },
        **radios(LawfulBasis.choices),
    )
    lawful_basis_detail = _text(
        "lawful_basis_detail", 3, "Which basis it is, and why it applies to this referral."
    )
    looked_after_confirmed = forms.BooleanField(
        label="I have checked the child's looked-after status", required=False
    )
    placement_details = _text(
        "placement_details",
        3,
        "For a child in care: the type of placement, the carers and where it is, if known.",
    )
    other_agencies = _text(
        "other_agencies", 3, "Agencies and services already working with the child or family."
    )
    # A hidden key ties a POST to the form it came from: posting the same form twice starts
    # one referral, not two.
    creation_key = hidden_key()
    version = hidden_version()
    # What the messages call each text answer (GOV.UK: name the field).
    names = {
        "basis_of_concern": "The concern",
        "parents_not_informed_reason": "The reason the parents or carers have not been told",
        "lawful_basis_detail": "The explanation of the lawful basis",
        "placement_details": "The placement details",
        "other_agencies": "The other agencies involved",
    }

    def __init__(
        self, *args: Any, child: Child, referral: Referral | None = None, **kwargs: Any
    ) -> None:
        if referral is not None:
            kwargs["initial"] = {
                **{name: getattr(referral, name) for name in DETAIL_FIELDS},
                "version": referral.version,
            }
        super().__init__(*args, **kwargs)
        name_the_fields(self, self.names)
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
        if referral is None and not self.is_bound:
            self.fields["creation_key"].initial = uuid.uuid4()

    def get_layout(self) -> Layout:
        return Layout(
            Fieldset(
                Field.textarea("basis_of_concern", rows=8),
                legend="The concern",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                # The reason is asked when the parents have not been told (GOV.UK conditional
                # reveal: radios with a reveal are stacked, never inline).
                RevealingRadios(
                    "parents_know",
                    {YesNoNotKnown.NO: [Field.textarea("parents_not_informed_reason", rows=3)]},
                ),
                legend="The family",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.radios("young_person_knows", inline=True),
                Field.radios("young_person_consents"),
                # Asked when the young person has not agreed: two of the three answers need
                # it, and a GOV.UK reveal belongs to one answer, so the page's style sheet
                # shows it (templates/referrals/form.html), not a reveal. Its own follow-up
                # is a reveal.
                RevealingRadios(
                    "lawful_basis",
                    {LawfulBasis.OTHER: [Field.textarea("lawful_basis_detail", rows=3)]},
                    css_class="app-lawful-basis",
                ),
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

    # Each follow-up question, the question it follows and the answers that ask it. The page
    # hides a follow-up until then, and the service does not keep it otherwise.
    FOLLOW_UPS = (
        ("parents_not_informed_reason", "parents_know", {YesNoNotKnown.NO}),
        ("lawful_basis", "young_person_consents", {Consent.REFUSED, Consent.NOT_ASKED}),
        ("lawful_basis_detail", "lawful_basis", {LawfulBasis.OTHER}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for follow_up, question, asking in self.FOLLOW_UPS:
            if data.get(question) not in asking:
                # Hidden on the page and not kept: its input is nobody's problem, and the
                # error summary never links to a field that cannot be seen.
                self.errors.pop(follow_up, None)
                data[follow_up] = ""
        return data

    def details(self) -> dict[str, Any]:
        """The details the service writes (those whose input converted)."""
        return {name: self.cleaned_data.get(name) for name in DETAIL_FIELDS}


class UnidentifiedChildForm(GovukForm):
    """What is known about a child whose identity is not yet known (G10)."""

    submit_label = "Continue to the referral"

    creation_key = hidden_key()
    description = forms.CharField(
        label="What is known about the child",
        help_text="Appearance, clothing, how they were seen, what they said about themselves.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Describe what is known about the child"},
    )
    known_as = forms.CharField(
        label="Names or nicknames the child uses (optional)", max_length=200, required=False
    )
    approximate_age = whole_number(
        "Approximate age in years (optional)",
        name="Approximate age",
        example=14,
        largest=17,
        too_large=(
            "The child must be under 18: this portal records children and young people "
            "under 18, as the guidance covers. Enter an approximate age from 0 to 17"
        ),
    )
    gender = forms.ChoiceField(
        label="Gender",
        choices=Gender.choices,
        widget=forms.RadioSelect,
        initial=Gender.NOT_KNOWN,
        error_messages={
            "required": "Select the child's gender, or ‘Not known’",
            "invalid_choice": "Select the child's gender, or ‘Not known’",
        },
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
        error_messages={
            "required": "Select the local authority where the child was seen",
            "invalid_choice": "Select the local authority where the child was seen",
        },
    )
    names = {
        "description": "What is known about the child",
        "known_as": "The names or nicknames the child uses",
        "places": "The places the child has been seen",
        "associates": "The people the child has been seen with",
    }
    # Saved together as the child's description (`child_data`), in this order.
    JOINED = ("description", "places", "associates")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        name_the_fields(self, self.names)
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

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if all(name in data for name in self.JOINED):
            # The child's record is edited later with the same cap as every text answer, so
            # a record is never made that its own edit page would refuse.
            excess = len(self.joined_description(data)) - MAX_TEXT
            if excess > 0:
                longest = max(self.JOINED, key=lambda name: len(data[name]))
                self.add_error(
                    longest,
                    "What is known about the child, the places and the people they have been "
                    f"seen with are saved together, in at most {MAX_TEXT:,} characters: "
                    f"shorten them by {excess:,} characters",
                )
        return data

    @staticmethod
    def joined_description(data: dict[str, Any]) -> str:
        parts = [data["description"].strip()]
        if data.get("places", "").strip():
            parts.append(f"Places seen: {data['places'].strip()}")
        if data.get("associates", "").strip():
            parts.append(f"Seen with: {data['associates'].strip()}")
        return "\n\n".join(parts)

    def child_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "description": self.joined_description(data),
            "known_as": data.get("known_as", "").strip(),
            "approximate_age": data.get("approximate_age"),
            "gender": data["gender"],
            "home_authority": data["home_authority"],
        }


class PlaceForm(GovukForm):
    """A place of concern. What it must name is the service's rule (`place_problems`)."""

    submit_label = "Add place"

    # Posting the same form twice adds the place once.
    creation_key = hidden_key()
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

    names = {
        "name": "The name of the place",
        "address": "The address or location",
        "description": "Why the place is a concern",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        name_the_fields(self, self.names)
        if not self.is_bound:
            self.fields["creation_key"].initial = uuid.uuid4()

    def get_layout(self) -> Layout:
        return Layout(
            Field.text("name", field_width=Fluid.TWO_THIRDS),
            Field.textarea("address", rows=2),
            Field.textarea("description", rows=3),
            Field("creation_key"),
            Submit("submit", self.submit_label),
        )

    def place_data(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name, "") for name in PLACE_FIELDS}


class SubmitForm(GovukForm):
    """Sending the referral. The hidden key makes a repeated POST harmless."""

    submit_label = "Send referral to children's social care"
    submission_key = forms.UUIDField(widget=forms.HiddenInput)
    # The form has no visible field: its errors link to the button (the page may point them
    # at "Complete the referral" instead).
    error_summary_target = "submit-id-submit"

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
