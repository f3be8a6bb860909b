"""Two-factor sign-in with a TOTP authenticator app (django-otp)."""

from __future__ import annotations

import html
from base64 import b32encode
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import OfficerFactory

from .conftest import (
    SETUP_URL,
    VERIFY_URL,
    confirmed_device,
    current_code,
    password_sign_in,
    signed_in_officer_id,
    wrong_code,
)

pytestmark = pytest.mark.django_db

WRONG_CODE_MESSAGE = "The security code is not right. Check your app and try again"
DEMO_BANNER = "Demo system — all names, agencies and places are fictional."


def text_of(response) -> str:
    return html.unescape(response.content.decode())


def path_of(url: str) -> str:
    return urlsplit(url).path


def pages_to_try(world) -> list[str]:
    return [
        reverse("home"),
        reverse("children:list"),
        reverse("children:add"),
        reverse("children:detail", kwargs={"child_pk": world.child.pk}),
        reverse("children:audit", kwargs={"child_pk": world.child.pk}),
        reverse("admin:index"),
    ]


@pytest.fixture
def password_only_client(world) -> Client:
    """The owner after the password step, with no authenticator app set up yet."""
    client = Client()
    assert password_sign_in(client, "owner").status_code == 302
    return client


def test_two_factor_sign_in_is_on_by_default():
    assert settings.CSE_REQUIRE_2FA is True


def test_an_officer_without_an_app_is_sent_from_every_page_to_set_one_up(
    world, password_only_client
):
    for url in pages_to_try(world):
        response = password_only_client.get(url)
        assert response.status_code == 302, url
        assert path_of(response.url) == SETUP_URL, url
    # Not a page, but not a way round either.
    response = password_only_client.post(reverse("accounts:session_extend"))
    assert response.status_code == 302
    assert path_of(response.url) == SETUP_URL


def test_the_child_record_is_not_shown_before_the_second_factor(world, password_only_client):
    response = password_only_client.get(
        reverse("children:detail", kwargs={"child_pk": world.child.pk}), follow=True
    )
    assert "Jamie" not in text_of(response)
    assert response.redirect_chain[-1][0].startswith(SETUP_URL)


def test_the_set_up_page_shows_a_qr_code_and_the_key(world, password_only_client):
    response = password_only_client.get(SETUP_URL)
    assert response.status_code == 200
    page = text_of(response)
    assert '<h1 class="govuk-heading-l">Set up two-factor sign-in</h1>' in page
    device = TOTPDevice.objects.get(user=world.owner)
    assert device.confirmed is False
    assert '<div class="app-qr-code" role="img"' in page
    svg = page.split('<div class="app-qr-code"', 1)[1]
    assert svg.split(">", 1)[1].lstrip().startswith("<svg")
    key = b32encode(device.bin_key).decode()
    shown = " ".join(key[i : i + 4] for i in range(0, len(key), 4))
    assert f'<code class="app-secret-key">{shown}</code>' in page
    assert "style=" not in page  # the strict CSP would block inline styles


def test_the_set_up_page_keeps_the_same_key_when_reloaded(world, password_only_client):
    first = text_of(password_only_client.get(SETUP_URL))
    second = text_of(password_only_client.get(SETUP_URL))
    assert TOTPDevice.objects.filter(user=world.owner).count() == 1
    key_of = lambda page: page.split('class="app-secret-key">', 1)[1].split("<", 1)[0]  # noqa: E731
    assert key_of(first) == key_of(second)


def test_a_correct_code_confirms_the_app_and_lets_the_officer_in(world, password_only_client):
    password_only_client.get(SETUP_URL)
    device = TOTPDevice.objects.get(user=world.owner)

    response = password_only_client.post(SETUP_URL, {"token": current_code(device)})

    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed is True
    page = password_only_client.get(reverse("children:edit", kwargs={"child_pk": world.child.pk}))
    assert page.status_code == 200
    assert "Jamie" in text_of(page)


def test_after_set_up_the_officer_returns_to_the_page_first_asked_for(world, password_only_client):
    detail = reverse("children:detail", kwargs={"child_pk": world.child.pk})
    response = password_only_client.get(detail)
    assert parse_qs(urlsplit(response.url).query) == {"next": [detail]}
    password_only_client.get(response.url)
    device = TOTPDevice.objects.get(user=world.owner)
    response = password_only_client.post(response.url, {"token": current_code(device)})
    assert response.status_code == 302
    assert response.url == detail


def test_a_wrong_code_at_set_up_shows_the_govuk_error_summary(world, password_only_client):
    password_only_client.get(SETUP_URL)
    device = TOTPDevice.objects.get(user=world.owner)

    response = password_only_client.post(SETUP_URL, {"token": wrong_code(device)})

    assert response.status_code == 200
    page = text_of(response)
    assert 'class="govuk-error-summary"' in page
    assert "There is a problem" in page
    assert WRONG_CODE_MESSAGE in page
    assert "<title>Error: Set up two-factor sign-in" in page
    device.refresh_from_db()
    assert device.confirmed is False
    assert password_only_client.get(reverse("children:list")).status_code == 302


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the 6-digit security code"),
        ("12345", "Enter the 6-digit security code"),
        ("abcdef", "The security code must be 6 numbers"),
        ("1234567", "Enter the 6-digit security code"),
        ("<scrip", "The security code must be 6 numbers"),
    ],
)
def test_badly_typed_codes_get_a_clear_error_not_a_crash(
    world, password_only_client, typed, message
):
    response = password_only_client.post(SETUP_URL, {"token": typed})
    assert response.status_code == 200
    page = text_of(response)
    assert 'class="govuk-error-summary"' in page
    assert message in page


