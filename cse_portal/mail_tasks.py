"""E-mail sent as a background task (django.tasks), so that a slow mail server never holds a
web worker. Apps call `send_email_later(...)`; the task worker sends it through Django's mail
(the mailer named by `mailer`, Django 6.1's MAILERS, or the default one). The arguments are
stored in the task queue until sent: never put a child's name or details in an e-mail, only
a link to the page (style.md) — the queue then holds nothing more than the e-mail would.
"""

from __future__ import annotations

from django.core.mail import send_mail
from django.tasks import TaskResult, task


@task()
def send_email(*, subject: str, body: str, to: list[str], mailer: str | None = None) -> int:
    """Send one e-mail now (in the worker); returns the number sent (0 or 1)."""
    return send_mail(subject, body, None, to, using=mailer)


def send_email_later(
    *, subject: str, body: str, to: list[str], mailer: str | None = None
) -> TaskResult[..., int]:
    return send_email.enqueue(subject=subject, body=body, to=list(to), mailer=mailer)
