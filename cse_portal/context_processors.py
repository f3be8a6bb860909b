from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from cse_portal import navigation


def portal(request: HttpRequest) -> dict[str, Any]:
    return {
        "demo_mode": settings.DEMO_MODE or not settings.CSE_REQUIRE_2FA,
        "two_factor_required": settings.CSE_REQUIRE_2FA,
        # The seconds the server will still allow from this page (the stored idle clock may be
        # up to a minute behind the last request: cse_portal.middleware.SessionLimitsMiddleware).
        "session_idle_seconds": getattr(
            request, "cse_idle_seconds_left", settings.CSE_SESSION_IDLE_SECONDS
        ),
        "session_warning_seconds": settings.CSE_SESSION_WARNING_SECONDS,
    }


def service_navigation(request: HttpRequest) -> dict[str, Any]:
    """The navigation items registered by the core and the apps that show to this officer."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"service_navigation": []}
    return {"service_navigation": navigation.registry.items_for(user)}
