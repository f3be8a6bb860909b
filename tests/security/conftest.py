"""Fixtures for the sign-in and security tests: real password sign-in through the real form."""

from __future__ import annotations

import re
import time

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from cse_portal.models import Officer
from tests import factories
from tests.factories import TEST_PASSWORD, OfficerFactory

SIGN_IN_URL = reverse("accounts:sign_in")
SETUP_URL = reverse("accounts:two_factor_setup")
VERIFY_URL = reverse("accounts:two_factor_verify")


def password_sign_in(client: Client, username: str, password: str = TEST_PASSWORD, **extra):
    """Post the real sign-in form, as a browser would."""
    return client.post(SIGN_IN_URL, {"username": username, "password": password}, **extra)


def current_code(device: TOTPDevice) -> str:
    """The code the officer's authenticator app shows now."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    """A code that is not accepted now, whatever the clock-drift tolerance."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    now = time.time()
    accepted = set()
    for offset in range(-device.tolerance - 1, device.tolerance + 2):
        totp.time = now + offset * device.step
        accepted.add(totp.token())
    code = next(n for n in range(10**6) if n not in accepted)
    return f"{code:06d}"


def confirmed_device(officer: Officer) -> TOTPDevice:
    return TOTPDevice.objects.create(user=officer, name="Authenticator app", confirmed=True)


def session_exists(session_key: str) -> bool:
    return Session.objects.filter(session_key=session_key).exists()


def signed_in_officer_id(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


def csp_nonce(response) -> str:
    match = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])
    assert match, response["Content-Security-Policy"]
    return match.group(1)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests sign in with real passwords dozens of times (every failure hashes, even for
    a name that does not exist); at PBKDF2's production cost that alone would take half a
    minute. A cheap hasher keeps the sign-in path real but fast. The officers' cached password
    hash is made afresh with it."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    monkeypatch.setattr(factories, "_PASSWORD_HASH", {})


@pytest.fixture
def sysadmin(db: None) -> Officer:
    return OfficerFactory(
        username="sysadmin",
        first_name="Sam",
        last_name="Admin",
        agency=None,
        role=Officer.Role.SYSTEM_ADMINISTRATOR,
        is_staff=True,
        is_superuser=True,
    )
