"""The action plan's pages, walked with the test client: the plan, an action added and changed
(G22), the review date (G24), signing up (G23), progress after finalising (G26), the review
convened from the plan, "Your actions"; bad input answered with the GOV.UK error summary and
the rest of the form kept, never a 500; every page logged."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cse_portal.models import AccessLog
from strategy_meetings import services
from strategy_meetings.models import Action, ActionUpdate, Meeting, SignUp
from tests.conftest import sign_in
from tests.factories import OfficerFactory
from tests.strategy_meetings import factories
from tests.strategy_meetings.plan_helpers import (
    add_action,
    agree_plan,
    finalised_with_plan,
    plan_version,
)


def _url(name, meeting, **kwargs):
    return reverse(
        f"strategy_meetings:{name}",
        kwargs={"child_pk": meeting.child_id, "pk": meeting.pk, **kwargs},
    )


def _action_data(owner, meeting, **overrides):
    due = timezone.localdate(meeting.starts_at) + timedelta(days=21)
    data = {
        "what": "Meet the young person each week at school.",
        "owner_officer": owner.pk,
        "owner_name": "",
        "owner_agency": "",
        "due_0": due.day,
        "due_1": due.month,
        "due_2": due.year,
        "measure": "Three meetings recorded.",
        "status": "not_started",
        "creation_key": "0a1c2f0e-8a0e-4a55-9d53-3e1b7b1f0a11",
    }
    data.update(overrides)
    return data


@pytest.fixture
def police_invited(meeting, world, chair):
    return services.meeting_invite(
        meeting=meeting, by=chair, invitee=services.Invitee(world.police, world.involved)
    )


@pytest.fixture
def held(meeting, chair, police_invited):
    factories.write_every_section(meeting, chair)
    factories.record_everyone_attended(meeting, chair)
    return factories.record_outcome(meeting, chair, plan=False)


@pytest.mark.guidance("G22")
def test_the_chair_adds_an_action_and_bad_input_keeps_the_form(meeting, chair, chair_client):
    page = chair_client.post(
        _url("action_add", meeting),
        _action_data(chair, meeting, what="", due_0="31", due_1="2", measure=""),
    ).content.decode()

    assert "govuk-error-summary" in page
    assert "Enter what will be done" in page
    assert "Enter a real due date" in page
    assert "Enter how we will know the action is done" in page
    assert "Meet the young person" not in page  # what was empty, nothing invented
    assert not Action.objects.exists()

    response = chair_client.post(
        _url("action_add", meeting),
        _action_data(chair, meeting, what="Her boyfriend collects her: find out who he is."),
    )
    assert response.status_code == 302 and response["Location"] == _url("plan", meeting)
    plan = chair_client.get(response["Location"]).content.decode()
    assert "Her boyfriend collects her" in plan
    assert "app-language-flags" in plan  # the language prompt (G38), the save made
    assert "You wrote ‘boyfriend’" in plan
    # The same form sent again (a double click) adds nothing.
    chair_client.post(_url("action_add", meeting), _action_data(chair, meeting))
    assert Action.objects.count() == 1


@pytest.mark.guidance("G22")
def test_an_owner_not_on_the_portal_needs_an_agency(meeting, chair, chair_client, world):
    data = _action_data(chair, meeting, owner_officer="", owner_name="Dr Priya Shah")
    page = chair_client.post(_url("action_add", meeting), data).content.decode()
    assert "Select the agency of the person who owns the action" in page
    assert 'value="Dr Priya Shah"' in page
    data["owner_agency"] = world.health.pk
    assert chair_client.post(_url("action_add", meeting), data).status_code == 302
    assert Action.objects.get().owner_display == "Dr Priya Shah (Northdale Health Trust)"


def test_a_stale_change_keeps_the_writers_text(meeting, chair, chair_client, minute_taker):
    action = add_action(meeting, chair)
    services.action_change(
        action=action,
        by=minute_taker,
        answers=services.ActionAnswers(
            what="The minute-taker's change.", owner_officer=chair, due=action.due, measure="x"
        ),
        expected_version=action.version,
    )
    page = chair_client.post(
        _url("action_edit", meeting, action_pk=action.pk),
        {**_action_data(chair, meeting, what="The chair's own words."), "version": 1},
    ).content.decode()
    assert "Someone else saved the action plan while you were editing it" in page
    assert "The chair&#x27;s own words." in page
    action.refresh_from_db()
    assert action.what == "The minute-taker's change."


def test_others_see_the_plan_but_cannot_write_it(meeting, chair, involved_client, police_invited):
    add_action(meeting, chair)
    page = involved_client.get(_url("plan", meeting)).content.decode()
    assert "Meet the young person" not in page  # (the helper's wording)
    assert "Visit the young person at school each week" in page
    assert "Add an action" not in page
    assert involved_client.get(_url("action_add", meeting)).status_code == 403
    assert involved_client.post(_url("review_date", meeting), {}).status_code == 403


@pytest.mark.guidance("G24")
def test_the_review_date_page_says_the_latest_date_and_refuses_a_later_one(
    held, chair, chair_client
):
    from strategy_meetings.action_selectors import latest_review_date

    latest = latest_review_date(held)
    too_late = latest + timedelta(days=1)
    page = chair_client.post(
        _url("review_date", held),
        {
            "review_date_0": too_late.day,
            "review_date_1": too_late.month,
            "review_date_2": too_late.year,
            "version": 0,
        },
    ).content.decode()
    assert "govuk-error-summary" in page
    assert "no later than three months after this meeting" in page
    response = chair_client.post(
        _url("review_date", held),
        {
            "review_date_0": latest.day,
            "review_date_1": latest.month,
            "review_date_2": latest.year,
            "version": 0,
        },
    )
    assert response.status_code == 302


@pytest.mark.guidance("G23")
def test_attendees_sign_up_themselves_and_the_chair_sees_who_has_not(
    held, chair, chair_client, involved_client, world
):
    add_action(held, chair)
    page = chair_client.get(_url("plan", held)).content.decode()
    assert "3 of 3 attendees still to sign up" in page

    sign = involved_client.get(_url("plan_sign", held)).content.decode()
    assert "I agree to this action plan" in sign
    response = involved_client.post(_url("plan_sign", held), {"plan_version": plan_version(held)})
    assert response.status_code == 302
    assert SignUp.objects.get().signed_by == world.involved

    page = chair_client.get(_url("plan", held)).content.decode()
    assert "2 of 3 attendees still to sign up" in page
    finalise = chair_client.get(_url("finalise", held)).content.decode()
    assert "Carmen Chair has not yet signed up to the action plan" in finalise
    assert "Ivan Involved" not in finalise


@pytest.mark.guidance("G23")
def test_a_sign_up_to_a_plan_changed_meanwhile_is_refused_on_the_page(held, chair, involved_client):
    add_action(held, chair)
    read = plan_version(held)
    add_action(held, chair, what="Another action, added meanwhile.")
    page = involved_client.post(_url("plan_sign", held), {"plan_version": read}).content.decode()
    assert "The action plan changed while you were reading it" in page
    assert not SignUp.objects.exists()


@pytest.mark.guidance("G23")
def test_only_an_attendee_signs_and_only_their_own(held, chair, world):
    colleague = OfficerFactory(agency=world.police)  # involved, not an attendee
    client = sign_in(Client(), colleague)
    assert client.get(_url("plan_sign", held)).status_code == 403
    police = held.invitations.get(officer=world.involved)
    # Nobody records a portal user's agreement for them, the chair included.
    chair_client = sign_in(Client(), chair)
    assert (
        chair_client.get(_url("record_agreement", held, invitation_pk=police.pk)).status_code == 403
    )


@pytest.mark.guidance("G26")
def test_progress_after_finalising_is_recorded_on_the_actions_page(
    meeting, chair, chair_client, owner_client
):
    final = finalised_with_plan(meeting, chair)
    action = final.actions.get()
    url = _url("action_progress", final, action_pk=action.pk)
    # The plan's edit pages now send back with a notice.
    page = chair_client.get(_url("action_edit", final, action_pk=action.pk), follow=True)
    assert "can no longer be changed" in page.content.decode()

    page = chair_client.post(
        url, {"status": "done", "note": "", "creation_key": ""}
    ).content.decode()
    assert "Say how we know it is done" in page and "govuk-error-summary" in page
    response = chair_client.post(
        url, {"status": "done", "note": "Four visits made.", "creation_key": ""}
    )
    assert response.status_code == 302
    assert ActionUpdate.objects.get().by == chair
    # An officer of an involved agency who does not own it sees the progress, without the form.
    page = owner_client.get(url).content.decode()
    assert "Four visits made." in page and "Record progress" not in page
    assert owner_client.post(url, {"status": "in_progress"}).status_code == 403


@pytest.mark.guidance("G24")
def test_the_review_is_convened_from_the_plan_page(meeting, chair, csc_client):
    final = finalised_with_plan(meeting, chair)
    plan = csc_client.get(_url("plan", final)).content.decode()
    assert "Convene the review meeting" in plan
    response = csc_client.post(
        _url("review_convene", final), {"creation_key": "7c1c2f0e-8a0e-4a55-9d53-3e1b7b1f0a11"}
    )
    review = Meeting.objects.get(review_of=final)
    assert response.status_code == 302 and response["Location"] == review.get_absolute_url()
    again = csc_client.post(
        _url("review_convene", final), {"creation_key": "7c1c2f0e-8a0e-4a55-9d53-3e1b7b1f0a11"}
    )
    assert again.status_code == 302 and Meeting.objects.filter(review_of=final).count() == 1
    review_plan = csc_client.get(_url("plan", review)).content.decode()
    assert f"Progress of the actions of {final.reference}" in review_plan
    assert "Visit the young person at school each week" in review_plan


@pytest.mark.guidance("G22")
def test_your_actions_lists_the_officers_own_actions_with_overdue_shown(
    involved_csc, chair, world, involved_client, owner_client
):
    from strategy_meetings.action_selectors import actions_owned_by

    # A meeting held forty days ago: an action due thirty days after it is overdue now.
    meeting = factories.convene(
        child=world.child, by=world.csc_officer, chair=chair, held_days_ago=40
    )
    services.meeting_invite(
        meeting=meeting, by=chair, invitee=services.Invitee(world.police, world.involved)
    )
    overdue = add_action(meeting, chair, owner_officer=world.involved)
    later = add_action(
        meeting,
        chair,
        owner_officer=world.involved,
        what="Check in with the school after the holidays.",
        due=timezone.localdate() + timedelta(days=20),
    )
    add_action(meeting, chair, what="The chair's own action.")
    final = finalised_with_plan(meeting, chair)

    assert [a.pk for a in actions_owned_by(world.involved)] == [overdue.pk, later.pk]
    home = involved_client.get(reverse("home"), follow=True).content.decode()
    nav_item = f'href="{reverse("strategy_meetings:your_actions")}">Your actions'
    assert nav_item in home
    # Only an officer who owns an action has the item in their navigation.
    assert nav_item not in owner_client.get(reverse("home"), follow=True).content.decode()
    page = involved_client.get(reverse("strategy_meetings:your_actions")).content.decode()
    assert "Visit the young person at school each week" in page
    assert "Check in with the school after the holidays." in page
    assert "The chair&#x27;s own action." not in page
    assert final.reference in page
    assert page.count("Overdue</strong>") == 1


def test_every_plan_page_is_logged(meeting, chair, chair_client):
    action = add_action(meeting, chair)
    for name, kwargs in [
        ("plan", {}),
        ("action_add", {}),
        ("action_edit", {"action_pk": action.pk}),
        ("action_remove", {"action_pk": action.pk}),
        ("review_date", {}),
    ]:
        before = AccessLog.objects.count()
        assert chair_client.get(_url(name, meeting, **kwargs)).status_code == 200, name
        row = AccessLog.objects.order_by("-id").first()
        assert AccessLog.objects.count() == before + 1, name
        assert row.object_type.startswith("strategy meeting") and row.object_id == str(meeting.pk)


def test_the_plan_page_costs_the_same_queries_for_one_or_five_actions(held, chair, chair_client):
    agree_plan(held, chair)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert chair_client.get(_url("plan", held)).status_code == 200
        return len(captured)

    few = queries()
    for n in range(4):
        add_action(held, chair, what=f"Action {n}.")
    assert queries() == few


def test_nonsense_input_is_never_a_500(meeting, chair, chair_client):
    action = add_action(meeting, chair)
    for name, kwargs, data in [
        (
            "action_add",
            {},
            {
                "owner_officer": "x",
                "owner_agency": "99999",
                "due_0": "99999999999999999999",
                "status": "bogus",
            },
        ),
        ("action_edit", {"action_pk": action.pk}, {"version": "zzz", "what": "\x00"}),
        ("action_remove", {"action_pk": action.pk}, {"version": "-1"}),
        ("review_date", {}, {"review_date_2": "1", "version": "x"}),
        ("plan_sign", {}, {"plan_version": "nope"}),
    ]:
        status = chair_client.post(_url(name, meeting, **kwargs), data).status_code
        assert status in {200, 302, 403}, (name, status)
    assert chair_client.get(_url("action_edit", meeting, action_pk=99999)).status_code == 404
