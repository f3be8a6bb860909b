"""Sign-in with username and password, and the django-axes lockout (5 failures, 30 minutes)."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import F
from django.test import Client
from django.urls import reverse

from cse_portal.accounts import LOCKOUT_MESSAGE
from tests.factories import TEST_PASSWORD, OfficerFactory

from .conftest import SIGN_IN_URL, password_sign_in, signed_in_officer_id

pytestmark = pytest.mark.django_db

BAD_LOGIN_MESSAGE = "Enter a correct username and password."


def text_of(response) -> str:
    return html.unescape(response.content.decode())


def fail_five_times(client: Client, username: str) -> list:
    return [password_sign_in(client, username, "wrong-password-123") for _ in range(5)]


def page_without_per_request_values(response, username: str) -> str:
    """The page with the CSRF token, the CSP nonce and the typed username taken out."""
    page = response.content.decode()
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", page)
    page = re.sub(r'name="csrf-token" content="[^"]+"', "CSRF", page)
    page = re.sub(r'nonce="[^"]+"', "NONCE", page)
    return page.replace(f'value="{username}"', 'value="USERNAME"')


def test_settings_lock_a_username_after_five_failures_for_thirty_minutes():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 30 * 60
    assert settings.AXES_LOCKOUT_PARAMETERS == ["username"]


def test_an_officer_signs_in_with_username_and_password(world):
    client = Client()
    response = password_sign_in(client, "owner")
    assert response.status_code == 302
    assert signed_in_officer_id(client) == str(world.owner.pk)


def test_a_wrong_password_and_an_unknown_username_get_the_same_message(world):
    wrong_password = password_sign_in(Client(), "owner", "not-the-password")
    unknown_name = password_sign_in(Client(), "nobody-here", "not-the-password")
    assert wrong_password.status_code == unknown_name.status_code == 200
    assert BAD_LOGIN_MESSAGE in text_of(wrong_password)
    assert BAD_LOGIN_MESSAGE in text_of(unknown_name)
    assert "govuk-error-summary" in text_of(wrong_password)


def test_four_failures_still_allow_the_right_password(world):
    client = Client()
    for _ in range(4):
        response = password_sign_in(client, "owner", "wrong-password-123")
        assert response.status_code == 200
        assert BAD_LOGIN_MESSAGE in text_of(response)
    response = password_sign_in(client, "owner")
    assert response.status_code == 302
    assert signed_in_officer_id(client) == str(world.owner.pk)


def test_the_fifth_failure_locks_the_username_out(world):
    responses = fail_five_times(Client(), "owner")
    assert [r.status_code for r in responses] == [200, 200, 200, 200, 429]
    assert LOCKOUT_MESSAGE in text_of(responses[-1])
    assert BAD_LOGIN_MESSAGE not in text_of(responses[-1])


def test_lockout_looks_the_same_for_an_existing_and_a_non_existent_username(world):
    existing = fail_five_times(Client(), "owner")[-1]
    non_existent = fail_five_times(Client(), "no-such-officer")[-1]

    assert existing.status_code == non_existent.status_code == 429
    assert LOCKOUT_MESSAGE in text_of(existing)
    assert LOCKOUT_MESSAGE in text_of(non_existent)
    # Not just the message: the whole page is the same but for the name typed.
    assert page_without_per_request_values(existing, "owner") == page_without_per_request_values(
        non_existent, "no-such-officer"
    )
    # And a further try afterwards answers alike too.
    again_existing = password_sign_in(Client(), "owner", "another-guess-456")
    again_non_existent = password_sign_in(Client(), "no-such-officer", "another-guess-456")
    assert again_existing.status_code == again_non_existent.status_code == 429
    assert page_without_per_request_values(
        again_existing, "owner"
    ) == page_without_per_request_values(again_non_existent, "no-such-officer")


def test_after_lockout_even_the_correct_password_is_refused(world):
    client = Client()
    fail_five_times(client, "owner")
    response = password_sign_in(client, "owner", TEST_PASSWORD)
    assert response.status_code == 429
    assert LOCKOUT_MESSAGE in text_of(response)
    assert signed_in_officer_id(client) is None


def test_the_lockout_page_is_the_sign_in_page_with_a_govuk_error_summary(world):
    response = fail_five_times(Client(), "owner")[-1]
    page = text_of(response)
    assert "<title>Error: Sign in" in page
    assert 'class="govuk-error-summary"' in page
    assert 'value="owner"' in page  # what the officer typed is kept
    assert "wrong-password-123" not in page  # the password never is


def test_another_browser_or_address_does_not_get_round_the_lockout(world):
    fail_five_times(Client(), "owner")
    other = Client(HTTP_USER_AGENT="Another browser/1.0", REMOTE_ADDR="203.0.113.9")
    response = password_sign_in(other, "owner", TEST_PASSWORD)
    assert response.status_code == 429
    assert signed_in_officer_id(other) is None


def test_a_locked_username_does_not_lock_out_colleagues_at_the_same_office(world):
    fail_five_times(Client(), "owner")
    colleague = Client()
    response = password_sign_in(colleague, "lead")
    assert response.status_code == 302
    assert signed_in_officer_id(colleague) == str(world.lead.pk)


def test_the_correct_password_works_again_after_thirty_minutes(world):
    client = Client()
    fail_five_times(client, "owner")
    assert password_sign_in(client, "owner").status_code == 429

    # Move the clock: every recorded attempt now lies 31 minutes further in the past.
    moved = AccessAttempt.objects.filter(username="owner").update(
        attempt_time=F("attempt_time") - timedelta(minutes=31)
    )
    assert moved >= 1

    response = password_sign_in(client, "owner")
    assert response.status_code == 302
    assert signed_in_officer_id(client) == str(world.owner.pk)


def test_a_locked_out_try_counts_once_and_restarts_the_thirty_minutes(world):
    client = Client()
    fail_five_times(client, "owner")
    assert sum(a.failures_since_start for a in AccessAttempt.objects.filter(username="owner")) == 5
    AccessAttempt.objects.filter(username="owner").update(
        attempt_time=F("attempt_time") - timedelta(minutes=29)
    )
    # A try during the lockout restarts the cool-off, so 29 + 2 minutes later it still holds.
    password_sign_in(client, "owner", "yet-another-guess")
    assert sum(a.failures_since_start for a in AccessAttempt.objects.filter(username="owner")) == 6
    AccessAttempt.objects.filter(username="owner").update(
        attempt_time=F("attempt_time") - timedelta(minutes=2)
    )
    assert password_sign_in(client, "owner").status_code == 429


def test_a_successful_sign_in_clears_earlier_failures(world):
    client = Client()
    for _ in range(4):
        password_sign_in(client, "owner", "wrong-password-123")
    assert password_sign_in(client, "owner").status_code == 302
    assert not AccessAttempt.objects.filter(username="owner").exists()


def test_an_inactive_officer_gets_the_same_message_as_a_wrong_password(world):
    OfficerFactory(username="left-the-agency", is_active=False)
    response = password_sign_in(Client(), "left-the-agency", TEST_PASSWORD)
    assert response.status_code == 200
    assert BAD_LOGIN_MESSAGE in text_of(response)


def test_the_sign_in_page_is_reached_by_get_and_post_only(db):
    assert Client().get(SIGN_IN_URL).status_code == 200
    assert Client().put(SIGN_IN_URL).status_code == 405


def test_the_failed_attempts_record_never_keeps_the_password_typed(world):
    fail_five_times(Client(), "owner")
    attempts = list(AccessAttempt.objects.filter(username="owner"))
    assert attempts
    for attempt in attempts:
        assert "wrong-password-123" not in attempt.post_data


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/children/"])
def test_signing_in_does_not_send_the_officer_to_another_site(world, next_url):
    client = Client()
    response = client.post(
        f"{SIGN_IN_URL}?next={next_url}", {"username": "owner", "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == reverse(settings.LOGIN_REDIRECT_URL)
