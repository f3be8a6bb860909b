"""Forms of the CSE2 risk assessment: starting one, the answers (one domain of the tool a page),
the assessor's judged level, asking for and adding contributions, and the information an
assessment of "not enough information" needs. They convert input; the rules are the
services' (`referrals.services.assessment*`), shown on these fields by the views."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any, cast

from crispy_forms_gds.layout import HTML, Button, Div, Field, Fieldset, Layout, Size
from django import forms
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from cse_portal.forms import MAX_TEXT, GovukForm, SafeDateField
from cse_portal.models import Agency, Officer
from referrals.assessment_progress import AnsweredIndicator
from referrals.forms.common import OfferedOfficerField
from referrals.models import Referral, ToolIndicator, ToolOutcome
from referrals.scoring import AnswerState
from referrals.services.assessment import AnswerInput, Judgement
from referrals.services.assessment_work import TaskInput

TOO_LONG = f"Enter {MAX_TEXT:,} characters or fewer"
SECTION_BREAK = (
    '<hr class="govuk-section-break govuk-section-break--m govuk-section-break--visible">'
)


def _html(text: str) -> SafeString:
    """Data as HTML: escaped, and braces neutralised (crispy renders HTML() as a template)."""
    escaped = str(escape(text)).replace("{", "&#123;").replace("}", "&#125;")
    return mark_safe(escaped)  # noqa: S308 — escaped just above


def _text(label: Any, *, rows: int = 4, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        required=False,
        max_length=MAX_TEXT,
        error_messages={"max_length": TOO_LONG},
    )


class _AssessmentForm(GovukForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.disable_csrf = True  # the template's <form> has the token


class _PassThroughChoice(forms.ChoiceField):
    """Radios passed on as given: whether one was chosen, and whether it is one of the tool's,
    is for the service to say, in one place."""

    def validate(self, value: Any) -> None:
        pass


# --- Starting -------------------------------------------------------------------------------

NOT_FROM_A_REFERRAL = "none"


class AssessmentStartForm(_AssessmentForm):
    """Whether the assessment starts from one of the child's sent referrals; a hidden key
    makes posting the form twice start one assessment."""

    referral = forms.ChoiceField(
        label="Does this assessment follow a referral?",
        help_text="Its indicators and concerns are shown beside the questions as you answer them.",
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Choose one of the referrals listed, or no referral"},
    )
    creation_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, referrals: list[Referral], **kwargs: Any) -> None:
        self.referrals = {str(r.pk): r for r in referrals}
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["referral"])
        field.choices = [
            *(
                (
                    str(r.pk),
                    f"Referral {r.reference} from {r.referring_agency}, sent "
                    f"{r.received_at:%d %B %Y}"
                    if r.received_at
                    else r.reference,
                )
                for r in referrals
            ),
            (NOT_FROM_A_REFERRAL, "No, not from a referral"),
        ]
        if not self.is_bound:
            self.fields["creation_key"].initial = uuid.uuid4()
        self.helper.layout = self.get_layout()

    def get_layout(self) -> Layout:
        parts: list[Any] = []
        if getattr(self, "referrals", None):
            parts.append(Field.radios("referral", legend_size=Size.MEDIUM))
        return Layout(*parts, Field("creation_key"), Button("start", "Start the assessment"))

    def chosen_referral(self) -> Referral | None:
        return self.referrals.get(str(self.cleaned_data.get("referral") or ""))


# --- Answers --------------------------------------------------------------------------------


def field_key(indicator: ToolIndicator) -> str:
    return indicator.form_key


def posted_items(
    items: list[AnsweredIndicator], data: Mapping[str, Any]
) -> list[AnsweredIndicator]:
    """The indicators `data` answers or notes: a domain's page posts that domain's, and the
    others are left as they are."""
    keys = ("answer_", "recency_", "note_")
    return [i for i in items if any(f"{k}{field_key(i.indicator)}" in data for k in keys)]


class AssessmentAnswersForm(_AssessmentForm):
    """Per indicator: present / not present / not known, how recently (the bands the tool
    gives it, asked plainly rather than as a conditional reveal: GOV.UK Frontend's reveal
    sets aria-expanded on a radio, which axe-core fails, govuk-frontend#979), and a note."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    domain = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)

    def __init__(
        self,
        *args: Any,
        items: list[AnsweredIndicator],
        domain: str = "",
        hints: Mapping[str, SafeString] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        self.hints = hints or {}
        self.fields["domain"].initial = domain
        for item in items:
            self._add_fields(item)
        self.helper.layout = self.get_layout()

    def _add_fields(self, item: AnsweredIndicator) -> None:
        key, text = field_key(item.indicator), escape(item.indicator.text)
        self.fields[f"answer_{key}"] = forms.ChoiceField(
            label=text,
            help_text=self.hints.get(item.indicator.code, ""),
            choices=AnswerState.choices,
            widget=forms.RadioSelect,
            required=False,
            error_messages={"invalid_choice": "Select present, not present or not known"},
        )
        if item.bands:
            self.fields[f"recency_{key}"] = forms.ChoiceField(
                label=mark_safe(  # noqa: S308 — the indicator text is escaped
                    f'If present, how recently?<span class="govuk-visually-hidden"> “{text}”</span>'
                ),
                choices=item.bands,
                widget=forms.RadioSelect,
                required=False,
                error_messages={"invalid_choice": "Select how recently, from the list"},
            )
        self.fields[f"note_{key}"] = forms.CharField(
            label=mark_safe(  # noqa: S308 — the indicator text is escaped
                f'Note<span class="govuk-visually-hidden"> on “{text}”</span> (optional)'
            ),
            widget=forms.Textarea(attrs={"rows": 2}),
            required=False,
            max_length=MAX_TEXT,
            error_messages={"max_length": TOO_LONG},
        )
        if item.answer is not None and not self.is_bound:
            self.initial.setdefault(f"answer_{key}", item.answer.state)
            self.initial.setdefault(f"recency_{key}", item.answer.recency)
            self.initial.setdefault(f"note_{key}", item.answer.note)

    def get_layout(self) -> Layout:
        parts: list[Any] = []
        for n, item in enumerate(getattr(self, "items", [])):
            key = field_key(item.indicator)
            if n:
                parts.append(HTML(SECTION_BREAK))
            parts.append(Field.radios(f"answer_{key}", inline=True, legend_size=Size.SMALL))
            if item.bands:
                parts.append(Field.radios(f"recency_{key}", small=True, inline=True))
            parts.append(Field.textarea(f"note_{key}", rows=2))
        return Layout(
            *parts,
            Field("version"),
            Field("domain"),
            Div(
                Button("continue", "Save and continue"),
                Button(
                    "save_draft", "Save and come back later", css_class="govuk-button--secondary"
                ),
                css_class="govuk-button-group",
            ),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # An answer to an indicator that is not on this page's tool (a tampered or stale form)
        # is an error the assessor sees, never silently dropped and never a 500.
        prefixes = ("answer_", "recency_", "note_")
        if any(k.startswith(prefixes) and k not in self.fields for k in self.data):
            raise forms.ValidationError(
                "The form included answers to indicators that are not in this assessment. "
                "Check your answers and save again."
            )
        return data

    def answer_inputs(self) -> dict[str, AnswerInput]:
        data = self.cleaned_data
        return {
            i.indicator.code: AnswerInput(
                state=data.get(f"answer_{field_key(i.indicator)}") or "",
                recency=data.get(f"recency_{field_key(i.indicator)}") or "",
                note=data.get(f"note_{field_key(i.indicator)}") or "",
            )
            for i in self.items
        }

    def note_labels(self) -> dict[str, str]:
        """The notes' labels for the language prompt (G38): the note, never the indicator."""
        return {
            f"note_{field_key(i.indicator)}": f"Note on “{i.indicator.text}”" for i in self.items
        }


# --- The judged level -----------------------------------------------------------------------


class JudgementForm(_AssessmentForm):
    """The assessor's judged level (G13) — the tool's outcomes, "not enough information"
    among them — with the reasons, which the service asks for where it differs."""

    judged_outcome = _PassThroughChoice(
        label="What level of risk do you judge?", widget=forms.RadioSelect, required=False
    )
    judgement_reason = _text(
        "Your reasons",
        rows=5,
        help_text="Required when the level you judge differs from the tool's suggestion. Say "
        "what you know that the indicators do not show.",
    )
    summary = _text(
        "What the assessment found (optional)",
        rows=5,
        help_text="The views of the practitioners involved, what the child says, what is "
        "changing. Every agency involved with the child sees this.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, outcomes: list[ToolOutcome], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["judged_outcome"])
        field.choices = [(o.code, o.label) for o in outcomes]
        self.error_summary_target = "id_judged_outcome_1"

    def get_layout(self) -> Layout:
        return Layout(
            Field.radios("judged_outcome", legend_size=Size.SMALL),
            Field.textarea("judgement_reason", rows=5),
            Field.textarea("summary", rows=5),
            Field("version"),
            Button("finalise", "Finalise the assessment"),
        )

    def judgement(self) -> Judgement:
        data = getattr(self, "cleaned_data", {})
        return Judgement(
            outcome=data.get("judged_outcome") or "",
            reason=data.get("judgement_reason") or "",
            summary=data.get("summary") or "",
        )


# --- Contributions --------------------------------------------------------------------------


class InviteForm(_AssessmentForm):
    agencies = forms.ModelMultipleChoiceField(
        label="Which agencies do you want to ask?",
        help_text="Their officers can then open this draft and add what their agency knows.",
        queryset=Agency.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": "Select agencies from the list"},
    )

    def __init__(self, *args: Any, agencies: list[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelMultipleChoiceField, self.fields["agencies"])
        field.queryset = Agency.objects.filter(pk__in=[a.pk for a in agencies]).order_by("name")

    def get_layout(self) -> Layout:
        return Layout(
            Field.checkboxes("agencies", legend_size=Size.SMALL),
            Button("invite", "Ask for their contribution"),
        )


class ContributionForm(_AssessmentForm):
    creation_key = forms.UUIDField(widget=forms.HiddenInput, required=False)
    text = _text(
        "Your agency's contribution",
        rows=8,
        help_text="What your agency knows about the child and the risks: what you have seen, "
        "what the child has said, and how you know it.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["creation_key"].initial = uuid.uuid4()

    def get_layout(self) -> Layout:
        return Layout(
            Field.textarea("text", rows=8), Field("creation_key"), Button("add", "Add contribution")
        )


# --- Information tasks (G14) ----------------------------------------------------------------


class _OfficerWithAgencyField(OfferedOfficerField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_with_agency)


class InformationTaskForm(_AssessmentForm):
    creation_key = forms.UUIDField(widget=forms.HiddenInput, required=False)
    information = _text(
        "What information is needed?",
        rows=3,
        help_text="One piece of information a sound judgement needs, for example “Whether "
        "Jamie attended the clinic appointment on 3 March”.",
    )
    agency = forms.ModelChoiceField(
        label="Agency (optional)",
        queryset=Agency.objects.none(),
        required=False,
        empty_label="Choose an agency",
        error_messages={"invalid_choice": "Choose an agency from the list"},
    )
    officer = _OfficerWithAgencyField(
        Officer.objects.none(), label="Officer (optional)", empty_label="Choose an officer"
    )
    name = forms.CharField(
        label="Named person (optional)",
        help_text="Someone without an account here, for example “Sam Patel, school nurse”.",
        required=False,
        max_length=200,
        error_messages={"max_length": "Enter 200 characters or fewer"},
    )
    due = SafeDateField(
        label="By when?",
        noun="date",
        example="27 3 2026",
        help_text="For example, 27 3 2026",
        required=False,
    )

    def __init__(self, *args: Any, agencies: list[Agency], officers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["agency"]).queryset = Agency.objects.filter(
            pk__in=[a.pk for a in agencies]
        ).order_by("name")
        cast(forms.ModelChoiceField, self.fields["officer"]).queryset = officers
        if not self.is_bound:
            self.fields["creation_key"].initial = uuid.uuid4()

    def get_layout(self) -> Layout:
        return Layout(
            Field.textarea("information", rows=3),
            Fieldset(
                HTML('<p class="govuk-hint">Choose an agency or an officer, or name a person.</p>'),
                Field.select("agency"),
                Field.select("officer"),
                Field.text("name"),
                legend="Who will get it?",
                legend_size=Size.SMALL,
            ),
            Field("due"),
            Field("creation_key"),
            Button("add", "Add this information"),
        )

    def task(self) -> TaskInput:
        data = getattr(self, "cleaned_data", {})
        return TaskInput(
            information=data.get("information") or "",
            agency=data.get("agency"),
            officer=data.get("officer"),
            name=data.get("name") or "",
            due=data.get("due"),
        )


class TaskDoneForm(_AssessmentForm):
    done_note = _text(
        "What was found out (optional)",
        rows=4,
        help_text="Every agency that can see the assessment sees this.",
    )

    def get_layout(self) -> Layout:
        return Layout(Field.textarea("done_note", rows=4), Button("done", "Mark as done"))
