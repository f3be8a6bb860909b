"""Double submits and races: every create is idempotent (a hidden key in the form) and every
race answers with a clear page, never a server error.

These tests need real transactions (`transactional_db`): each thread has its own database
connection, as two requests to the server would. The threads post through Django's test
client, which runs the whole middleware stack and the view in the posting thread."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from cse_portal import services
from cse_portal.models import AccessLog, Child, Involvement
from tests.conftest import sign_in

pytestmark = pytest.mark.usefixtures("transactional_db")


def _in_parallel(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls at the same moment, each in its own thread (and connection)."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(i: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[i] = call()
        except Exception as error:  # reported by the test, not lost in the thread
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _child_payload(world, key: str) -> dict[str, str]:
    return {
        "is_identified": "True",
        "first_name": "Ali",
        "last_name": "Rahman",
        "gender": "male",
        "ethnicity": "not_known",
        "looked_after_status": "no",
        "home_authority": str(world.north.pk),
        "creation_key": key,
    }


def test_the_add_child_form_sent_four_times_at_once_adds_one_child(world):
    key = str(uuid.uuid4())
    clients = [sign_in(Client(), world.owner) for _ in range(4)]
    url = reverse("children:add")
    responses = _in_parallel(
        *[lambda c=c: c.post(url, _child_payload(world, key)) for c in clients]
    )
    assert [getattr(r, "status_code", r) for r in responses] == [302] * 4
    child = Child.objects.get(last_name="Rahman")
    assert {r.url for r in responses} == {child.get_absolute_url()}
    assert child.involvements.count() == 1


def test_the_add_child_form_sent_again_later_adds_no_second_child(world):
    client = sign_in(Client(), world.owner)
    data = _child_payload(world, str(uuid.uuid4()))
    first = client.post(reverse("children:add"), data)
    again = client.post(reverse("children:add"), data)
    assert first.status_code == again.status_code == 302
    assert first.url == again.url
    assert Child.objects.filter(last_name="Rahman").count() == 1


def test_a_key_used_while_the_first_request_is_still_saving_answers_with_its_child(world):
    """The unique index decides: the second insert waits for the first, then finds its child."""
    key = uuid.uuid4()
    data = {"first_name": "Ali", "last_name": "Rahman", "home_authority": world.north}
    first_saved, second_started = threading.Event(), threading.Event()

    def first() -> Child:
        with transaction.atomic():
            child = services.child_create(by=world.owner, data=data, creation_key=key)
            first_saved.set()
            second_started.wait(10)
            time.sleep(0.5)  # the second is now waiting on the unique index
        return child

    def second() -> Child:
        first_saved.wait(10)
        second_started.set()
        return services.child_create(by=world.owner, data=data, creation_key=key)

    made, answered = _in_parallel(first, second)
    assert isinstance(made, Child) and isinstance(answered, Child)
    assert made.pk == answered.pk
    assert Child.objects.filter(last_name="Rahman").count() == 1


def test_another_agency_cannot_reuse_a_childs_creation_key(world):
    key = uuid.uuid4()
    data = {"first_name": "Ali", "last_name": "Rahman", "home_authority": world.north}
    services.child_create(by=world.owner, data=data, creation_key=key)
    with pytest.raises(ValidationError):
        services.child_create(by=world.uninvolved, data=data, creation_key=key)


def _share(world, client: Client, key: str):
    return client.post(
        reverse("children:share", kwargs={"child_pk": world.child.pk}),
        {"agency": str(world.health.pk), "reason": "Health visits the family.", "share_key": key},
    )


def test_three_officers_sharing_with_the_same_agency_at_once_share_once(world):
    # The owner, the lead and the police officer each send their own share form.
    officers = [world.owner, world.lead, world.involved]
    clients = [sign_in(Client(), officer) for officer in officers]
    responses = _in_parallel(*[lambda c=c: _share(world, c, str(uuid.uuid4())) for c in clients])
    codes = [getattr(r, "status_code", r) for r in responses]
    assert sorted(codes) == [200, 200, 302], codes
    for response in responses:
        if response.status_code == 200:  # told plainly, on the form, that it did not happen
            page = response.content.decode()
            assert "govuk-error-summary" in page
            assert "already involved" in page
    shares = Involvement.objects.filter(child=world.child, agency=world.health)
    assert shares.count() == 1
    assert AccessLog.objects.filter(child=world.child, action="share").count() == 1


def test_the_share_form_sent_twice_at_once_shares_once_and_says_so_both_times(world):
    key = str(uuid.uuid4())
    clients = [sign_in(Client(), world.owner) for _ in range(3)]
    responses = _in_parallel(*[lambda c=c: _share(world, c, key) for c in clients])
    assert [getattr(r, "status_code", r) for r in responses] == [302] * 3
    share = Involvement.objects.get(child=world.child, agency=world.health)
    assert share.creation_key == uuid.UUID(key)


def _share_with_key_by_owner(world, key: str) -> None:
    services.child_share(
        child=world.child,
        agency=world.health,
        by=world.owner,
        reason="Health visits the family.",
        share_key=uuid.UUID(key),
    )


def test_a_copy_that_shares_while_the_form_is_checked_is_answered_as_shared(world):
    """The copy sent first shares after this request's first look for the form's share, but
    before its form is checked: the agency is then no longer a choice. Answered as shared, not
    with the form's error (the race that made one of three copies get the form back)."""
    client = sign_in(Client(), world.owner)
    key = str(uuid.uuid4())
    shared: list[bool] = []

    def share_before_the_agency_is_checked(execute, sql, params, many, context):
        checks_the_choice = 'FROM "cse_portal_agency"' in sql and "cse_portal_involvement" in sql
        if checks_the_choice and not shared:
            shared.append(True)
            (failure,) = _in_parallel(lambda: _share_with_key_by_owner(world, key))
            assert failure is None, failure  # the copy shared, on its own connection
        return execute(sql, params, many, context)

    with connection.execute_wrapper(share_before_the_agency_is_checked):
        response = _share(world, client, key)
    assert shared, "the form's agency was never checked"
    assert response.status_code == 302
    assert "The record has been shared with Northdale Health Trust" in (
        client.get(response.url).content.decode()
    )
    assert Involvement.objects.filter(child=world.child, agency=world.health).count() == 1


