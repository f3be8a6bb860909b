"""Sign-in bookkeeping for the session limits (see cse_portal.middleware)."""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

SESSION_SIGNED_IN_AT = "cse_signed_in_at"
SESSION_LAST_SEEN_AT = "cse_last_seen_at"


@receiver(user_logged_in)
def start_session_clock(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    # django.contrib.auth.login() has already cycled the session key (no session fixation).
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[SESSION_SIGNED_IN_AT] = now
        request.session[SESSION_LAST_SEEN_AT] = now
