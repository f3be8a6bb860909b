"""Session limits (30 minutes idle, 12 hours absolute), session fixation and sign-out."""

from __future__ import annotations

import html
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from cse_portal.accounts import TIMEOUT_MESSAGES
from cse_portal.signals import SESSION_LAST_SEEN_AT, SESSION_SIGNED_IN_AT
from tests.conftest import sign_in

from .conftest import (
    SIGN_IN_URL,
    VERIFY_URL,
    confirmed_device,
    current_code,
    password_sign_in,
    session_exists,
    signed_in_officer_id,
)

pytestmark = pytest.mark.django_db

MINUTE = 60
HOUR = 60 * MINUTE


def sign_in_with_csrf_checks(officer) -> Client:
    return sign_in(Client(enforce_csrf_checks=True), officer)


def text_of(response) -> str:
    return html.unescape(response.content.decode())


def move_session_clock(client: Client, *, last_seen_ago: int = 0, signed_in_ago: int = 0) -> str:
    """Pretend the last request and the sign-in happened that many seconds ago."""
    now = int(time.time())
    session = client.session
    session[SESSION_LAST_SEEN_AT] = now - last_seen_ago
    session[SESSION_SIGNED_IN_AT] = now - max(signed_in_ago, last_seen_ago)
    session.save()
    return session.session_key


def assert_signed_out_with(response, reason: str) -> None:
    assert response.status_code == 302
    parts = urlsplit(response.url)
    assert parts.path == SIGN_IN_URL
    assert parse_qs(parts.query) == {"timeout": [reason]}


def test_the_limits_are_thirty_minutes_idle_and_twelve_hours_in_all():
    assert settings.CSE_SESSION_IDLE_SECONDS == 30 * MINUTE
    assert settings.CSE_SESSION_ABSOLUTE_SECONDS == 12 * HOUR


def test_signing_in_sets_both_session_clocks(world):
    client = Client()
    before = int(time.time())
    password_sign_in(client, "owner")
    session = client.session
    assert before <= session[SESSION_SIGNED_IN_AT] <= int(time.time())
    assert session[SESSION_LAST_SEEN_AT] == session[SESSION_SIGNED_IN_AT]


def test_after_31_idle_minutes_the_next_request_signs_the_officer_out(owner_client):
    key = move_session_clock(owner_client, last_seen_ago=31 * MINUTE)
    assert session_exists(key)

    response = owner_client.get(reverse("children:list"))

    assert_signed_out_with(response, "idle")
    assert not session_exists(key)  # ended on the server, not just forgotten by the browser
    assert signed_in_officer_id(owner_client) is None
    sign_in_page = owner_client.get(response.url)
    assert sign_in_page.status_code == 200
    assert TIMEOUT_MESSAGES["idle"] in text_of(sign_in_page)


def test_the_idle_limit_also_ends_a_post_without_acting_on_it(world, owner_client):
    key = move_session_clock(owner_client, last_seen_ago=31 * MINUTE)
    share_url = reverse("children:share", kwargs={"child_pk": world.child.pk})
    response = owner_client.post(share_url, {"agency": world.health.pk, "reason": "Test"})
    assert_signed_out_with(response, "idle")
    assert not session_exists(key)
    assert not world.child.involvements.filter(agency=world.health).exists()


def test_idle_exactly_to_the_limit_is_signed_out(owner_client):
    # The browser's warning sends the officer to the signed-out page when its count, started
    # at the page load, reaches the limit: the server must not let that request in.
    key = move_session_clock(owner_client, last_seen_ago=settings.CSE_SESSION_IDLE_SECONDS)
    response = owner_client.get(reverse("children:list"))
    assert_signed_out_with(response, "idle")
    assert not session_exists(key)


def test_after_12_hours_and_1_minute_signed_in_the_next_request_signs_the_officer_out(
    owner_client,
):
    key = move_session_clock(owner_client, last_seen_ago=MINUTE, signed_in_ago=12 * HOUR + MINUTE)

    response = owner_client.get(reverse("children:list"))

    assert_signed_out_with(response, "absolute")
    assert not session_exists(key)
    sign_in_page = owner_client.get(response.url)
    assert TIMEOUT_MESSAGES["absolute"] in text_of(sign_in_page)


def test_a_request_within_the_idle_limit_renews_the_idle_clock(owner_client):
    key = move_session_clock(owner_client, last_seen_ago=29 * MINUTE, signed_in_ago=2 * HOUR)
    signed_in_at = owner_client.session[SESSION_SIGNED_IN_AT]
    before = int(time.time())

    assert owner_client.get(reverse("children:list")).status_code == 200

    session = owner_client.session
    assert session.session_key == key
    assert session[SESSION_LAST_SEEN_AT] >= before  # renewed by that request (however slow)
    assert session[SESSION_SIGNED_IN_AT] == signed_in_at  # the absolute clock does not move
    # 29 more minutes later the officer is still in, because the clock restarted.
    move_session_clock(owner_client, last_seen_ago=29 * MINUTE, signed_in_ago=3 * HOUR)
    assert owner_client.get(reverse("children:list")).status_code == 200


def test_activity_does_not_stretch_the_session_past_twelve_hours(owner_client):
    move_session_clock(owner_client, last_seen_ago=0, signed_in_ago=12 * HOUR + MINUTE)
    assert_signed_out_with(owner_client.get(reverse("children:list")), "absolute")


