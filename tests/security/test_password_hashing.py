"""Passwords are hashed with Argon2; an older PBKDF2 hash is upgraded at the next sign-in.

The security tests use a cheap hasher (conftest.fast_password_hashing); these put the
project's own list of hashers back.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher, check_password, make_password
from django.test import Client

from cse_portal import settings as project_settings
from cse_portal.models import Officer
from tests.factories import TEST_PASSWORD, OfficerFactory

from .conftest import password_sign_in, signed_in_officer_id

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def project_hashers(settings, fast_password_hashing) -> None:
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS


def test_argon2_comes_first_and_pbkdf2_is_still_understood():
    assert project_settings.PASSWORD_HASHERS[0] == (
        "django.contrib.auth.hashers.Argon2PasswordHasher"
    )
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in project_settings.PASSWORD_HASHERS


def test_a_new_password_is_hashed_with_argon2():
    encoded = make_password(TEST_PASSWORD)
    assert encoded.startswith("argon2$argon2id$")
    assert check_password(TEST_PASSWORD, encoded)


def test_an_officers_pbkdf2_hash_becomes_argon2_when_they_next_sign_in(world):
    # An older hash, as Django's PBKDF2 wrote it (fewer iterations keep the test fast; the
    # stored hash carries its own count).
    old = PBKDF2PasswordHasher().encode(TEST_PASSWORD, "oldsaltoldsalt12", iterations=10_000)
    officer = OfficerFactory(username="longstanding", agency=world.school, password=old)

    response = password_sign_in(Client(), "longstanding")

    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.password.startswith("argon2$argon2id$")
    assert officer.password != old
    assert check_password(TEST_PASSWORD, officer.password)


def test_a_wrong_password_leaves_the_old_hash_alone(world):
    old = PBKDF2PasswordHasher().encode(TEST_PASSWORD, "oldsaltoldsalt12", iterations=10_000)
    OfficerFactory(username="longstanding", agency=world.school, password=old)
    client = Client()
    password_sign_in(client, "longstanding", password="not-the-password-1")
    assert signed_in_officer_id(client) is None
    assert Officer.objects.get(username="longstanding").password == old
