"""Notifications inside the portal (new, read; one per event) and the e-mail digest, which
says only that there is something to look at: never a child's name or any case detail."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.tasks import TaskResultStatus
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cse_portal import notifications
from cse_portal.models import Notification, NotificationPreference
from tests.factories import OfficerFactory, make_child
from tests.mail_helpers import worker_sends
from tests.referrals.conftest import acknowledge, make_draft, send

LIST = reverse("notifications:list")


def _tell(officer, text="Children's social care acknowledged your referral R-00001", **kw):
    return notifications.notify(
        recipients=[officer], kind="test.event", text=text, link=kw.get("link", "/children/")
    )[0]


def test_one_notification_per_officer_and_event(world):
    made = notifications.notify(
        recipients=[world.owner, world.owner, None, world.lead], kind="test.event", text="Hello"
    )
    assert len(made) == 2 and Notification.objects.count() == 2


def test_the_list_shows_new_and_read_and_marks_one_or_all_read(world, owner_client):
    first, second = _tell(world.owner, "First thing"), _tell(world.owner, "Second thing")
    page = owner_client.get(LIST).content.decode()
    assert "First thing" in page and "Second thing" in page and "2 new" in page
    owner_client.post(reverse("notifications:open", args=[first.pk]))
    first.refresh_from_db()
    assert first.read_at is not None
    assert notifications.unread_count(world.owner) == 1
    owner_client.post(reverse("notifications:read_all"))
    second.refresh_from_db()
    assert second.read_at is not None and notifications.unread_count(world.owner) is None


def test_opening_goes_to_the_record_whose_page_checks_the_door(world, owner_client):
    notice = _tell(world.owner, link=world.child.get_absolute_url())
    response = owner_client.post(reverse("notifications:open", args=[notice.pk]), {"go": "1"})
    assert response.status_code == 302 and response["Location"] == world.child.get_absolute_url()


def test_another_officer_s_notification_is_not_found(world, owner_client):
    theirs = _tell(world.lead)
    assert owner_client.post(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert "Children&#x27;s social care" not in owner_client.get(LIST).content.decode()


def test_the_database_refuses_a_link_outside_the_portal(world):
    with pytest.raises(IntegrityError), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO cse_portal_notification (recipient_id, kind, text, link, created_at)"
            " VALUES (%s, 'x', 'y', 'https://elsewhere.example/', now())",
            [world.owner.pk],
        )


@pytest.mark.guidance("G07")
def test_the_referrer_is_told_of_the_acknowledgement_and_the_decision_once_each(world):
    referral = send(make_draft(by=world.owner, child=world.child), world.owner)
    acknowledge(referral, world.csc_officer)
    kinds = list(world.owner.notifications.values_list("kind", flat=True))
    assert kinds == ["referral.acknowledged"]


# --- The e-mail digest ----------------------------------------------------------------------


def test_the_digest_names_no_child_and_no_case_detail(world, settings):
    settings.CSE_PUBLIC_URL = "https://cse-portal.example.org/"
    child = make_child(by=world.owner, first_name="Xanthippe", last_name="Ravensworth-Oakes")
    referral = send(make_draft(by=world.owner, child=child), world.owner)
    acknowledge(referral, world.csc_officer)
    with worker_sends() as sent:
        assert notifications.send_notification_digest() == 1
    (message,) = sent
    assert message.to == [world.owner.email]
    whole = f"{message.subject}\n{message.body}"
    for detail in ("Xanthippe", "Ravensworth", referral.reference, "acknowledged", "referral"):
        assert detail.lower() not in whole.lower()
    assert message.subject == "You have new notifications in CSE Portal"
    assert f"https://cse-portal.example.org{reverse('notifications:list')}" in message.body
    # The queue held no more than the e-mail does.
    (task,) = DBTaskResult.objects.filter(task_path="cse_portal.mail_tasks.send_email")
    for detail in ("Xanthippe", "Ravensworth", referral.reference):
        assert detail not in str(task.args_kwargs)


def test_one_digest_per_officer_and_none_again_until_something_new(world):
    _tell(world.owner), _tell(world.owner), _tell(world.lead)
    out = StringIO()
    with worker_sends() as sent:
        call_command("send_notification_digest", stdout=out)
    assert out.getvalue() == "2 digest e-mails queued.\n"
    assert sorted(m.to[0] for m in sent) == sorted([world.owner.email, world.lead.email])
    with worker_sends() as sent:
        assert notifications.send_notification_digest() == 0
    assert sent == []
    later = timezone.now() + timedelta(seconds=1)
    Notification.objects.filter(pk=_tell(world.owner).pk).update(created_at=later)
    with worker_sends() as sent:
        assert notifications.send_notification_digest(now=later + timedelta(seconds=1)) == 1
    assert [m.to for m in sent] == [[world.owner.email]]


def test_the_digest_is_on_by_default_and_can_be_turned_off(world, owner_client):
    assert notifications.wants_digest(world.owner)
    page = owner_client.get(reverse("account")).content.decode()
    assert "Send me an e-mail when there are new notifications" in page
    response = owner_client.post(reverse("account"), {"email_digest": "no"})
    assert response.status_code == 302
    assert NotificationPreference.objects.get(officer=world.owner).email_digest is False
    _tell(world.owner)
    with worker_sends() as sent:
        assert notifications.send_notification_digest() == 0
    assert sent == []


def test_no_digest_for_read_notifications_or_officers_without_an_address(world):
    no_address = OfficerFactory(agency=world.school, email="")
    _tell(no_address)
    read = _tell(world.owner)
    notifications.notification_mark_read(notification=read, by=world.owner)
    with worker_sends() as sent:
        assert notifications.send_notification_digest() == 0
    assert sent == []


def test_a_digest_rolled_back_queues_nothing_and_stays_due(world):
    _tell(world.owner)
    with worker_sends() as sent, pytest.raises(RuntimeError), transaction.atomic():
        assert notifications.send_notification_digest() == 1
        raise RuntimeError("something later failed")
    assert sent == [] and not DBTaskResult.objects.exists()
    with worker_sends() as sent:
        assert notifications.send_notification_digest() == 1
    assert [m.to for m in sent] == [[world.owner.email]]


def test_a_refused_mail_server_fails_the_send_visibly_and_it_is_tried_again(world, settings):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 1, "timeout": 2},
        }
    }
    _tell(world.owner)
    with worker_sends() as sent:
        assert notifications.send_notification_digest() == 1
    assert sent == []
    failed = DBTaskResult.objects.get(status=TaskResultStatus.FAILED)
    assert failed.exception_class_path == "builtins.ConnectionRefusedError"
    retry = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert retry.run_after > timezone.now()  # after a pause
    assert retry.args_kwargs["kwargs"]["to"] == [world.owner.email]
    # Queued once: the next day's digest does not send it again.
    assert notifications.send_notification_digest() == 0
