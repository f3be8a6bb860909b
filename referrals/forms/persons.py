"""The form of a person of concern. What a person's details must say is the service's rule
(`referrals.services.person_problems`); the form converts the date and the age."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from crispy_forms_gds.layout import Field, Fixed, Fluid, Layout, Submit
from django import forms
from django.utils import timezone

from cse_portal.forms import GovukForm
from referrals.forms.common import (
    RealDateField,
    hidden_key,
    hidden_version,
    name_the_fields,
    whole_number,
)
from referrals.models import PersonLink
from referrals.services import PERSON_FIELDS, normalise_registration


def _text(label: str, rows: int, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class PersonOfConcernForm(GovukForm):
    """A person of concern: an adult or a child, named or not. A plain form: the service
    writes the person, so no model validation runs here."""

    submit_label = "Save person"

    full_name = forms.CharField(
        label="Full name (if known)",
        help_text="Leave blank if you do not know the person's name.",
        max_length=200,
        required=False,
    )
    nicknames = forms.CharField(
        label="Nicknames or other names (optional)", max_length=300, required=False
    )
    date_of_birth = RealDateField(
        name="Date of birth",
        example="27 3 1990",
        label="Date of birth (optional)",
        required=False,
        help_text="For example, 27 3 1990",
    )
    approximate_age = whole_number(
        "Approximate age in years (optional)", name="Approximate age", example=35, largest=120
    )
    description = _text(
        "Description (optional)",
        4,
        "Appearance, age range, where they are seen, anything distinctive.",
    )
    phone_numbers = _text("Phone numbers (optional)", 2)
    vehicles = _text("Vehicles (optional)", 2, "Make, model, colour and registration, if known.")
    vehicle_registrations = forms.CharField(
        label="Vehicle registrations (optional)",
        help_text=(
            "Separate several with commas, for example AB12 CDE, XY70 ZZZ. The same "
            "registration on another person or child is shown on the child's record."
        ),
        max_length=200,
        required=False,
    )
    addresses = _text("Addresses (optional)", 3)
    relationship_to_child = forms.CharField(
        label="How is the person connected to the child? (optional)",
        help_text=(
            "For example: an adult who collects the child from school. If the child calls "
            "them a boyfriend or girlfriend, you can say so and quote the child."
        ),
        max_length=300,
        required=False,
    )
    # A new person: posting the same form twice adds them once. A change: the version of the
    # person the form was opened at, so a save never overwrites someone else's.
    creation_key = hidden_key()
    version = hidden_version()
    names = {
        "full_name": "The full name",
        "nicknames": "The nicknames or other names",
        "description": "The description",
        "phone_numbers": "The phone numbers",
        "vehicles": "The vehicles",
        "vehicle_registrations": "The vehicle registrations",
        "addresses": "The addresses",
        "relationship_to_child": "How the person is connected to the child",
    }

    def __init__(self, *args: Any, link: PersonLink | None = None, **kwargs: Any) -> None:
        if link is not None:
            person = link.person
            kwargs["initial"] = {
                **{name: getattr(person, name) for name in PERSON_FIELDS},
                # Today's figure of an estimate ("about 30" five years ago is about 35 now).
                "approximate_age": person.age if person.approximate_age is not None else None,
                "vehicle_registrations": ", ".join(person.vehicle_registrations),
                "relationship_to_child": link.relationship_to_child,
                "version": person.version,
            }
        super().__init__(*args, **kwargs)
        name_the_fields(self, self.names)
        if link is None and not self.is_bound:
            self.fields["creation_key"].initial = uuid.uuid4()

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
            Field.text("vehicle_registrations", field_width=Fluid.TWO_THIRDS),
            Field.textarea("addresses", rows=3),
            Field("creation_key"),
            Field("version"),
            Submit("submit", self.submit_label),
        )

    def clean_vehicle_registrations(self) -> list[str]:
        """Upper case, letters and digits only, each once: "ab12 cde" is "AB12CDE"."""
        text = self.cleaned_data.get("vehicle_registrations") or ""
        found: list[str] = []
        for part in text.split(","):
            reg = normalise_registration(part)
            if not reg:
                continue
            if len(reg) > 8:
                raise forms.ValidationError(
                    "Enter each vehicle registration in 8 letters and numbers or fewer, "
                    "separated by commas"
                )
            if reg not in found:
                found.append(reg)
        return found

    def clean_date_of_birth(self) -> date | None:
        dob: date | None = self.cleaned_data.get("date_of_birth")
        if dob is None:
            return None
        today = timezone.localdate()
        if dob > today:
            raise forms.ValidationError("Date of birth must be today or in the past")
        if today.year - dob.year > 120:
            raise forms.ValidationError("Date of birth must be in the last 120 years")
        return dob

    def person_data(self) -> dict[str, Any]:
        """The person's details the service writes (those whose input converted)."""
        return {name: self.cleaned_data.get(name) for name in PERSON_FIELDS}
