"""The GOV.UK error summary: every link goes to an element of the page that can take focus."""

from __future__ import annotations

import re

from django import forms
from django.template import Context, Template

from cse_portal.forms import GovukForm


class _Example(GovukForm):
    colour = forms.ChoiceField(
        label="Colour",
        choices=[("red", "Red"), ("blue", "Blue")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select a colour"},
    )
    flavours = forms.MultipleChoiceField(
        label="Flavours",
        choices=[("a", "A"), ("b", "B")],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one flavour"},
    )
    name = forms.CharField(label="Name", error_messages={"required": "Enter a name"})
    key = forms.UUIDField(widget=forms.HiddenInput, error_messages={"required": "Start again"})

    def clean(self):
        super().clean()
        raise forms.ValidationError("Something about the whole form")


def _render(form: forms.Form) -> str:
    template = Template(
        "{% load crispy_forms_tags crispy_forms_gds %}{% error_summary form %}"
        "<form>{% crispy form %}</form>"
    )
    return template.render(Context({"form": form}))


def _links_and_ids(html: str) -> tuple[dict[str, str], set[str]]:
    summary = html.split("<form>")[0]
    links = {
        m.strip(): target for target, m in re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)
    }
    ids = set(re.findall(r'\sid="([^"]+)"', html.split("<form>")[1]))
    return links, ids


def test_every_error_links_to_an_element_that_exists():
    form = _Example(data={})
    assert not form.is_valid()
    links, ids = _links_and_ids(_render(form))
    assert set(links) == {
        "Select a colour",
        "Select at least one flavour",
        "Enter a name",
        "Start again",
        "Something about the whole form",
    }
    missing = {message: target for message, target in links.items() if target not in ids}
    assert missing == {}


def test_a_radio_group_links_to_its_first_radio_and_checkboxes_to_the_first_box():
    links, _ = _links_and_ids(_render(_Example(data={})))
    assert links["Select a colour"] == "id_colour_1"
    assert links["Select at least one flavour"] == "id_flavours_1"
    assert links["Enter a name"] == "id_name"


def test_a_hidden_fields_error_is_shown_not_dropped():
    links, _ = _links_and_ids(
        _render(_Example(data={"colour": "red", "flavours": ["a"], "name": "x"}))
    )
    assert "Start again" in links


def test_a_form_can_name_where_its_own_errors_link_to():
    form = _Example(data={})
    form.error_summary_target = "answers"
    links, _ = _links_and_ids(_render(form))
    assert links["Something about the whole form"] == "answers"


DJANGO_DEFAULTS = (
    "This field is required.",
    "Select a valid choice",
    "Enter a whole number.",
    "Ensure this value has at most",
)


def _messages(form: forms.BaseForm) -> list[str]:
    return [str(m) for errors in form.errors.values() for m in errors]


def test_the_child_form_sent_empty_says_what_to_answer_in_govuk_words(db):
    from cse_portal.forms import ChildForm

    form = ChildForm(data={"is_identified": "", "gender": "", "known_as": "x" * 201})
    assert not form.is_valid()
    messages = _messages(form)
    assert "Select the child's home local authority" in messages
    assert "Select the child's gender, or ‘Not known’" in messages
    assert not [m for m in messages if m.startswith(DJANGO_DEFAULTS)]


class _Plain(GovukForm):
    age = forms.IntegerField(label="Approximate age in years")
    town = forms.ChoiceField(label="Which town?", choices=[("a", "A")])
    name = forms.CharField(label="Full name", max_length=5)


def test_a_field_without_its_own_message_gets_one_naming_its_question():
    form = _Plain(data={"age": "abc", "town": "z", "name": "abcdefgh"})
    assert not form.is_valid()
    assert form.errors["age"] == ["Enter approximate age in years as a number, like 14"]
    assert form.errors["town"] == ["Select one of the options for “which town”"]
    assert form.errors["name"] == ["Keep this answer to 5 characters or fewer"]
    empty = _Plain(data={})
    assert not empty.is_valid()
    assert empty.errors["town"] == ["Select an answer for “which town”"]
    assert empty.errors["name"] == ["Enter full name"]
