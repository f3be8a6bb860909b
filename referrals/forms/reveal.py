"""GOV.UK conditional reveals on radios (a follow-up question shown when a choice is
selected), for crispy-forms-gds layouts."""

from __future__ import annotations

from typing import Any

from crispy_forms.utils import TEMPLATE_PACK, render_field
from crispy_forms_gds.layout import ConditionalQuestion, ConditionalRadios, Size
from django.template.loader import render_to_string


class RevealQuestion(ConditionalQuestion):
    """A radio that reveals `fields` when chosen (GOV.UK conditional reveal).

    Unlike crispy-forms-gds' own, it is numbered from 1 like the plain radios (so the error
    summary's link to `id_<name>_1` is the first radio), and only a radio that reveals
    something names its panel (`data-aria-controls`, which GOV.UK Frontend turns into
    `aria-controls`), so no radio points at a panel that does not exist."""

    template = "referrals/reveal_radio.html"

    def render(
        self,
        bound_field: Any,
        form: Any,
        context: Any,
        template_pack: str = TEMPLATE_PACK,
        **kwargs: Any,
    ) -> str:
        choices = list(bound_field.field.choices)
        position = [label for _, label in choices].index(self.value)
        content = "".join(
            render_field(f, form, context, template_pack=template_pack, **kwargs)
            for f in self.fields
        )
        item = {
            "choice": choices[position],
            "field": bound_field,
            "position": position + 1,
            "conditional_content": content,
        }
        return render_to_string(self.template, {**context.flatten(), **item})


class RevealRadios(ConditionalRadios):
    """Radios some of whose choices reveal follow-up questions (RevealQuestion)."""

    def __init__(self, field: str, *choices: RevealQuestion, legend_size: str = "") -> None:
        super().__init__(field, *choices)
        self.legend_size = Size.for_legend(legend_size) if legend_size else ""

    def render(
        self, form: Any, context: Any, template_pack: str = TEMPLATE_PACK, **kwargs: Any
    ) -> str:
        bound_field = form[self.field]
        rendered = "".join(
            choice.render(bound_field, form, context, template_pack, **kwargs)
            for choice in self.choices
        )
        options = {"field": bound_field, "choices": rendered, "legend_size": self.legend_size}
        return render_to_string(
            self.get_template_name(template_pack), {**context.flatten(), **options}
        )
