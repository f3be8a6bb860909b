"""What every write of a strategy meeting begins with: the meeting's row locked, the
officer's part in it (the predicates of `strategy_meetings.selectors`) and its state checked.

A refusal for lack of permission raises PermissionDenied; a refusal because of the meeting's
state (already final) raises ValidationError, which the page shows.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

from strategy_meetings.models import Meeting

FINAL_MESSAGE = "The minutes of this meeting are final and can no longer be changed."


def locked(meeting: Meeting) -> Meeting:
    """The meeting's row, locked until the transaction ends, with its current state."""
    return Meeting.objects.select_for_update().select_related("child").get(pk=meeting.pk)


def require_draft(meeting: Meeting) -> None:
    if not meeting.is_draft:
        raise ValidationError(FINAL_MESSAGE)


def require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def text(value: object) -> str:
    return str(value or "").strip()
