"""What every signed-in page reads and writes before its own work (docs/benchmarks.md): the
session, the officer with the agency and the second factor's device ids in one query, the
navigation's questions in one statement, and the session written only when the idle clock
moves by a minute or more. The limits and the second factor hold as before."""

from __future__ import annotations

import html
import re
import time
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from cse_portal.signals import SESSION_LAST_SEEN_AT, SESSION_SIGNED_IN_AT

from .conftest import VERIFY_URL

pytestmark = pytest.mark.django_db

MINUTE = 60


def _seen_ago(client, seconds: int) -> None:
    now = int(time.time())
    session = client.session
    session[SESSION_LAST_SEEN_AT] = now - seconds
    session[SESSION_SIGNED_IN_AT] = now - seconds - MINUTE
    session.save()


def _get(client, url: str):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response, [q["sql"] for q in captured.captured_queries]


def test_a_page_within_the_minute_does_not_write_the_session(owner_client):
    _seen_ago(owner_client, 20)
    before = owner_client.session[SESSION_LAST_SEEN_AT]

    response, sql = _get(owner_client, reverse("children:list"))

    assert response.status_code == 200
    writes = ('UPDATE "django_session"', 'INSERT INTO "django_session"')
    assert not [s for s in sql if any(w in s for w in writes)]
    assert owner_client.session[SESSION_LAST_SEEN_AT] == before


def test_a_page_a_minute_later_writes_the_idle_clock(owner_client):
    _seen_ago(owner_client, MINUTE)
    before = int(time.time())

    response, sql = _get(owner_client, reverse("children:list"))

    assert response.status_code == 200
    assert [s for s in sql if 'UPDATE "django_session"' in s]
    assert owner_client.session[SESSION_LAST_SEEN_AT] >= before


def test_the_page_counts_down_from_the_seconds_the_server_still_allows(owner_client):
    # The stored clock is 40 s old (not rewritten within the minute): the server ends the
    # session 30 minutes after it, so the page's warning must count from 29 min 20 s.
    _seen_ago(owner_client, 40)
    page = html.unescape(owner_client.get(reverse("children:list")).content.decode())
    left = int(re.search(r'data-idle-seconds="(\d+)"', page).group(1))
    assert settings.CSE_SESSION_IDLE_SECONDS - 42 <= left <= settings.CSE_SESSION_IDLE_SECONDS - 40


def test_staying_signed_in_always_restarts_the_idle_clock(owner_client):
    _seen_ago(owner_client, 30)  # within the minute: a page would not write it
    before = int(time.time())
    response = owner_client.post(reverse("accounts:session_extend"))
    assert response.status_code == 200
    assert owner_client.session[SESSION_LAST_SEEN_AT] >= before


def test_the_officer_agency_and_device_are_one_query(owner_client):
    response, sql = _get(owner_client, reverse("children:list"))
    assert response.status_code == 200
    officer_reads = [s for s in sql if s.startswith('SELECT "cse_portal_officer"."id"')]
    assert len(officer_reads) == 1
    assert '"cse_portal_agency"' in officer_reads[0]
    assert '"otp_totp_totpdevice"' in officer_reads[0]
    # Neither the agency nor the device is read again on its own.
    assert not [s for s in sql if s.startswith('SELECT "otp_totp_totpdevice"')]
    assert not [s for s in sql if s.startswith('SELECT "cse_portal_agency"')]


def test_the_navigation_asks_its_questions_in_one_statement(csc_client, world):
    # A CSC officer's navigation has the tray's count, the notifications' count, "Your
    # meetings" and "Your actions": one statement in all.
    response, sql = _get(csc_client, reverse("children:list"))
    assert response.status_code == 200
    navigation = [s for s in sql if '"nav_0"' in s]
    assert len(navigation) == 1
    assert '"referrals_referral"' in navigation[0]
    assert '"cse_portal_notification"' in navigation[0]


def test_a_device_deleted_after_sign_in_no_longer_counts_at_the_next_request(owner_client, world):
    assert owner_client.get(reverse("children:list")).status_code == 200
    TOTPDevice.objects.filter(user=world.owner).delete()  # an administrator removes a lost phone

    response = owner_client.get(reverse("children:list"))

    assert response.status_code == 302
    assert urlsplit(response.url).path == reverse("accounts:two_factor_setup")


def test_a_device_no_longer_confirmed_no_longer_counts(owner_client, world):
    TOTPDevice.objects.filter(user=world.owner).update(confirmed=False)
    response = owner_client.get(reverse("children:list"))
    assert response.status_code == 302
    assert urlsplit(response.url).path in {VERIFY_URL, reverse("accounts:two_factor_setup")}


def test_another_officers_device_in_the_session_does_not_verify(owner_client, world):
    other = TOTPDevice.objects.create(user=world.involved, name="theirs", confirmed=True)
    session = owner_client.session
    session["otp_device_id"] = other.persistent_id
    session.save()
    response = owner_client.get(reverse("children:list"))
    assert response.status_code == 302
    assert urlsplit(response.url).path == VERIFY_URL
