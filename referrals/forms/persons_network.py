"""Forms of persons of concern across children: choosing a person already known, merging
two records, and a disruption action with its addenda. They convert input; the rules are the
services' (`referrals.services.persons_network`)."""

from __future__ import annotations

import uuid
from typing import Any

from crispy_forms_gds.layout import Field, Fluid, Layout, Size, Submit
from django import forms
from django.db.models import QuerySet

from cse_portal.forms import FormKeyField, GovukForm, SafeDateField
from referrals.models import DisruptionKind, PersonOfConcern

# A person's records are seen by every agency working with any child linked to them, some of
# whom may not see the others' records.
NOT_NAMING_CHILDREN = (
    "Every agency working with a child linked to this person can read this. Do not name or "
    "describe a child here."
)

# The free text the language prompt (G38) reads after a save, name → label.
DISRUPTION_TEXT_FIELDS = {"outcome": "Outcome", "note": "Note"}
ADDENDUM_TEXT_FIELDS = {"text": "Correction or addition"}
MERGE_TEXT_FIELDS = {"reason": "Why are these records the same person?"}


class PersonSearchForm(GovukForm):
    """A name or nickname to look for among the persons the officer's agency may see."""

    submit_label = "Search"
    q = forms.CharField(
        label="Name or nickname",
        help_text="Only persons already linked to children your agency works with are found.",
        max_length=100,
        required=False,
    )

    def get_layout(self) -> Layout:
        return Layout(Field.text("q", field_width=Fluid.TWO_THIRDS), Submit("search", "Search"))

    def text(self) -> str:
        return str(self.cleaned_data.get("q") or "") if self.is_valid() else ""


class _PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        person: PersonOfConcern = obj
        parts = [person.display_name]
        if person.full_name and person.nicknames:
            parts.append(f"known as {person.nicknames}")
        if person.age is not None:
            parts.append(f"age {'about ' if person.date_of_birth is None else ''}{person.age}")
        return ", ".join(parts)


class PickPersonForm(GovukForm):
    """Name, in a draft referral, a person found by the search."""

    submit_label = "Add this person to the referral"
    person = _PersonChoice(
        PersonOfConcern.objects.none(),
        label="Which person is it?",
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Select the person",
            "invalid_choice": "Select a person from the list",
        },
    )
    relationship_to_child = forms.CharField(
        label="How is the person connected to the child? (optional)",
        max_length=300,
        required=False,
    )

    def __init__(self, *args: Any, offered: QuerySet[PersonOfConcern], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = offered

    def get_layout(self) -> Layout:
        return Layout(
            Field.radios("person", legend_size=Size.MEDIUM),
            Field.text("relationship_to_child", field_width=Fluid.FULL),
            Submit("submit", self.submit_label),
        )


class MergeForm(GovukForm):
    """Two records of the same person: which one is kept, and why they are the same."""

    submit_label = "Merge the records"
    other = _PersonChoice(
        PersonOfConcern.objects.none(),
        label="Which record is the same person?",
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Select the record that is the same person",
            "invalid_choice": "Select a record from the list",
        },
    )
    keep = forms.ChoiceField(
        label="Which record should be kept?",
        help_text="The other record is kept too, marked as merged, so nothing is lost.",
        choices=[("this", "This record"), ("other", "The record selected above")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select which record should be kept"},
    )
    reason = forms.CharField(
        label="Why are these records the same person?",
        max_length=2000,
        help_text=NOT_NAMING_CHILDREN,
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args: Any, offered: QuerySet[PersonOfConcern], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["other"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = offered

    def get_layout(self) -> Layout:
        return Layout(
            Field.radios("other", legend_size=Size.MEDIUM),
            Field.radios("keep", legend_size=Size.SMALL),
            Field.textarea("reason", rows=3),
            Submit("submit", self.submit_label),
        )


class DisruptionForm(GovukForm):
    """A disruption action against a person (G32): recorded once, then fixed."""

    submit_label = "Record the action"
    kind = forms.ChoiceField(
        label="What action was taken?",
        choices=DisruptionKind.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    other_kind = forms.CharField(
        label="If other: what was the action?", max_length=200, required=False
    )
    action_date = SafeDateField(
        label="Date of the action",
        noun="date of the action",
        help_text="For example, 27 3 2026",
        required=False,
    )
    outcome = forms.CharField(
        label="Outcome (optional)",
        help_text="For example: notice served in person; order granted; no further action.",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    note = forms.CharField(
        label="Note (optional)",
        help_text=NOT_NAMING_CHILDREN,
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    creation_key = FormKeyField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["creation_key"].initial = uuid.uuid4()

    def get_layout(self) -> Layout:
        return Layout(
            Field.radios("kind", legend_size=Size.MEDIUM),
            Field.text("other_kind", field_width=Fluid.TWO_THIRDS),
            Field("action_date"),
            Field.textarea("outcome", rows=3),
            Field.textarea("note", rows=4),
            Field("creation_key"),
            Submit("submit", self.submit_label),
        )

    def answers(self) -> dict[str, Any]:
        data = getattr(self, "cleaned_data", {})
        return {n: data.get(n) for n in ("kind", "other_kind", "action_date", "outcome", "note")}


class DisruptionAddendumForm(GovukForm):
    submit_label = "Add the addendum"
    text = forms.CharField(
        label="Correction or addition",
        max_length=5000,
        help_text=(
            "The action stays as it was recorded; this is added beneath it, with your name. "
            + NOT_NAMING_CHILDREN
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    creation_key = FormKeyField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["creation_key"].initial = uuid.uuid4()

    def get_layout(self) -> Layout:
        return Layout(
            Field.textarea("text", rows=4),
            Field("creation_key"),
            Submit("submit", self.submit_label),
        )
