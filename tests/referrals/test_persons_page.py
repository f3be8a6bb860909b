"""The persons-of-concern page of a draft."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from referrals.models import PersonLink
from tests.referrals.pages import text, url


def test_an_adult_person_of_concern_is_accepted(owner_client, draft):
    response = owner_client.post(
        url("persons", draft),
        {
            "full_name": "Older Adult",
            "date_of_birth_0": "1",
            "date_of_birth_1": "1",
            "date_of_birth_2": "1970",
        },
    )
    assert response.status_code == 302
    assert PersonLink.objects.get().person.is_under_18 is False


def test_a_person_of_concern_with_a_future_or_impossible_birth_date_gets_a_message(
    owner_client, draft
):
    tomorrow = timezone.localdate() + timedelta(days=1)
    future = owner_client.post(
        url("persons", draft),
        {
            "full_name": "Someone",
            "date_of_birth_0": tomorrow.day,
            "date_of_birth_1": tomorrow.month,
            "date_of_birth_2": tomorrow.year,
        },
    )
    assert "Date of birth must be today or in the past" in text(future)
    impossible = owner_client.post(
        url("persons", draft),
        {
            "full_name": "Someone",
            "date_of_birth_0": "31",
            "date_of_birth_1": "2",
            "date_of_birth_2": "99999999999",
        },
    )
    assert impossible.status_code == 200
    assert "Enter a real date" in text(impossible)
    nothing = owner_client.post(url("persons", draft), {"phone_numbers": "0770"})
    assert "Enter the person&#x27;s name" in text(nothing) or "Enter the person's name" in text(
        nothing
    )
    assert "0770" in text(nothing)
    assert not PersonLink.objects.exists()


def test_the_services_rules_are_listed_with_the_forms_own_errors(owner_client, draft):
    response = owner_client.post(
        url("persons", draft),
        {"date_of_birth_0": "31", "date_of_birth_1": "2", "date_of_birth_2": "2000"},
    )
    page = text(response)
    assert response.status_code == 200
    assert "Enter a real date" in page
    assert "Enter the person&#x27;s name" in page or "Enter the person's name" in page
    assert not PersonLink.objects.exists()