def test_staying_signed_in_keeps_the_session_alive(owner_client):
    key = move_session_clock(owner_client, last_seen_ago=28 * MINUTE)

    response = owner_client.post(reverse("accounts:session_extend"))

    assert response.status_code == 200
    assert response.json() == {"idle_seconds": settings.CSE_SESSION_IDLE_SECONDS}
    assert int(time.time()) - owner_client.session[SESSION_LAST_SEEN_AT] <= 2
    # 28 minutes after the extension (56 after the last page) the officer is still in.
    move_session_clock(owner_client, last_seen_ago=28 * MINUTE, signed_in_ago=HOUR)
    assert owner_client.get(reverse("children:list")).status_code == 200
    assert session_exists(key)


def test_staying_signed_in_is_post_only_and_too_late_after_the_idle_limit(owner_client):
    assert owner_client.get(reverse("accounts:session_extend")).status_code == 405
    key = move_session_clock(owner_client, last_seen_ago=31 * MINUTE)
    response = owner_client.post(reverse("accounts:session_extend"))
    assert_signed_out_with(response, "idle")
    assert not session_exists(key)


def test_staying_signed_in_needs_a_signed_in_officer(db):
    response = Client().post(reverse("accounts:session_extend"))
    assert response.status_code == 302
    assert urlsplit(response.url).path == SIGN_IN_URL


def test_the_page_carries_the_timeout_warning_with_the_idle_limit(owner_client):
    move_session_clock(owner_client)  # the idle clock written just now
    page = text_of(owner_client.get(reverse("children:list")))
    assert '<dialog id="timeout-warning"' in page
    # The seconds the server still allows: the limit, less the second the clock may have
    # ticked since it was written (the clock is written at most once a minute; see
    # tests/security/test_per_request_queries.py).
    idle = settings.CSE_SESSION_IDLE_SECONDS
    assert f'data-idle-seconds="{idle}"' in page or f'data-idle-seconds="{idle - 1}"' in page
    assert f'data-warning-seconds="{settings.CSE_SESSION_WARNING_SECONDS}"' in page
    assert f'data-extend-url="{reverse("accounts:session_extend")}"' in page


@override_settings(CSE_SESSION_IDLE_SECONDS=10 * MINUTE)
def test_the_timeout_warning_follows_the_idle_setting(owner_client):
    move_session_clock(owner_client)
    page = text_of(owner_client.get(reverse("children:list")))
    assert 'data-idle-seconds="600"' in page or 'data-idle-seconds="599"' in page
    move_session_clock(owner_client, last_seen_ago=11 * MINUTE)
    assert_signed_out_with(owner_client.get(reverse("children:list")), "idle")


def test_the_sign_in_page_has_no_timeout_warning(db):
    assert "timeout-warning" not in text_of(Client().get(SIGN_IN_URL))


def test_signing_in_gives_a_new_session_key(world):
    client = Client()
    session = client.session  # a session the visitor (or someone who planted it) already has
    session["planted"] = "before sign-in"
    session.save()
    key_before = session.session_key
    assert client.cookies[settings.SESSION_COOKIE_NAME].value == key_before

    response = password_sign_in(client, "owner")

    assert response.status_code == 302
    key_after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert key_after != key_before
    assert not session_exists(key_before)
    assert session_exists(key_after)
    assert signed_in_officer_id(client) == str(world.owner.pk)


def test_a_planted_session_key_does_not_become_signed_in(world):
    attacker = Client()
    planted = attacker.session
    planted.save()
    victim = Client()
    victim.cookies[settings.SESSION_COOKIE_NAME] = planted.session_key
    device = confirmed_device(world.owner)
    password_sign_in(victim, "owner")
    victim.post(VERIFY_URL, {"token": current_code(device)})
    assert victim.get(reverse("children:list")).status_code == 200

    response = attacker.get(reverse("children:list"))
    assert response.status_code == 302
    assert urlsplit(response.url).path == SIGN_IN_URL


def test_sign_out_by_get_is_refused_and_leaves_the_session(owner_client):
    key = owner_client.session.session_key
    response = owner_client.get(reverse("accounts:sign_out"))
    assert response.status_code == 405
    assert session_exists(key)
    assert owner_client.get(reverse("children:list")).status_code == 200


def test_sign_out_ends_the_session_on_the_server(owner_client):
    key = owner_client.session.session_key
    stolen_cookie = Client()
    stolen_cookie.cookies[settings.SESSION_COOKIE_NAME] = key
    assert stolen_cookie.get(reverse("children:list")).status_code == 200

    response = owner_client.post(reverse("accounts:sign_out"), follow=True)

    assert response.redirect_chain[0][0] == SIGN_IN_URL
    assert "You have signed out." in text_of(response)
    assert not session_exists(key)
    # Someone who copied the cookie before sign-out cannot use it afterwards.
    replay = stolen_cookie.get(reverse("children:list"))
    assert replay.status_code == 302
    assert urlsplit(replay.url).path == SIGN_IN_URL


def test_signed_in_pages_offer_sign_out_as_a_form_post(owner_client):
    page = text_of(owner_client.get(reverse("children:list")))
    assert f'<form method="post" action="{reverse("accounts:sign_out")}"' in page
    assert f'href="{reverse("accounts:sign_out")}"' not in page


def test_sign_in_and_sign_out_refuse_a_post_without_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    response = password_sign_in(client, "owner")
    assert response.status_code == 403
    assert signed_in_officer_id(client) is None

    signed_in = sign_in_with_csrf_checks(world.owner)
    key = signed_in.session.session_key
    assert signed_in.post(reverse("accounts:sign_out")).status_code == 403
    assert session_exists(key)
