"""Every e-mail the portal sends goes through here, as a background task (django.tasks), so
that a slow or absent mail server never holds a web worker or fails a write.

- Apps call `send_email_later(...)` inside the write that causes the e-mail. The task is
  enqueued when that transaction commits (`transaction.on_commit`): a write rolled back
  sends nothing, and the worker never sends about a row it cannot see yet.
- The worker (`manage.py db_worker`, the database queue of django-tasks-db) sends it through
  Django's mail (the mailer named by `mailer`, Django 6.1's MAILERS, or the default one).
- A send that fails (smtplib's errors are OSErrors: refused, timed out, rejected) is not
  lost: the task fails, so its result row is marked FAILED with the error and traceback
  (django-tasks-db's `DBTaskResult`, listed in the admin under "Task results"), it is
  logged, and a new attempt is queued after a pause (`RETRY_AFTER`) on a queue that can
  wait. After the last attempt it is logged as an error and left FAILED.

The arguments wait in the task queue until sent: never put a child's name or details in an
e-mail, only a link to the page (style.md) — the queue then holds nothing more than the
e-mail would.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import TaskContext, task, task_backends
from django.utils import timezone

logger = logging.getLogger(__name__)

# The pauses before the second, third and fourth attempts; after the fourth, no more.
RETRY_AFTER = (timedelta(minutes=1), timedelta(minutes=10), timedelta(hours=1))


@task(takes_context=True)
def send_email(
    context: TaskContext,
    *,
    subject: str,
    body: str,
    to: list[str],
    mailer: str | None = None,
    attempt: int = 1,
) -> int:
    """Send one e-mail now (in the worker); returns the number sent (0 or 1). A failure is
    raised, so the queue records it, after queueing the next attempt if one is left."""
    try:
        return send_mail(subject, body, None, to, using=mailer)
    except OSError:
        backend = context.task_result.backend
        if attempt <= len(RETRY_AFTER) and task_backends[backend].supports_defer:
            pause = RETRY_AFTER[attempt - 1]
            send_email.using(backend=backend, run_after=timezone.now() + pause).enqueue(
                subject=subject, body=body, to=to, mailer=mailer, attempt=attempt + 1
            )
            logger.warning(
                "An e-mail could not be sent (attempt %d); it will be tried again in %s",
                attempt,
                pause,
                exc_info=True,
            )
        else:
            logger.error(
                "An e-mail could not be sent (attempt %d); it will not be tried again",
                attempt,
                exc_info=True,
            )
        raise


# Set while the demo data is loaded (`sending_no_email`): its events are invented history.
_no_email_because: ContextVar[str | None] = ContextVar("no_email_because", default=None)


@contextmanager
def sending_no_email(because: str) -> Iterator[None]:
    """Writes inside send no e-mail: for loading the demo data set, whose meetings and
    referrals are invented history that no officer is waiting to hear about."""
    token = _no_email_because.set(because)
    try:
        yield
    finally:
        _no_email_because.reset(token)


def send_email_later(*, subject: str, body: str, to: list[str], mailer: str | None = None) -> None:
    """Queue one e-mail, to be sent by the worker once the current transaction commits (at
    once when there is none). The queue is CSE_MAIL_TASK_BACKEND (the default one)."""
    if (because := _no_email_because.get()) is not None:
        logger.debug("No e-mail sent (%s): %s", because, subject)
        return
    queued = send_email.using(backend=settings.CSE_MAIL_TASK_BACKEND)
    transaction.on_commit(
        partial(queued.enqueue, subject=subject, body=body, to=list(to), mailer=mailer)
    )


def public_link(path: str) -> str:
    """The address of a page of the portal for an e-mail (the worker has no request to take
    the host from): CSE_PUBLIC_URL and the path."""
    return f"{settings.CSE_PUBLIC_URL.rstrip('/')}{path}"
