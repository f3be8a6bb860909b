"""Session limits, two-factor enforcement and no-store caching for signed-in pages."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import devices_for_user

from cse_portal.signals import SESSION_LAST_SEEN_AT, SESSION_SIGNED_IN_AT

Handler = Callable[[HttpRequest], HttpResponse]


class SessionLimitsMiddleware:
    """30 minutes idle and 12 hours absolute; past either the session ends on the server."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            signed_in_at = request.session.get(SESSION_SIGNED_IN_AT, now)
            last_seen_at = request.session.get(SESSION_LAST_SEEN_AT, now)
            # ">=": the browser's warning counts the same seconds from the page load (never
            # earlier than last_seen_at), so when it sends the officer to the timed-out page the
            # server must already agree the session has ended; with ">" a request landing on the
            # very second would be let in and keep an unattended session alive.
            idle = now - last_seen_at >= settings.CSE_SESSION_IDLE_SECONDS
            too_old = now - signed_in_at >= settings.CSE_SESSION_ABSOLUTE_SECONDS
            if idle or too_old:
                logout(request)  # flushes the session on the server
                query = urlencode({"timeout": "idle" if idle else "absolute"})
                return redirect(f"{reverse('accounts:sign_in')}?{query}")
            # The idle clock is written at most once every `touch_seconds` (a minute at the
            # 30-minute limit): an unchanged session is not saved, which spares every page an
            # UPDATE of the session row (with its BEGIN and COMMIT). The clock kept is then up
            # to a minute behind the last request, so the server ends an idle session up to a
            # minute early, never late; the page's warning counts down from the seconds the
            # server will actually allow (`idle_seconds_left`), not from the full limit.
            if SESSION_SIGNED_IN_AT not in request.session:
                request.session[SESSION_SIGNED_IN_AT] = signed_in_at
            if now - last_seen_at >= touch_seconds() or SESSION_LAST_SEEN_AT not in request.session:
                request.session[SESSION_LAST_SEEN_AT] = last_seen_at = now
            request.cse_idle_seconds_left = (  # type: ignore[attr-defined]
                settings.CSE_SESSION_IDLE_SECONDS - (now - last_seen_at)
            )
        return self.get_response(request)


def touch_seconds() -> int:
    """How stale the stored idle clock may be: a thirtieth of the idle limit, at most a minute
    (a 30-minute limit: a minute; a test's 8-second limit: every request)."""
    return min(60, settings.CSE_SESSION_IDLE_SECONDS // 30)


def renew_idle_clock(request: HttpRequest) -> None:
    """ "Stay signed in": the idle clock restarts now, whenever it was last written."""
    now = int(time.time())
    request.session[SESSION_LAST_SEEN_AT] = now
    request.cse_idle_seconds_left = settings.CSE_SESSION_IDLE_SECONDS  # type: ignore[attr-defined]


# Pages a signed-in officer without a verified second factor may still reach.
_TWO_FACTOR_EXEMPT_URL_NAMES = (
    "accounts:two_factor_setup",
    "accounts:two_factor_verify",
    "accounts:sign_out",
    "accounts:sign_in",
)


class TwoFactorRequiredMiddleware:
    """When CSE_REQUIRE_2FA is on, an officer must verify a TOTP code before anything else."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            settings.CSE_REQUIRE_2FA
            and user.is_authenticated
            and not user.is_verified()  # type: ignore[attr-defined]  # set by django-otp's OTPMiddleware, which runs first
            and not request.path.startswith(settings.STATIC_URL)
        ):
            exempt = {reverse(name) for name in _TWO_FACTOR_EXEMPT_URL_NAMES}
            if request.path not in exempt:
                has_device = any(devices_for_user(user, confirmed=True))
                target = reverse(
                    "accounts:two_factor_verify" if has_device else "accounts:two_factor_setup"
                )
                if request.method == "GET":  # come back to the page asked for afterwards
                    target = f"{target}?{urlencode({'next': request.get_full_path()})}"
                return redirect(target)
        return self.get_response(request)


class NoStoreForSignedInMiddleware:
    """Pages for a signed-in officer can hold children's data: no browser or proxy may keep them."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.user.is_authenticated:
            response["Cache-Control"] = "no-store, private"
            response["Pragma"] = "no-cache"
        return response
