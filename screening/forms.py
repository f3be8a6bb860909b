"""Forms of the screening tool: the answers (one SAFEGUARD heading a page, or any set of
indicators: the form is built from the headings it is given), the screener's conclusion, and
the lead officer's advice."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date
from typing import Any

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.layout import (
    HTML,
    Button,
    Div,
    Field,
    Fieldset,
    Layout,
    Size,
)
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


def posted_headings(
    headings: list[CatalogueHeading], data: Mapping[str, Any]
) -> list[CatalogueHeading]:
    """The headings, each with only the indicators `data` answers or notes: a page of one
    heading posts that heading's indicators, the whole form all of them, and indicators not
    posted are left as they are."""
    posted = []
    for section in headings:
        keys = [field_key(i) for i in section.indicators]
        indicators = [
            indicator
            for indicator, key in zip(section.indicators, keys, strict=True)
            if f"answer_{key}" in data or f"note_{key}" in data
        ]
        if indicators:
            posted.append(CatalogueHeading(heading=section.heading, indicators=indicators))
    return posted


class ScreeningAnswersForm(_ScreeningForm):
    """One radio group (Present / Not present / Not known) and one note per indicator (G01),
    for the indicators of the headings given: one heading's page (`section` names it), the
    start page (no headings: only the key that makes posting it twice start one screening),
    or every heading at once."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    section = forms.CharField(widget=forms.HiddenInput, required=False, max_length=10)
    creation_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        headings: list[CatalogueHeading],
        section: str = "",
        start: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.headings = headings
        self.page_section = section
        self.start = start
        self.fields["section"].initial = section
        if start and not self.is_bound:
            self.fields["creation_key"].initial = uuid.uuid4()
        self.indicators: list[Indicator] = []
        for heading in headings:
            for indicator in heading.indicators:
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
        hidden = [Field("version"), Field("section"), Field("creation_key")]
        if getattr(self, "start", False) and not getattr(self, "headings", []):
            return Layout(*hidden, Button("start", "Start screening"))
        parts: list[Any] = []
        for section in getattr(self, "headings", []):
            items = self._indicator_fields(section.indicators)
            if getattr(self, "page_section", ""):
                parts.extend(items)  # one heading a page: the page's <h1> names the heading
                continue
            heading = section.heading
            if heading.description:
                description = heading.description[:1].upper() + heading.description[1:]
                items.insert(0, HTML(f'<p class="govuk-hint">{_html(description)}</p>'))
            parts.append(
                Fieldset(
                    *items,
                    legend=_html(f"{heading.letter} — {heading.title}"),
                    legend_size=Size.MEDIUM,
                )
            )
        later = "Save and come back later" if getattr(self, "page_section", "") else "Save as draft"
        return Layout(
            *parts,
            *hidden,
            Div(
                Button("continue", "Save and continue"),
                Button("save_draft", later, css_class="govuk-button--secondary"),
                css_class="govuk-button-group",
            ),
        )

    @staticmethod
    def _indicator_fields(indicators: list[Indicator]) -> list[Any]:
        items: list[Any] = []
        for indicator in indicators:
            key = field_key(indicator)
            items.append(Field.radios(f"answer_{key}", inline=True, legend_size=Size.SMALL))
            items.append(Field.textarea(f"note_{key}", rows=2))
        return items

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


class RealDateField(DateInputField):
    """A GOV.UK date input whose impossible dates get a plain message (not Python's)."""

    def compress(self, data_list: Any) -> date | None:
        day, month, year = data_list
        if not (day and month and year):
            return None
        try:
            return date(day=int(day), month=int(month), year=int(year))
        except (ValueError, OverflowError) as error:
            raise forms.ValidationError("Enter a real date, for example 27 3 2026") from error


class _ConclusionField(forms.ChoiceField):
    """Radios of the conclusions, passed on as given: whether one was chosen, and whether it
    is a conclusion at all, is for the service to say (screening_submit), in one place."""

    def validate(self, value: Any) -> None:
        pass


class ConclusionForm(_ScreeningForm):
    """The screener's own conclusion, with the reasons; the rules of a conclusion (G05, G40)
    are the service's, which places its errors on these fields. Where indicators are not
    known, the form also asks who will find out what is not known, and by when, for a
    conclusion of "No CSE concern" (G40).

    Not a conditional reveal under that radio: GOV.UK Frontend's reveal sets aria-expanded on
    the radio, which ARIA does not allow there and axe-core fails (govuk-frontend#979)."""

    conclusion = _ConclusionField(
        label="What do you conclude?",
        choices=Conclusion.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    conclusion_reason = forms.CharField(
        label="Your reasons",
        help_text=(
            "Required when your conclusion differs from what the tool suggests, and when you "
            "conclude there is no CSE concern while indicators are not known. Say what you "
            "know that the indicators do not show."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=MAX_TEXT,
        error_messages={"max_length": TOO_LONG},
    )
    follow_up_by = forms.CharField(
        label="Who will find out what is not known?",
        help_text="A named person or agency, for example “Sam Patel, school nurse”.",
        required=False,
        max_length=200,
        error_messages={"max_length": "Enter 200 characters or fewer"},
    )
    follow_up_due = RealDateField(
        label="By when?",
        help_text="For example, 27 3 2026",
        required=False,
        require_all_fields=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, not_known: int = 0, **kwargs: Any) -> None:
        self.not_known = not_known
        super().__init__(*args, **kwargs)
        # Where everything is answered, a form-level error (a stale save) links to the
        # conclusion; the view names the first unanswered indicator's Change link otherwise.
        self.error_summary_target = "id_conclusion_1"

    def get_layout(self) -> Layout:
        not_known = getattr(self, "not_known", 0)
        follow_up: list[Any] = []
        if not_known:
            noun = "1 indicator is" if not_known == 1 else f"{not_known} indicators are"
            follow_up.append(
                Fieldset(
                    HTML(
                        f'<p class="govuk-hint">{noun} not known. A lack of evidence does not '
                        "mean that there is no risk: name who will find out, and by when.</p>"
                    ),
                    Field.text("follow_up_by"),
                    Field("follow_up_due"),
                    legend="If you conclude there is no CSE concern",
                    legend_size=Size.SMALL,
                )
            )
        return Layout(
            Field.radios("conclusion", legend_size=Size.SMALL),
            Field.textarea("conclusion_reason", rows=5),
            *follow_up,
            Field("version"),
            Button("submit", "Submit screening"),
        )


class AdviceForm(_ScreeningForm):
    # A hidden key: the same form posted twice (a double click) records the advice once.
    creation_key = forms.UUIDField(widget=forms.HiddenInput, required=False)
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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["creation_key"].initial = uuid.uuid4()

    def get_layout(self) -> Layout:
        return Layout(
            Field.textarea("text", rows=8), Field("creation_key"), Button("submit", "Record advice")
        )
