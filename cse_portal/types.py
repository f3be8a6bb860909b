"""Typing helpers shared by the apps."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from cse_portal.models import Officer


class AuthenticatedRequest(HttpRequest):
    """The request of a view behind @login_required: `user` is an Officer."""

    user: Officer  # type: ignore[assignment]  # narrows HttpRequest.user: @login_required let only an officer in
