"""Forms closing and reopening a child's CSE case: the reason (GOV.UK radios) and a note. What
the answers must be (a reason; a note when it is "Other") is the service's rule
(`referrals.services.case_status.*_problems`), shown on these fields by the view."""

from __future__ import annotations

import uuid
from typing import Any

from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

from cse_portal.forms import FormKeyField, GovukForm
from referrals.forms.common import hidden_version
from referrals.models import ClosureReason, ReopenReason

# The free text the language prompt (G38) reads after a save, name → label.
CLOSE_TEXT_FIELDS = {"note": "Note on the closure"}
REOPEN_TEXT_FIELDS = {"note": "Note on the reopening"}


class _CaseReasonForm(GovukForm):
    """A reason (radios) and a note, then the hidden field that ties the POST to its page."""

    submit_label = ""
    hidden_field = ""

    def get_layout(self) -> Layout:
        return Layout(
            Field.radios("reason", legend_size=Size.MEDIUM),
            Field.textarea("note", rows=4),
            Field(self.hidden_field),
            Submit("submit", self.submit_label),
        )

    def answers(self) -> dict[str, Any]:
        data = getattr(self, "cleaned_data", {})
        return {"reason": data.get("reason") or "", "note": data.get("note") or ""}


def _note(help_text: str) -> forms.CharField:
    return forms.CharField(
        label="Note (required if you select Other)",
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )


class CloseCaseForm(_CaseReasonForm):
    submit_label = "Close the case"
    hidden_field = "creation_key"

    reason = forms.ChoiceField(
        label="Why is the case being closed?",
        choices=ClosureReason.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    note = _note(
        "What was agreed, by whom and when: for example the strategy meeting that "
        "agreed no further action, or the authority the case was transferred to."
    )
    creation_key = FormKeyField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["creation_key"].initial = uuid.uuid4()


class ReopenCaseForm(_CaseReasonForm):
    submit_label = "Reopen the case"
    hidden_field = "closure"

    reason = forms.ChoiceField(
        label="Why is the case being reopened?",
        choices=ReopenReason.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    note = _note(
        "What has changed: for example the referral received, or the information "
        "that shows the child may be at risk."
    )
    # The closure the page showed: a reopening of another one (reopened and closed again
    # since) is refused rather than applied to a closure the officer did not see.
    closure = hidden_version()
