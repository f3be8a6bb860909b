"""Every referral form, posted empty and with nonsense: GOV.UK messages that name the field
(never one of Django's own), each linked from the error summary to something that can take
focus (a radio group's first radio, a date's Day), and never a 500."""

from __future__ import annotations

import pytest
from django.urls import reverse

from referrals.models import PersonLink, Referral, ReferralPlace
from referrals.services import referral_person_add
from tests.referrals.forms import (
    DJANGO_MESSAGES,
    assert_links_go_to_fields,
    django_messages_in,
    read_form,
)
from tests.referrals.pages import text, url

TOO_LONG = "x" * 10_001

NONSENSE_DETAILS = {
    "creation_key": "not-a-key",
    "version": "seven",
    "basis_of_concern": TOO_LONG,
    "parents_know": "perhaps",
    "parents_not_informed_reason": "nul\x00l",
    "young_person_knows": "¿",
    "young_person_consents": "maybe",
    "lawful_basis": "because",
    "lawful_basis_detail": TOO_LONG,
    "looked_after_confirmed": "definitely",
    "placement_details": TOO_LONG,
    "other_agencies": TOO_LONG,
}
NONSENSE_PERSON = {
    "creation_key": "x",
    "version": "1.5",
    "full_name": "y" * 201,
    "nicknames": "z" * 301,
    "date_of_birth_0": "31",
    "date_of_birth_1": "2",
    "date_of_birth_2": "2012",
    "approximate_age": "²",
    "description": TOO_LONG,
    "relationship_to_child": "r" * 301,
    "phone_numbers": "nul\x00l",
    "vehicles": TOO_LONG,
    "addresses": TOO_LONG,
}


def _answered(response, *messages: str) -> list[str]:
    """The page refused the POST with the GOV.UK pattern, named the problems, and showed none
    of Django's own messages; returns the summary's messages."""
    assert response.status_code == 200
    assert django_messages_in(response) == []
    summary = [message for _, message in assert_links_go_to_fields(response)]
    for message in messages:
        assert message in summary, (message, summary)
    return summary


def test_the_check_knows_djangos_own_messages():
    # The check is only as good as its list: it must hold the messages seen before the fix.
    for message in [
        "This field is required.",
        "Enter a whole number.",
        "Select a valid choice.",
        "Enter a valid UUID.",
        "Ensure this value has at most",
        "Null characters are not allowed.",
        "day is out of range for month",
    ]:
        assert message in DJANGO_MESSAGES


@pytest.mark.parametrize("data", [{}, NONSENSE_DETAILS], ids=["empty", "nonsense"])
def test_the_start_page_names_every_problem(owner_client, world, data):
    start = reverse("referrals:start", kwargs={"child_pk": world.child.pk})
    summary = _answered(
        owner_client.post(start, data),
        "Select whether the parents or carers know about the concern",
        "Select whether the young person knows about this referral",
        "Select whether the young person agrees to the referral",
    )
    if data:
        assert "The concern is too long. Keep this answer to 10,000 characters or fewer" in (
            summary
        )
        assert any(m.startswith("Something went wrong with the form") for m in summary)
    else:
        assert "Describe the concern: why you are making this referral" in summary
    assert not Referral.objects.exists()


def test_the_start_pages_radio_errors_link_to_the_first_radio(owner_client, world):
    start = reverse("referrals:start", kwargs={"child_pk": world.child.pk})
    links = {
        message: target
        for target, message in assert_links_go_to_fields(
            owner_client.post(start, {"young_person_consents": "refused"})
        )
    }
    assert links["Select whether the parents or carers know about the concern"] == (
        "id_parents_know_1"
    )
    assert links["Select whether the young person knows about this referral"] == (
        "id_young_person_knows_1"
    )
    assert links[
        "Select the lawful basis for sharing information without the young person's agreement"
    ] == ("id_lawful_basis_1")


@pytest.mark.parametrize("data", [{}, NONSENSE_DETAILS], ids=["empty", "nonsense"])
def test_the_details_page_names_every_problem(owner_client, draft, data):
    _answered(
        owner_client.post(url("edit", draft), data),
        "Select whether the parents or carers know about the concern",
    )


def test_the_unidentified_child_page_names_every_problem(owner_client, world):
    page = reverse("referrals:start_unidentified")
    empty = _answered(
        owner_client.post(page, {}),
        "Describe what is known about the child",
        "Select the child's gender, or ‘Not known’",
    )
    # An empty local authority: the message names it (not "This field is required.").
    empty_authority = _answered(
        owner_client.post(page, {"description": "Seen", "gender": "not_known"}),
        "Select the local authority where the child was seen",
    )
    nonsense = _answered(
        owner_client.post(
            page,
            {
                "creation_key": "?",
                "description": "Seen\x00",
                "known_as": "k" * 201,
                "approximate_age": "fourteen",
                "gender": "unknown",
                "places": "p",
                "home_authority": "99999999",
            },
        ),
        "Approximate age must be a whole number, like 14",
        "Select the child's gender, or ‘Not known’",
        "Select the local authority where the child was seen",
        "The names or nicknames the child uses is too long. Keep this answer to 200 "
        "characters or fewer",
    )
    assert empty and empty_authority and nonsense


