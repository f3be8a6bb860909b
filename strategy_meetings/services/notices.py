"""Telling invitees inside the portal (a core notification per officer, of kind "meeting.*",
listed on "Notifications" and on "Your meetings"), and by e-mail with no case content at all:
no name, no detail, only that there is an invitation and where to sign in. The e-mail is
queued with the invitation (`invite` calls `send_invitation_emails`) and sent by the task
worker when the invitation's transaction commits."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse

from cse_portal import notifications
from cse_portal.mail_tasks import public_link, send_email_later
from cse_portal.models import Notification, Officer
from strategy_meetings.models import Meeting, NoticeKind

# The whole of the e-mail: it may reach an inbox that others read, so it says nothing about
# the child or the meeting.
INVITATION_EMAIL_SUBJECT = "You have a new strategy meeting invitation in CSE Portal"
INVITATION_EMAIL_TEXT = "You have a new strategy meeting invitation in CSE Portal"


KIND_PREFIX = "meeting."


def notify(
    meeting: Meeting, officers: Iterable[Officer | None], kind: NoticeKind, detail: str = ""
) -> list[Notification]:
    """One notification per officer (each once), about the meeting: the fixed sentence, the
    meeting's reference and a short detail (its time, who declined), never the child."""
    text = f"{kind.label}: {meeting.reference}"
    detail = detail.removeprefix(meeting.reference).removeprefix(": ")  # said once is enough
    if detail:
        text += f" ({detail})"
    return notifications.notify(
        recipients=officers,
        kind=KIND_PREFIX + kind.value,
        text=text,
        link=meeting.get_absolute_url(),
    )


def send_invitation_emails(officers: Iterable[Officer | None], *, link: str = "") -> int:
    """Queue the e-mail of a new invitation to each officer with an address (each once): the
    fixed sentence and the link to sign in ("Your meetings" unless `link` says otherwise).
    It is sent by the task worker once the invitation's transaction commits; failing to send
    never fails the invitation (the notice stands), and a failed send is recorded and tried
    again (cse_portal/mail_tasks.py). Returns how many were queued."""
    body = f"{INVITATION_EMAIL_TEXT}\n\n{link or public_link(reverse('strategy_meetings:mine'))}\n"
    addresses = [
        officer.email
        for officer in {o.pk: o for o in officers if o is not None}.values()
        if officer.email and officer.is_active
    ]
    for address in addresses:
        send_email_later(subject=INVITATION_EMAIL_SUBJECT, body=body, to=[address])
    return len(addresses)


def mark_read(officer: Officer) -> int:
    """Reading "Your meetings" reads the meeting notifications shown there."""
    return notifications.notifications_mark_all_read(by=officer, kind_prefix=KIND_PREFIX)


def tell_action_owner(meeting: Meeting, owner: Officer | None, by: Officer) -> None:
    """The officer given an action in the plan is told (not when they gave it themselves)."""
    if owner is not None and owner.pk != by.pk:
        notify(meeting, [owner], NoticeKind.ACTION)


def tell_sign_up_needed(meeting: Meeting, version: int, by: Officer) -> None:
    """The plan changed: attendees who had signed up to an earlier version are asked to sign
    up again (their earlier sign-up no longer counts, G23)."""
    from strategy_meetings.models import SignUp  # the plan's models, beside the meeting's

    signed_earlier = (
        SignUp.objects.filter(meeting=meeting, plan_version__lt=version)
        .exclude(invitation__officer__isnull=True)
        .exclude(invitation__officer=by)
        .values_list("invitation__officer", flat=True)
        .distinct()
    )
    notify(meeting, Officer.objects.filter(pk__in=signed_earlier), NoticeKind.SIGN_UP)
