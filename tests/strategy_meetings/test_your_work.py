"""What strategy meetings contribute to "Your work" and the notifications they send: the
owner of an action is told and sees it when it is overdue or due this week (G22); an attendee
sees the plan awaiting their sign-up, and is asked again when the plan changes (G23)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cse_portal import work
from strategy_meetings.models import Attendance, Invitation
from tests.strategy_meetings import factories
from tests.strategy_meetings.plan_helpers import (
    add_action,
    finalised_with_plan,
    plan_version,
    sign_everyone_up,
)


def _rows(officer, key: str) -> list[work.WorkRow]:
    return next(
        s.work.rows for s in work.registry.for_officer(officer) if s.contribution.key == key
    )


@pytest.mark.guidance("G22")
def test_the_owner_of_an_action_is_told_and_sees_it_once_it_is_overdue(
    involved_csc, chair, world, involved_client
):
    # Held forty days ago: an action due thirty days after it is overdue now.
    meeting = factories.convene(
        child=world.child, by=world.csc_officer, chair=chair, held_days_ago=40
    )
    add_action(meeting, chair, owner_officer=world.involved)
    assert world.involved.notifications.filter(kind="meeting.action").count() == 1
    assert _rows(world.involved, "actions") == []  # a draft plan's actions are not yet due
    finalised_with_plan(meeting, chair)
    (row,) = _rows(world.involved, "actions")
    assert row.overdue and row.kind == "Action"
    page = involved_client.get(reverse("home")).content.decode()
    assert "Your actions: overdue or due this week" in page and "Overdue" in page
    assert "1 overdue" in page


@pytest.mark.guidance("G23")
def test_an_attendee_sees_the_plan_awaiting_their_sign_up_and_is_asked_again_after_a_change(
    meeting, chair, minute_taker, minute_taker_client
):
    factories.record_everyone_attended(meeting, chair)
    add_action(meeting, chair)
    (row,) = _rows(minute_taker, "sign_ups")
    assert row.link.endswith("/plan/")
    assert (
        "Action plans awaiting your sign-up"
        in minute_taker_client.get(reverse("home")).content.decode()
    )
    sign_everyone_up(meeting, chair)
    assert _rows(minute_taker, "sign_ups") == []
    assert not minute_taker.notifications.filter(kind="meeting.sign_up").exists()
    version = plan_version(meeting)
    add_action(meeting, chair, what="A second action, agreed after the first sign-ups.")
    assert plan_version(meeting) == version + 1
    assert minute_taker.notifications.filter(kind="meeting.sign_up").count() == 1
    assert len(_rows(minute_taker, "sign_ups")) == 1
    assert Invitation.objects.filter(attendance=Attendance.ATTENDED, officer=minute_taker).exists()


def test_a_meeting_still_to_come_is_listed_for_who_is_invited(meeting, minute_taker, chair):
    (row,) = _rows(minute_taker, "meetings")
    assert row.link == meeting.get_absolute_url() and "You take the minutes" in row.detail
    assert "You chair it" in _rows(chair, "meetings")[0].detail


@pytest.mark.guidance("G22")
def test_your_actions_lists_open_ones_due_within_a_week_overdue_first(
    involved_csc, chair, world, involved_client
):
    """Overdue first (the longest overdue first), then those due this week by date; not one
    done or no longer needed, nor one due later than a week; and the navigation's badge
    counts every open action of a final plan."""
    from strategy_meetings import services
    from strategy_meetings.action_selectors import open_action_count
    from strategy_meetings.models import ActionStatus

    meeting = factories.convene(
        child=world.child, by=world.csc_officer, chair=chair, held_days_ago=10
    )
    today = timezone.localdate()
    due = {
        "soon": today + timedelta(days=3),
        "late": today - timedelta(days=2),
        "later": today - timedelta(days=5),
        "done": today - timedelta(days=4),
        "dropped": today + timedelta(days=1),
        "next month": today + timedelta(days=30),
    }
    actions = {
        name: add_action(
            meeting, chair, owner_officer=world.involved, due=when, what=f"Act {name}."
        )
        for name, when in due.items()
    }
    finalised_with_plan(meeting, chair)
    for name, status in (("done", ActionStatus.DONE), ("dropped", ActionStatus.NO_LONGER_NEEDED)):
        services.action_record_progress(
            action=actions[name], by=chair, status=status, note="Recorded at the review."
        )
    services.action_record_progress(
        action=actions["soon"], by=chair, status=ActionStatus.IN_PROGRESS, note="Begun."
    )
    rows = _rows(world.involved, "actions")
    assert [(row.title, row.overdue) for row in rows] == [
        ("Act later.", True),
        ("Act late.", True),
        ("Act soon.", False),
    ]
    assert open_action_count(world.involved) == 4  # with the one due next month
