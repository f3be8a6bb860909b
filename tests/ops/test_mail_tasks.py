"""E-mail goes through the tasks framework (cse_portal.mail_tasks): queued when the write
commits, sent by the worker; a failed send is recorded and tried again, never lost quietly."""

from __future__ import annotations

import io
import logging
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.tasks import TaskResultStatus
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cse_portal.mail_tasks import RETRY_AFTER, send_email_later, sending_no_email
from strategy_meetings.models import Invitation, Meeting
from tests.mail_helpers import run_queued_tasks, worker_sends

NEEDS_DECISION = {
    "subject": "A referral needs your decision",
    "body": "Open CSE Portal to see it: https://cse-portal.example.org/referrals/",
    "to": ["csc@example.org"],
}


def test_an_email_sent_later_is_sent_by_the_worker(db):
    with worker_sends() as sent:
        send_email_later(**NEEDS_DECISION)
    [email] = sent
    assert (email.subject, email.body, email.to) == (
        NEEDS_DECISION["subject"],
        NEEDS_DECISION["body"],
        ["csc@example.org"],
    )
    [done] = DBTaskResult.objects.all()
    assert done.status == TaskResultStatus.SUCCESSFUL and done.return_value == 1


@pytest.mark.django_db(transaction=True)
@override_settings(CSE_MAIL_TASK_BACKEND="database")
def test_queued_only_when_the_transaction_commits_and_never_when_it_is_rolled_back():
    with pytest.raises(RuntimeError), transaction.atomic():
        send_email_later(**{**NEEDS_DECISION, "subject": "Rolled back"})
        raise RuntimeError("the write failed")
    with transaction.atomic():
        send_email_later(**NEEDS_DECISION)
        assert not DBTaskResult.objects.exists()  # not before the commit
    [queued] = DBTaskResult.objects.all()
    assert queued.status == TaskResultStatus.READY and mail.outbox == []

    call_command("db_worker", "--batch", "--no-startup-delay", "--backend", "database")

    assert [m.subject for m in mail.outbox] == ["A referral needs your decision"]
    queued.refresh_from_db()
    assert queued.status == TaskResultStatus.SUCCESSFUL


def test_a_failed_send_is_recorded_and_tried_again_until_the_last_attempt(db, settings, caplog):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 1, "timeout": 2},
        }
    }
    with caplog.at_level(logging.WARNING, logger="cse_portal.mail_tasks"), worker_sends() as sent:
        send_email_later(**NEEDS_DECISION)
    for pause in RETRY_AFTER:
        waiting = DBTaskResult.objects.get(status=TaskResultStatus.READY)
        assert abs(waiting.run_after - (timezone.now() + pause)) < timedelta(seconds=30)
        assert run_queued_tasks() == 0  # not before its time
        DBTaskResult.objects.filter(pk=waiting.pk).update(run_after=timezone.now())
        with caplog.at_level(logging.WARNING, logger="cse_portal.mail_tasks"):
            assert run_queued_tasks() == 1
    assert sent == [] and mail.outbox == []
    failed = DBTaskResult.objects.filter(status=TaskResultStatus.FAILED)
    assert failed.count() == len(RETRY_AFTER) + 1
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists()
    assert {row.exception_class_path for row in failed} == {"builtins.ConnectionRefusedError"}
    assert all("ConnectionRefusedError" in row.traceback for row in failed)
    assert all(row.args_kwargs["kwargs"]["to"] == ["csc@example.org"] for row in failed)
    logged = [r for r in caplog.records if r.name == "cse_portal.mail_tasks"]
    assert [r.levelname for r in logged] == ["WARNING"] * len(RETRY_AFTER) + ["ERROR"]
    assert "will not be tried again" in logged[-1].getMessage()


def test_loading_the_demo_data_sends_no_email(db, django_capture_on_commit_callbacks):
    """Its meetings and referrals are invented history: no officer is told of them (before,
    `make run` printed every demo invitation to the console)."""
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", "--quiet", stdout=io.StringIO())
    assert Meeting.objects.exists() and Invitation.objects.exists()  # would have e-mailed
    assert mail.outbox == []
    assert not DBTaskResult.objects.exists()


def test_outside_the_demo_load_the_same_write_sends_its_email(db):
    with sending_no_email("loading the demo data"):
        send_email_later(**NEEDS_DECISION)
    with worker_sends() as sent:
        send_email_later(**NEEDS_DECISION)
    assert [m.subject for m in sent] == [NEEDS_DECISION["subject"]]
