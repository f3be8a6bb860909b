"""Forms of the screening tool: the answers (grouped by SAFEGUARD heading), the screener's
conclusion, and the lead officer's advice."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.layout import HTML, Button, Div, Field, Fieldset, Layout, Size
from django import forms
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from cse_portal.forms import MAX_TEXT, GovukForm
from screening import rules
from screening.models import Answer, Conclusion, Indicator
from screening.selectors import CatalogueHeading
from screening.services import AnswerInput

TOO_LONG = f"Enter {MAX_TEXT:,} characters or fewer"


def _html(text: str) -> SafeString:
    """Data as HTML: escaped, and with braces neutralised (crispy renders HTML() as a template)."""
    escaped = str(escape(text)).replace("{", "&#123;").replace("}", "&#125;")
    return mark_safe(escaped)  # noqa: S308 — escaped just above


def field_key(indicator: Indicator) -> str:
    return indicator.form_key


class _ScreeningForm(GovukForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.disable_csrf = True  # the template's <form> has the token


class ScreeningAnswersForm(_ScreeningForm):
    """One radio group (Present / Not present / Not known) and one note per indicator (G01)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, headings: list[CatalogueHeading], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.headings = headings
        self.indicators: list[Indicator] = []
        for section in headings:
            for indicator in section.indicators:
                self.indicators.append(indicator)
                key = field_key(indicator)
                text = escape(indicator.text)
                self.fields[f"answer_{key}"] = forms.ChoiceField(
                    label=text,
                    help_text=rules.Kind(indicator.kind).label,
                    choices=Answer.choices,
                    widget=forms.RadioSelect,
                    required=False,
                    error_messages={
                        "invalid_choice": "Select present, not present or not known",
                    },
                )
                self.fields[f"note_{key}"] = forms.CharField(
                    # Every note has its own accessible name: the indicator it is about.
                    label=mark_safe(  # noqa: S308 — the indicator text is escaped
                        f'Note<span class="govuk-visually-hidden"> on “{text}”</span> (optional)'
                    ),
                    widget=forms.Textarea(attrs={"rows": 2}),
                    required=False,
                    max_length=MAX_TEXT,
                    strip=True,
                    error_messages={"max_length": TOO_LONG},
                )
        self.helper.layout = self.get_layout()

    def get_layout(self) -> Layout:
        parts: list[Any] = []
        for section in getattr(self, "headings", []):
            heading = section.heading
            items: list[Any] = []
            if heading.description:
                description = heading.description[:1].upper() + heading.description[1:]
                items.append(HTML(f'<p class="govuk-hint">{_html(description)}</p>'))
            for indicator in section.indicators:
                key = field_key(indicator)
                items.append(Field.radios(f"answer_{key}", inline=True, legend_size=Size.SMALL))
                items.append(Field.textarea(f"note_{key}", rows=2))
            parts.append(
                Fieldset(
                    *items,
                    legend=_html(f"{heading.letter} — {heading.title}"),
                    legend_size=Size.MEDIUM,
                )
            )
        return Layout(
            *parts,
            Field("version"),
            Div(
                Button("continue", "Save and continue"),
                Button("save_draft", "Save as draft", css_class="govuk-button--secondary"),
                css_class="govuk-button-group",
            ),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # An answer or note to an indicator that is not in this catalogue (a tampered or stale
        # form) is an error the screener can see, never silently dropped and never a 500.
        known = set(self.fields)
        strays = [
            key
            for key in self.data
            if (key.startswith("answer_") or key.startswith("note_")) and key not in known
        ]
        if strays:
            raise forms.ValidationError(
                "The form included answers to indicators that are not in this screening. "
                "Check your answers and save again."
            )
        return data

    def answer_inputs(self) -> dict[str, AnswerInput]:
        """The cleaned answers, keyed by indicator code, for the service."""
        return {
            i.code: AnswerInput(
                answer=self.cleaned_data.get(f"answer_{field_key(i)}") or "",
                note=self.cleaned_data.get(f"note_{field_key(i)}") or "",
            )
            for i in self.indicators
        }

    @classmethod
    def initial_from(cls, answers: dict[int, Any], indicators: list[Indicator]) -> dict[str, str]:
        initial: dict[str, str] = {}
        for indicator in indicators:
            answer = answers.get(indicator.pk)
            if answer is not None:
                initial[f"answer_{field_key(indicator)}"] = answer.answer
                initial[f"note_{field_key(indicator)}"] = answer.note
        return initial


class _ConclusionField(forms.ChoiceField):
    """Radios of the conclusions, passed on as given: whether one was chosen, and whether it
    is a conclusion at all, is for the service to say (screening_submit), in one place."""

    def validate(self, value: Any) -> None:
        pass


class ConclusionForm(_ScreeningForm):
    """The screener's own conclusion, with the reasons; the rules of a conclusion (G05) are
    the service's, which places its errors on these fields."""

    conclusion = _ConclusionField(
        label="What do you conclude?",
        choices=Conclusion.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    conclusion_reason = forms.CharField(
        label="Your reasons",
        help_text=(
            "Required when your conclusion differs from what the tool suggests. Say what you "
            "know that the indicators do not show."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=MAX_TEXT,
        error_messages={"max_length": TOO_LONG},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def get_layout(self) -> Layout:
        return Layout(
            Field.radios("conclusion", legend_size=Size.SMALL),
            Field.textarea("conclusion_reason", rows=5),
            Field("version"),
            Button("submit", "Submit screening"),
        )


class AdviceForm(_ScreeningForm):
    text = forms.CharField(
        label="Your advice",
        help_text=(
            "What the screener should do next: the steps to take, who to contact, which "
            "service to signpost to. The screener sees this on the screening."
        ),
        widget=forms.Textarea(attrs={"rows": 8}),
        # Advice is required: the service says so (screening_advise), on this field.
        required=False,
        max_length=MAX_TEXT,
        error_messages={"max_length": TOO_LONG},
    )

    def get_layout(self) -> Layout:
        return Layout(Field.textarea("text", rows=8), Button("submit", "Record advice"))