@pytest.mark.parametrize(
    ("age", "message"),
    [
        ("-1", "Approximate age must be between 0 and 120"),
        ("121", "Approximate age must be between 0 and 120"),
        ("99999999999999999999", "Approximate age must be between 0 and 120"),
        ("1.5", "Approximate age must be a whole number, like 35"),
        ("²", "Approximate age must be a whole number, like 35"),
    ],
)
def test_a_persons_age_that_is_not_an_age_gets_a_message(owner_client, draft, age, message):
    _answered(
        owner_client.post(url("persons", draft), {"full_name": "A", "approximate_age": age}),
        message,
    )


def test_the_persons_page_names_every_problem(owner_client, draft):
    _answered(
        owner_client.post(url("persons", draft), {}),
        "Enter the person's name, a name they are known by, or a description",
    )
    summary = _answered(
        owner_client.post(url("persons", draft), NONSENSE_PERSON),
        "Enter a real date of birth, for example 27 3 1990",
        "Approximate age must be a whole number, like 35",
        "The full name is too long. Keep this answer to 200 characters or fewer",
    )
    assert len(summary) >= 8
    assert not PersonLink.objects.exists()


@pytest.mark.parametrize(
    ("parts", "message", "target"),
    [
        (("31", "2", "2012"), "Enter a real date of birth, for example 27 3 1990", 0),
        (("", "3", "1990"), "Date of birth must include a day", 0),
        (("27", "", ""), "Date of birth must include a month and a year", 1),
        (("27", "3", ""), "Date of birth must include a year", 2),
        (("27", "13", "1990"), "Enter a real date of birth, for example 27 3 1990", 0),
        (("²", "3", "1990"), "Enter a real date of birth, for example 27 3 1990", 0),
    ],
)
def test_a_date_of_birth_that_is_not_a_date_is_refused_on_the_right_input(
    owner_client, draft, parts, message, target
):
    response = owner_client.post(
        url("persons", draft),
        {"full_name": "A"} | {f"date_of_birth_{i}": part for i, part in enumerate(parts)},
    )
    _answered(response, message)
    links = assert_links_go_to_fields(response)
    assert (f"id_date_of_birth_{target}", message) in links
    # Never saved as "no date of birth".
    assert not PersonLink.objects.exists()


def test_the_change_person_page_names_every_problem(owner_client, world, draft):
    link = referral_person_add(referral=draft, by=world.owner, data={"full_name": "A B"})
    page = url("person_edit", draft, link_pk=link.pk)
    _answered(
        owner_client.post(page, {"version": link.person.version}),
        "Enter the person's name, a name they are known by, or a description",
    )
    _answered(
        owner_client.post(page, NONSENSE_PERSON),
        "Enter a real date of birth, for example 27 3 1990",
    )
    link.person.refresh_from_db()
    assert link.person.full_name == "A B"


def test_the_places_page_names_every_problem(owner_client, draft):
    _answered(
        owner_client.post(url("places", draft), {}), "Enter the name of the place or its address"
    )
    _answered(
        owner_client.post(
            url("places", draft),
            {"creation_key": "k", "name": "n" * 201, "address": "a\x00", "description": TOO_LONG},
        ),
        "The name of the place is too long. Keep this answer to 200 characters or fewer",
        "Why the place is a concern is too long. Keep this answer to 10,000 characters or fewer",
    )
    assert not ReferralPlace.objects.exists()


def test_the_send_page_links_its_errors_to_what_to_do_next(owner_client, world, draft):
    # A broken form: the link goes to the send button.
    broken = owner_client.post(url("submit", draft), {})
    assert _answered(broken)
    assert [t for t, _ in assert_links_go_to_fields(broken)] == ["submit-id-submit"]
    # An incomplete referral: the links go to "Complete the referral".
    incomplete, _ = Referral.objects.get_or_create(
        child=draft.child,
        referring_agency=world.school,
        referred_by=world.owner,
        basis_of_concern="",
        creation_key="00000000-0000-4000-8000-000000000001",
    )
    response = owner_client.post(
        url("submit", incomplete), {"submission_key": "00000000-0000-4000-8000-000000000002"}
    )
    summary = _answered(response, "Describe the concern: why you are making this referral")
    assert {t for t, _ in assert_links_go_to_fields(response)} == {"complete-referral"}
    assert len(summary) == 4
    assert "Complete the referral" in text(response)


def test_an_age_is_a_styled_gov_uk_text_input(owner_client, world, draft):
    pages = [url("persons", draft), reverse("referrals:start_unidentified")]
    for page in pages:
        reader = read_form(owner_client.get(page).content.decode())
        tag, attrs = reader.ids["id_approximate_age"]
        assert (tag, attrs.get("type"), attrs.get("inputmode")) == ("input", "text", "numeric")
        assert "govuk-input" in attrs["class"].split()
