"""The core's GOV.UK form base: a date field that never fails on what is typed in it, number
inputs styled as GOV.UK inputs, and single-line answers without invisible characters."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.urls import reverse

from cse_portal import services
from cse_portal.forms import ChildForm, GovukForm, SafeDateField, SignInForm
from cse_portal.models import Child
from cse_portal.text import has_invisible, strip_invisible


def _payload(world, **changes):
    data = {
        "is_identified": "True",
        "first_name": "Ali",
        "last_name": "Rahman",
        "gender": "male",
        "ethnicity": "not_known",
        "looked_after_status": "no",
        "home_authority": str(world.north.pk),
    }
    data.update(changes)
    return data


def _date(day: str, month: str, year: str) -> dict[str, str]:
    return {"date_of_birth_0": day, "date_of_birth_1": month, "date_of_birth_2": year}


def _errors(response) -> list[str]:
    page = response.content.decode()
    summary = page[page.index("govuk-error-summary") :]
    summary = summary[: summary.index("</ul>")]
    return [m.replace("&#x27;", "'") for m in re.findall(r'<a href="#[^"]+">([^<]+)</a>', summary)]


# --- Dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("1", "1", "99999999999999999999", "Enter a real date of birth, for example 27 3 2012"),
        ("31", "2", "2012", "Enter a real date of birth, for example 27 3 2012"),
        ("1", "13", "2012", "Enter a real date of birth, for example 27 3 2012"),
        ("0", "1", "2012", "Enter a real date of birth, for example 27 3 2012"),
        ("1", "1", "0000", "Enter a real date of birth, for example 27 3 2012"),
        ("x", "1", "2012", "Enter a real date of birth, for example 27 3 2012"),
        ("123", "1", "2012", "Enter a real date of birth, for example 27 3 2012"),
        ("1", "1", "²⁰¹²", "Enter a real date of birth, for example 27 3 2012"),
        ("1", "1", "12", "The year of the date of birth must include 4 numbers"),
        ("", "3", "2012", "The date of birth must include a day"),
        ("27", "", "2012", "The date of birth must include a month"),
        ("27", "3", "", "The date of birth must include a year"),
    ],
)
def test_a_date_of_birth_that_cannot_be_right_gets_a_govuk_message_not_a_server_error(
    owner_client, world, day, month, year, message
):
    response = owner_client.post(
        reverse("children:add"), _payload(world, known_as="Al", **_date(day, month, year))
    )
    assert response.status_code == 200
    assert _errors(response) == [message]
    page = response.content.decode()
    assert "out of range" not in page and "signed integer" not in page
    assert 'value="Al"' in page  # the rest of the form is kept
    assert not Child.objects.filter(last_name="Rahman").exists()


def test_the_date_error_links_to_an_input_that_can_take_focus(owner_client, world):
    response = owner_client.post(
        reverse("children:add"), _payload(world, **_date("31", "2", "2012"))
    )
    page = response.content.decode()
    targets = re.findall(r'govuk-error-summary__list">\s*<li><a href="#([^"]+)"', page)
    assert targets == ["id_date_of_birth_0"]
    assert 'id="id_date_of_birth_0"' in page


def test_a_real_date_of_birth_is_saved(owner_client, world):
    response = owner_client.post(
        reverse("children:add"), _payload(world, **_date("27", "3", "2012"))
    )
    assert response.status_code == 302
    assert str(Child.objects.get(last_name="Rahman").date_of_birth) == "2012-03-27"


def test_an_empty_date_is_no_date_and_a_required_one_says_what_to_enter():
    class Optional(GovukForm):
        when = SafeDateField(label="When", noun="date of the meeting", required=False)

    class Required(GovukForm):
        when = SafeDateField(label="When", noun="date of the meeting")

    empty = {"when_0": "", "when_1": "", "when_2": ""}
    optional = Optional(empty)
    assert optional.is_valid() and optional.cleaned_data["when"] is None
    required = Required(empty)
    assert not required.is_valid()
    assert required.errors["when"] == ["Enter the date of the meeting"]


# --- Number inputs -------------------------------------------------------------------------


def test_every_number_field_renders_as_a_govuk_text_input_with_a_numeric_keyboard():
    class Numbers(GovukForm):
        count = forms.IntegerField(label="How many", min_value=0, max_value=9)
        share = forms.DecimalField(label="Share", required=False)

    form = Numbers()
    html = str(form["count"]) + str(form["share"])
    assert 'type="number"' not in html
    from crispy_forms.utils import render_crispy_form

    rendered = render_crispy_form(form)
    count = re.search(r"<input[^>]*name=\"count\"[^>]*>", rendered)
    share = re.search(r"<input[^>]*name=\"share\"[^>]*>", rendered)
    assert count and share
    assert 'class="govuk-input' in count.group(0) and 'inputmode="numeric"' in count.group(0)
    assert 'class="govuk-input' in share.group(0) and 'inputmode="decimal"' in share.group(0)
    # The number is still checked on the server.
    assert Numbers({"count": "12"}).errors["count"]
    assert Numbers({"count": "3"}).is_valid()


def test_the_approximate_age_is_a_styled_input_with_an_error_state_and_a_govuk_message(
    owner_client, world
):
    page = owner_client.get(reverse("children:add")).content.decode()
    age = re.search(r'<input[^>]*name="approximate_age"[^>]*>', page).group(0)
    assert 'type="text"' in age and 'inputmode="numeric"' in age
    assert "govuk-input " in age and "govuk-input--width-2" in age
    response = owner_client.post(reverse("children:add"), _payload(world, approximate_age="ten"))
    assert _errors(response) == ["Enter the approximate age as a number, for example 14"]
    age = re.search(r'<input[^>]*name="approximate_age"[^>]*>', response.content.decode())
    assert "govuk-input--error" in age.group(0)
    response = owner_client.post(reverse("children:add"), _payload(world, approximate_age="18"))
    assert _errors(response) == [
        "The child must be under 18: enter an approximate age from 0 to 17"
    ]


# --- Invisible characters ------------------------------------------------------------------

SPOOFS = {
    "zero-width space": "Ja\u200bmie",
    "right-to-left override": "\u202eeimaJ",
    "isolates": "\u2066Jamie\u2069",
    "byte-order mark": "\ufeffJamie",
    "Arabic letter mark": "Jam\u061cie",
    "word joiner": "Jam\u2060ie",
}


@pytest.mark.parametrize("text", SPOOFS.values(), ids=SPOOFS.keys())
def test_invisible_characters_are_stripped(text):
    assert has_invisible(text)
    assert not has_invisible(strip_invisible(text))
    assert strip_invisible("Zoë O'Brien-Łukasz 李") == "Zoë O'Brien-Łukasz 李"


def test_names_added_through_the_form_lose_invisible_characters(owner_client, world):
    response = owner_client.post(
        reverse("children:add"),
        _payload(
            world,
            first_name="\u202eAli\u202c",
            last_name="Rah\u200bman",
            known_as="\u2067Al\u2069",
        ),
    )
    assert response.status_code == 302
    child = Child.objects.get(last_name="Rahman")
    assert (child.first_name, child.known_as) == ("Ali", "Al")


def test_a_name_of_only_invisible_characters_is_no_name(owner_client, world):
    response = owner_client.post(
        reverse("children:add"), _payload(world, first_name="\u200b\u200b", last_name="\u2060")
    )
    assert _errors(response) == ["Enter the child's first name or last name"]


def test_the_service_strips_names_written_without_a_form(world):
    child = services.child_create(
        by=world.owner,
        data={
            "first_name": "\u202eKai",
            "last_name": "Test\u200dchild",
            "known_as": "\ufeffK",
            "home_authority": world.north,
        },
    )
    assert (child.first_name, child.last_name, child.known_as) == ("Kai", "Testchild", "K")
    child = services.child_update(
        child=child,
        by=world.owner,
        data={"first_name": "K\u2066ai", "school_or_setting": "\u200bBrookfield"},
        expected_version=child.version,
    )
    assert (child.first_name, child.school_or_setting) == ("Kai", "Brookfield")


def test_a_password_keeps_every_character_it_was_typed_with():
    form = SignInForm(data={"username": "o\u200bwner", "password": "pass\u200bword"})
    assert form.data["username"] == "owner"
    assert form.data["password"] == "pass\u200bword"


def test_free_text_keeps_its_direction_marks(world):
    # Multi-line text (a description in two scripts) may need them; only single lines lose them.
    form = ChildForm(
        data=_payload(
            world, description="Speaks \u200f\u05e2\u05d1\u05e8\u05d9\u05ea\u200f and English"
        )
    )
    assert "\u200f" in form.data["description"]


def test_an_altered_hidden_key_counts_as_no_key_not_as_a_server_error(owner_client, world):
    response = owner_client.post(reverse("children:add"), _payload(world, creation_key="x"))
    assert response.status_code == 302
    assert Child.objects.get(last_name="Rahman").creation_key is None
    share = owner_client.post(
        reverse("children:share", kwargs={"child_pk": world.child.pk}),
        {"agency": str(world.health.pk), "reason": "Health visits.", "share_key": "x"},
    )
    assert share.status_code == 302
