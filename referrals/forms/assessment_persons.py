"""Forms of the persons of concern a draft risk assessment names: a new person (the referral's
person form), a person already known (the referral's picker), and the person's connection to
the child. The rules are the services' (`referrals.services.assessment_persons`)."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.layout import Field, Fluid, Layout, Submit
from django import forms

from cse_portal.forms import GovukForm
from referrals.forms.common import hidden_version, name_the_fields
from referrals.forms.persons import PersonOfConcernForm
from referrals.forms.persons_network import PickPersonForm
from referrals.models import PersonLink

CONNECTION_LABEL = "How is the person connected to the child? (optional)"


class AssessmentPersonForm(PersonOfConcernForm):
    """A new person of concern named in the assessment: the same fields and rules as on a
    referral."""

    submit_label = "Add person"


class AssessmentPickPersonForm(PickPersonForm):
    submit_label = "Add this person to the assessment"


class PersonConnectionForm(GovukForm):
    """How a person named in a draft assessment is connected to the child, with the version
    of the draft the form was opened at (optimistic locking)."""

    submit_label = "Save"
    relationship_to_child = forms.CharField(
        label=CONNECTION_LABEL,
        help_text=(
            "For example: an adult who collects the child from school. If the child calls "
            "them a boyfriend or girlfriend, you can say so and quote the child."
        ),
        max_length=300,
        required=False,
    )
    version = hidden_version()

    def __init__(self, *args: Any, link: PersonLink, version: int, **kwargs: Any) -> None:
        kwargs["initial"] = {
            "relationship_to_child": link.relationship_to_child,
            "version": version,
        }
        super().__init__(*args, **kwargs)
        name_the_fields(self, {"relationship_to_child": "How the person is connected to the child"})

    def get_layout(self) -> Layout:
        return Layout(
            Field.text("relationship_to_child", field_width=Fluid.FULL),
            Field("version"),
            Submit("submit", self.submit_label),
        )
