"""E-mail in tests as in production: queued by the write when its transaction commits, on the
database queue (django-tasks-db), and sent by the worker.

A test inside one transaction (the default) never commits, so `worker_sends()` captures the
block's on-commit callbacks, runs them as the commit would (the e-mails are queued), then
runs each queued task with the worker's own code (`Worker.run_task`, as `db_worker` does:
claim the row, run the task, record success or failure). Only the worker's loop is left out,
because it closes the database connection between tasks, which a test in a transaction
cannot survive; tests/ops/test_mail_tasks.py runs the real `db_worker` in a transactional
test.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.core import mail
from django.core.mail import EmailMessage
from django.test import TestCase, override_settings
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

BACKEND = "database"  # the database queue under its own name (settings.TASKS)
EMAIL_TASK = "cse_portal.mail_tasks.send_email"


def queued_emails() -> list[DBTaskResult]:
    """The e-mails waiting on the database queue and due now, oldest first."""
    return list(
        DBTaskResult.objects.ready()
        .filter(backend_name=BACKEND, task_path=EMAIL_TASK)
        .order_by("enqueued_at")
    )


def run_queued_tasks() -> int:
    """Run every task due on the database queue as the worker does; returns how many ran."""
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name=BACKEND,
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    ran = 0
    while (row := DBTaskResult.objects.ready().filter(backend_name=BACKEND).first()) is not None:
        row.claim(worker.worker_id)
        worker.run_task(row)
        ran += 1
    return ran


@contextmanager
def worker_sends() -> Iterator[list[EmailMessage]]:
    """Run the block (a request, a service, the digest), then its commit, then the worker.
    Checks that the block itself sent nothing and queued nothing before its commit; yields
    the list that then receives what the worker sent."""
    sent: list[EmailMessage] = []
    with override_settings(CSE_MAIL_TASK_BACKEND=BACKEND):
        with TestCase.captureOnCommitCallbacks() as callbacks:
            before = len(mail.outbox)
            waiting = len(queued_emails())
            yield sent
            assert len(mail.outbox) == before, "an e-mail was sent before the commit"
            assert len(queued_emails()) == waiting, "an e-mail was queued before the commit"
        for callback in callbacks:  # the commit
            callback()
        before = len(mail.outbox)
        run_queued_tasks()
        sent.extend(mail.outbox[before:])
