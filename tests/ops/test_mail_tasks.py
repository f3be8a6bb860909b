"""E-mail goes through the tasks framework (cse_portal.mail_tasks)."""

from __future__ import annotations

from django.core import mail
from django.tasks import TaskResultStatus

from cse_portal.mail_tasks import send_email_later


def test_an_email_sent_later_is_sent_by_the_task():
    result = send_email_later(
        subject="A referral needs your decision",
        body="Open CSE Portal to see it: https://cse-portal.example.org/referrals/",
        to=["csc@example.org"],
    )
    assert result.status == TaskResultStatus.SUCCESSFUL and result.return_value == 1
    assert [m.subject for m in mail.outbox] == ["A referral needs your decision"]
    assert mail.outbox[0].to == ["csc@example.org"]
