"""Telling invitees inside the portal (a MeetingNotice per officer, on "Your meetings"), and
by e-mail with no case content at all: no name, no detail, only that there is an invitation
and where to sign in. Issue 10 will generalise notifications."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.core.mail import send_mass_mail
from django.utils import timezone

from cse_portal.models import Officer
from strategy_meetings.models import Meeting, MeetingNotice, NoticeKind

logger = logging.getLogger(__name__)

# The whole of the e-mail: it may reach an inbox that others read, so it says nothing about
# the child or the meeting.
INVITATION_EMAIL_SUBJECT = "You have a new strategy meeting invitation in CSE Portal"
INVITATION_EMAIL_TEXT = "You have a new strategy meeting invitation in CSE Portal"


def notify(
    meeting: Meeting, officers: Iterable[Officer | None], kind: NoticeKind, detail: str = ""
) -> list[MeetingNotice]:
    """One notice per officer (each once), about the meeting."""
    seen: set[int] = set()
    notices = []
    for officer in officers:
        if officer is None or officer.pk in seen:
            continue
        seen.add(officer.pk)
        notices.append(MeetingNotice(officer=officer, meeting=meeting, kind=kind, detail=detail))
    return MeetingNotice.objects.bulk_create(notices)


def send_invitation_emails(officers: Iterable[Officer | None], *, link: str) -> int:
    """The e-mail of a new invitation to each officer with an address: the fixed sentence and
    the link to sign in. Failing to send never fails the invitation (the notice stands)."""
    body = f"{INVITATION_EMAIL_TEXT}\n\n{link}\n"
    messages = [
        (INVITATION_EMAIL_SUBJECT, body, None, [officer.email])
        for officer in {o.pk: o for o in officers if o is not None}.values()
        if officer.email and officer.is_active
    ]
    if not messages:
        return 0
    try:
        return send_mass_mail(tuple(messages))
    except OSError:  # smtplib's errors are OSErrors: no mail server, refused, timed out
        logger.warning("The strategy meeting invitation e-mail could not be sent", exc_info=True)
        return 0


def mark_read(officer: Officer) -> int:
    return MeetingNotice.objects.filter(officer=officer, read_at__isnull=True).update(
        read_at=timezone.now()
    )