def _wait_until_a_statement_waits_on_a_lock() -> None:
    with connection.cursor() as cursor:
        for _ in range(200):
            cursor.execute("SELECT pg_stat_clear_snapshot()")  # read afresh in a transaction
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.05)
    raise AssertionError("no statement waited on the share's row lock")


def test_a_copy_still_saving_when_the_form_shares_is_answered_and_not_logged_again(world):
    """The copy sent first is still saving its share (holding the record's row lock) when this
    one reaches the service: it waits, finds the copy's share, and logs no second share."""
    client = sign_in(Client(), world.owner)
    key = str(uuid.uuid4())
    saved = threading.Event()

    def copy_still_saving() -> None:
        with transaction.atomic():
            _share_with_key_by_owner(world, key)
            saved.set()
            _wait_until_a_statement_waits_on_a_lock()

    def form_sent_again():
        saved.wait(10)
        return _share(world, client, key)

    copy, response = _in_parallel(copy_still_saving, form_sent_again)
    assert copy is None, copy
    assert response.status_code == 302, response
    assert Involvement.objects.filter(child=world.child, agency=world.health).count() == 1
    assert not AccessLog.objects.filter(child=world.child, action="share").exists()


def test_the_share_form_sent_again_later_is_answered_as_shared(world):
    client = sign_in(Client(), world.owner)
    key = str(uuid.uuid4())
    assert _share(world, client, key).status_code == 302
    again = _share(world, client, key)
    assert again.status_code == 302
    assert "The record has been shared with Northdale Health Trust" in (
        client.get(again.url).content.decode()
    )
    assert Involvement.objects.filter(child=world.child, agency=world.health).count() == 1


def test_two_involvements_for_the_same_reason_at_once_leave_one(world):
    """involvement_grant (used by referrals too) keeps the first when two race."""
    first_saved, second_started = threading.Event(), threading.Event()

    def grant() -> Involvement:
        return services.involvement_grant(
            child=world.child, agency=world.csc, reason=Involvement.Reason.REFERRAL, by=world.owner
        )

    def first() -> Involvement:
        with transaction.atomic():
            involvement = grant()
            first_saved.set()
            second_started.wait(10)
            time.sleep(0.5)
        return involvement

    def second() -> Involvement:
        first_saved.wait(10)
        second_started.set()
        return grant()

    made, answered = _in_parallel(first, second)
    assert isinstance(made, Involvement) and isinstance(answered, Involvement), (made, answered)
    assert made.pk == answered.pk
