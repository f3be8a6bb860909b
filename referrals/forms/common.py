"""What the referral forms share: GOV.UK messages that name the field, a date and a whole
number that convert with plain messages, and radios that reveal a follow-up question.

Forms convert and check input; the rules are the services' (`referrals.services`), shown on
the form's fields by the views. No form of the referral pages shows one of Django's own
messages ("This field is required.", "Enter a whole number.", "Select a valid choice…"):
each says what is wrong and how to put it right, naming the field [GOV.UK error messages].
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from crispy_forms.layout import LayoutObject
from crispy_forms.utils import TEMPLATE_PACK, render_field
from crispy_forms_gds.fields import DateInputField
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

# A hidden key or version that did not come back as the page sent it (a tampered or broken
# form): nothing the officer typed is at fault, so the message says what to do instead.
FORM_BROKEN = (
    "Something went wrong with the form. Your answers are shown below: copy what you need, "
    "open the page again and enter them there."
)


def name_the_fields(form: forms.BaseForm, names: Mapping[str, str]) -> None:
    """Messages naming the field for what any text answer can get wrong: too long, or holding
    a character that cannot be stored. `names` maps a field to how a message names it, as
    the subject of a sentence ("The full name", "Why the place is a concern")."""
    for name, label in names.items():
        field = form.fields[name]
        if isinstance(field, forms.CharField) and field.max_length:
            # Replaces the message of every max-length validator of the field (the core
            # form base adds one to each text field).
            field.error_messages["max_length"] = (
                f"{label} is too long. Keep this answer to {field.max_length:,} characters or fewer"
            )
        field.error_messages["null_characters_not_allowed"] = (
            f"{label} contains a character that cannot be saved: retype it and try again"
        )


def hidden_key() -> forms.UUIDField:
    """The hidden key that makes a form's POST idempotent (a second POST finds the first's
    record)."""
    return forms.UUIDField(
        widget=forms.HiddenInput,
        required=False,
        error_messages={"invalid": FORM_BROKEN},
    )


def hidden_version() -> forms.IntegerField:
    """The version of the record the form was opened at (optimistic locking)."""
    return forms.IntegerField(
        widget=forms.HiddenInput,
        required=False,
        error_messages={"invalid": FORM_BROKEN},
    )


def whole_number(
    label: str, *, name: str, example: int, largest: int, too_large: str = "", **kwargs: Any
) -> forms.IntegerField:
    """A whole number typed in a GOV.UK text input (`inputmode="numeric"`, as GOV.UK advises
    instead of `type="number"`, so it is styled and sized like any input), from 0 to
    `largest`, with messages naming the answer (`name`)."""
    range_message = f"{name} must be between 0 and {largest}"
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=largest,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        error_messages={
            "invalid": f"{name} must be a whole number, like {example}",
            "min_value": range_message,
            "max_value": too_large or range_message,
        },
        **kwargs,
    )


_PARTS = ("day", "month", "year")
_DIGITS = r"\A[0-9]+\Z"  # ASCII digits only: str.isdigit() also takes "²"


class RealDateField(DateInputField):
    """A GOV.UK date input whose messages name the date and say how to put it right: a part
    missing ("Date of birth must include a month"), or a date that does not exist."""

    def __init__(self, *, name: str = "Date", example: str = "27 3 2012", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.name = name
        self.real_date = f"Enter a real {name[:1].lower()}{name[1:]}, for example {example}"
        self.error_messages["required"] = f"Enter the {name.lower()}"
        self.error_messages["incomplete"] = self.real_date
        for part, subfield in zip(_PARTS, self.fields, strict=True):
            subfield.error_messages["incomplete"] = f"{name} must include a {part}"
            subfield.validators = [RegexValidator(_DIGITS, self.real_date)]

    def compress(self, data_list: Any) -> date | None:
        parts = list(data_list or ())
        parts += [""] * (3 - len(parts))
        if not any(parts):
            return None
        missing = [i for i, value in enumerate(parts) if not value]
        if missing:
            # A date with a part missing is not a date: refused, never saved as "no date".
            names = " and a ".join(_PARTS[i] for i in missing)
            message = f"{self.name} must include a {names}"
            # One message, linked from the error summary to the first part missing.
            self.fields[missing[0]].widget.errors = [message]
            raise forms.ValidationError(message)
        day, month, year = parts
        try:
            return date(day=int(day), month=int(month), year=int(year))
        except (ValueError, OverflowError) as error:
            raise forms.ValidationError(self.real_date) from error


class OfferedOfficerField(forms.ModelChoiceField):
    """An officer from the list the page offered, or None. An officer no longer offered (who
    left or changed role since the page was shown) counts as none chosen: the service then
    says whom to select, as it does when nobody was selected."""

    def __init__(self, queryset: Any, **kwargs: Any) -> None:
        super().__init__(queryset, required=False, **kwargs)

    def to_python(self, value: Any) -> Any:
        try:
            return super().to_python(value)
        except ValidationError:
            return None


def radios(choices: Any) -> dict[str, Any]:
    return {"choices": choices, "widget": forms.RadioSelect}


# --- Radios that reveal a follow-up question -------------------------------------------------


@dataclass(frozen=True)
class _RadioItem:
    value: str
    label: str
    position: (
        int  # 1, 2…: the inputs are id_<name>_1, id_<name>_2…, as crispy-forms-gds numbers them
    )
    checked: bool
    reveal: SafeString  # the follow-up question's markup, or "" when this answer reveals none


class RevealingRadios(LayoutObject):
    """GOV.UK radios whose answers reveal a follow-up question (a conditional reveal): the
    follow-up sits under its answer in a `govuk-radios__conditional` block that the answer's
    input names in `data-aria-controls`; GOV.UK Frontend's Radios script shows the block
    while the answer is chosen. Without the script every follow-up is shown. One answer
    reveals one block [GOV.UK radios]; the service still enforces when a follow-up is needed.

    crispy-forms-gds' own ConditionalRadios writes `aria-controls` (the script of GOV.UK
    Frontend 5 and later reads `data-aria-controls`) and numbers its inputs from 0 where its
    plain radios number from 1, so the error summary's link would miss the first radio.
    """

    template = "referrals/layout/revealing_radios.html"

    def __init__(
        self,
        field: str,
        reveals: Mapping[str, Sequence[Any]],
        *,
        legend_size: str = "",
        css_class: str = "",
    ) -> None:
        self.field = field
        self.fields = [field]
        self.reveals = reveals
        self.legend_size = legend_size
        self.css_class = css_class

    def render(
        self, form: forms.BaseForm, context: Any, template_pack: str = TEMPLATE_PACK, **kwargs: Any
    ) -> SafeString:
        bound = form[self.field]
        current = "" if bound.value() is None else str(bound.value())
        # A choice field's (value, label) pairs; django-stubs types them as any choices spec.
        choices: Iterable[tuple[Any, Any]] = cast(Any, bound.field).choices
        items = []
        for position, (value, label) in enumerate(choices, start=1):
            reveal = "".join(
                render_field(follow_up, form, context, template_pack=template_pack, **kwargs)
                for follow_up in self.reveals.get(str(value), ())
            )
            # Markup rendered by crispy's templates, which escape what they show.
            reveal_html = mark_safe(reveal)  # noqa: S308
            items.append(
                _RadioItem(str(value), str(label), position, str(value) == current, reveal_html)
            )
        return mark_safe(  # noqa: S308 -- rendered from a template, which escapes
            render_to_string(
                self.template,
                {
                    **context.flatten(),
                    "field": bound,
                    "items": items,
                    "legend_size": self.legend_size,
                    "css_class": self.css_class,
                },
            )
        )
