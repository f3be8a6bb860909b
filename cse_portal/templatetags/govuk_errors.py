"""The GOV.UK error summary, with every link going to an element that can take focus.

crispy-forms-gds links a radio group's or a checkbox group's error to the field's `auto_id`,
which no element has (the inputs are `id_<name>_1`, `id_<name>_2`…), and drops the errors of
hidden fields. Here each error links to what the GOV.UK pattern asks for: the first radio or
checkbox of a group, the first input of a date, the input itself otherwise. A form-level error
links to the element the form names in `error_summary_target` (for example "answer the
indicators" on a check-answers page), else to the first visible field.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms, template

register = template.Library()


@dataclass(frozen=True)
class ErrorLink:
    message: str
    target: str  # an element id, or "" when there is nothing on the page to move focus to


def field_target(bound_field: forms.BoundField) -> str:
    """The id of the element an error about this field should move focus to."""
    widget = bound_field.field.widget
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"id_{bound_field.html_name}_1"  # crispy-forms-gds numbers the items from 1
    if hasattr(bound_field.field, "fields"):  # a multi-value field such as a date
        return f"{bound_field.auto_id}_0"
    return str(bound_field.auto_id or "")


def _subfield_errors(bound_field: forms.BoundField) -> list[ErrorLink]:
    links = []
    for index, subfield in enumerate(getattr(bound_field.field, "fields", [])):
        for message in getattr(subfield.widget, "errors", None) or []:
            links.append(ErrorLink(str(message), f"{bound_field.auto_id}_{index}"))
    return links


@register.filter
def error_links(form: forms.BaseForm) -> list[ErrorLink]:
    """Every error of the form, in the order of the page, each with its link target."""
    visible = form.visible_fields()
    first = field_target(visible[0]) if visible else ""
    form_target = str(getattr(form, "error_summary_target", "") or first)
    links = [ErrorLink(str(m), form_target) for m in form.non_field_errors()]
    # A hidden field's error (a stale or tampered form key) is the form's problem as a whole.
    for hidden in form.hidden_fields():
        links.extend(ErrorLink(str(m), form_target) for m in hidden.errors)
    for bound_field in visible:
        sub = _subfield_errors(bound_field)
        shown = {link.message for link in sub}
        links.extend(sub)
        target = field_target(bound_field)
        links.extend(ErrorLink(str(m), target) for m in bound_field.errors if str(m) not in shown)
    return links
