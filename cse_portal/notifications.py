"""Notifications inside the portal, one per event and officer, and the e-mail digest.

Apps call `notify` from their services at the event (a referral acknowledged, advice given, an
invitation...). A notification says no more than a fixed sentence and, at most, a record's
reference; its link leads to the record through the access door, so an officer who can no
longer see the child gets the same 404 as anyone else. The e-mail digest
(`send_notification_digest`, run by the management command of that name; the e-mails are
queued for the task worker) tells an officer only that there is something to look at: never
a child's name or any case detail (the CPOMS convention), because an inbox may be read by
others.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from cse_portal.mail_tasks import public_link, send_email_later
from cse_portal.models import Notification, NotificationPreference, Officer

DIGEST_SUBJECT = "You have new notifications in CSE Portal"
DIGEST_TEXT = (
    "You have new notifications in CSE Portal.\n\n"
    "Sign in to see them:\n{link}\n\n"
    "This e-mail is sent once a day when there is something new. You can turn it off on "
    "your account page.\n"
)


def notify(
    *,
    recipients: Iterable[Officer | None],
    kind: str,
    text: str,
    link: str = "",
    at: datetime | None = None,
) -> list[Notification]:
    """One notification per recipient (each once; nobody is told of their own act by the
    caller's choice of recipients). `text` is a fixed sentence, perhaps with a reference:
    never a child's name. `at` is when the event happened (now, unless recorded later)."""
    created_at = at or timezone.now()
    seen: set[int] = set()
    rows = []
    for officer in recipients:
        if officer is None or officer.pk in seen:
            continue
        seen.add(officer.pk)
        rows.append(
            Notification(
                recipient=officer, kind=kind, text=text[:200], link=link, created_at=created_at
            )
        )
    return Notification.objects.bulk_create(rows)


def notifications_for(officer: Officer) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=officer).order_by("-created_at", "-id")


def unread(officer: Officer) -> QuerySet[Notification]:
    """The officer's unread notifications (the navigation counts them)."""
    return Notification.objects.filter(recipient=officer, read_at__isnull=True)


def unread_count(officer: Officer) -> int | None:
    """The officer's unread notifications' count (None when there are none)."""
    return unread(officer).count() or None


def get_notification_for(officer: Officer, pk: int) -> Notification | None:
    return Notification.objects.filter(recipient=officer, pk=pk).first()


def notification_mark_read(*, notification: Notification, by: Officer) -> None:
    if notification.recipient_id != by.pk or notification.read_at is not None:
        return
    notification.read_at = timezone.now()
    notification.save(update_fields=["read_at"])


def notifications_mark_all_read(*, by: Officer, kind_prefix: str = "") -> int:
    unread = Notification.objects.filter(recipient=by, read_at__isnull=True)
    if kind_prefix:
        unread = unread.filter(kind__startswith=kind_prefix)
    return unread.update(read_at=timezone.now())


# --- Preferences and the e-mail digest ------------------------------------------------------


def wants_digest(officer: Officer) -> bool:
    preference = NotificationPreference.objects.filter(officer=officer).first()
    return preference.email_digest if preference else NotificationPreference.DIGEST_DEFAULT


def preference_set_digest(*, officer: Officer, email_digest: bool) -> None:
    NotificationPreference.objects.update_or_create(
        officer=officer, defaults={"email_digest": email_digest}
    )


def officers_due_a_digest() -> QuerySet[Officer]:
    """Active officers with an address and the digest on, who have an unread notification
    created since their last digest (or ever, when they have had none)."""
    preference = NotificationPreference.objects.filter(officer=OuterRef("pk"))
    new_since_last = Notification.objects.filter(
        recipient=OuterRef("pk"), read_at__isnull=True, created_at__gt=OuterRef("last_digest")
    )
    # No preference row: the default (on).
    wants = Q(notification_preference__email_digest=True) | Q(notification_preference__isnull=True)
    if not NotificationPreference.DIGEST_DEFAULT:
        wants = Q(notification_preference__email_digest=True)
    never = datetime(2000, 1, 1, tzinfo=UTC)
    return (
        Officer.objects.annotate(
            last_digest=Coalesce(Subquery(preference.values("last_digest_at")[:1]), Value(never))
        )
        .filter(is_active=True, agency__isnull=False)
        .exclude(email="")
        .filter(wants, Exists(new_since_last))
        .order_by("pk")
    )


@transaction.atomic
def send_notification_digest(*, now: datetime | None = None) -> int:
    """Queue one e-mail to each officer due a digest, saying only that there is something
    new; the worker sends them (cse_portal/mail_tasks.py: a failed send is recorded and tried
    again). The time is kept with the queueing, in the same transaction, so the next digest
    counts only what came after and no officer is queued twice. Returns how many were queued.
    A plain function: the command calls it, and a background task may."""
    now = now or timezone.now()
    officers = list(officers_due_a_digest().select_for_update(of=("self",)))
    if not officers:
        return 0
    body = DIGEST_TEXT.format(link=public_link(reverse("notifications:list")))
    for officer in officers:
        send_email_later(subject=DIGEST_SUBJECT, body=body, to=[officer.email])
    NotificationPreference.objects.bulk_create(
        [NotificationPreference(officer=officer, last_digest_at=now) for officer in officers],
        update_conflicts=True,
        unique_fields=["officer"],
        update_fields=["last_digest_at"],
    )
    return len(officers)