def test_an_officer_with_an_app_is_sent_to_enter_a_code(world):
    confirmed_device(world.owner)
    client = Client()
    password_sign_in(client, "owner")
    for url in pages_to_try(world):
        response = client.get(url)
        assert response.status_code == 302, url
        assert path_of(response.url) == VERIFY_URL, url
    # The set-up page cannot be used to add a second app without a code.
    response = client.get(SETUP_URL)
    assert path_of(response.url) == VERIFY_URL
    assert TOTPDevice.objects.filter(user=world.owner).count() == 1


def test_the_verify_page_refuses_a_wrong_code_with_the_govuk_error_summary(world):
    device = confirmed_device(world.owner)
    client = Client()
    password_sign_in(client, "owner")

    response = client.post(VERIFY_URL, {"token": wrong_code(device)})

    assert response.status_code == 200
    page = text_of(response)
    assert 'class="govuk-error-summary"' in page
    assert WRONG_CODE_MESSAGE in page
    assert client.get(reverse("children:list")).status_code == 302


def test_the_verify_page_accepts_the_current_code(world):
    device = confirmed_device(world.owner)
    client = Client()
    password_sign_in(client, "owner")

    response = client.post(VERIFY_URL, {"token": current_code(device)})

    assert response.status_code == 302
    assert response.url == reverse(settings.LOGIN_REDIRECT_URL)
    assert client.get(reverse("children:list")).status_code == 200


def test_a_code_cannot_be_used_twice(world):
    device = confirmed_device(world.owner)
    code = current_code(device)
    first = Client()
    password_sign_in(first, "owner")
    assert first.post(VERIFY_URL, {"token": code}).status_code == 302

    second = Client()
    password_sign_in(second, "owner")
    response = second.post(VERIFY_URL, {"token": code})
    assert response.status_code == 200
    assert WRONG_CODE_MESSAGE in text_of(response)


def test_repeated_wrong_codes_are_throttled(world):
    device = confirmed_device(world.owner)
    client = Client()
    password_sign_in(client, "owner")
    client.post(VERIFY_URL, {"token": wrong_code(device)})
    # Straight after a wrong code even the right one is refused for a while (django-otp
    # doubles the wait after each failure), so codes cannot be guessed at speed.
    response = client.post(VERIFY_URL, {"token": current_code(device)})
    assert response.status_code == 200
    # The officer is told to wait, not that a right code is wrong.
    assert "Too many wrong codes. Wait" in text_of(response)
    assert client.get(reverse("children:list")).status_code == 302


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/", "http://testserver.evil.example/"]
)
def test_the_verify_page_does_not_send_the_officer_to_another_site(world, next_url):
    device = confirmed_device(world.owner)
    client = Client()
    password_sign_in(client, "owner")
    response = client.post(f"{VERIFY_URL}?next={next_url}", {"token": current_code(device)})
    assert response.status_code == 302
    assert response.url == reverse(settings.LOGIN_REDIRECT_URL)


def test_the_second_factor_pages_need_the_password_first(db):
    for url in (SETUP_URL, VERIFY_URL):
        response = Client().get(url)
        assert response.status_code == 302
        assert path_of(response.url) == reverse("accounts:sign_in")


def test_an_officer_part_way_through_sign_in_can_still_sign_out(world, password_only_client):
    response = password_only_client.post(reverse("accounts:sign_out"))
    assert response.status_code == 302
    assert path_of(response.url) == reverse("accounts:sign_in")
    assert signed_in_officer_id(password_only_client) is None


def test_with_production_settings_the_demo_banner_is_not_shown(world):
    confirmed = OfficerFactory(username="verified", agency=world.school)
    device = confirmed_device(confirmed)
    client = Client()
    password_sign_in(client, "verified")
    client.post(VERIFY_URL, {"token": current_code(device)})
    page = text_of(client.get(reverse("children:list")))
    assert "app-demo-banner" not in page
    assert DEMO_BANNER not in page


@override_settings(CSE_REQUIRE_2FA=False)
def test_with_two_factor_turned_off_no_code_is_asked_and_the_demo_banner_shows(world):
    client = Client()
    response = password_sign_in(client, "owner", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("home")
    page = text_of(response)
    assert "app-demo-banner" in page
    assert DEMO_BANNER in page
    assert "Two-factor sign-in is turned off." in page
    assert not TOTPDevice.objects.filter(user=world.owner).exists()
    detail = client.get(reverse("children:edit", kwargs={"child_pk": world.child.pk}))
    assert detail.status_code == 200
