"""The strategy meeting pages, walked with the test client as their users would: convening,
the meeting page, inviting, attendance, the minutes section by section, the outcome,
finalising and addenda; bad input answered with the GOV.UK error summary, never a 500."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cse_portal.access import children_visible_to
from cse_portal.models import AccessLog, Notification
from strategy_meetings.models import Addendum, Meeting
from tests.conftest import sign_in
from tests.mail_helpers import worker_sends
from tests.strategy_meetings.factories import finalised, ready_to_finalise


def _url(name, meeting, **kwargs):
    return reverse(
        f"strategy_meetings:{name}",
        kwargs={"child_pk": meeting.child_id, "pk": meeting.pk, **kwargs},
    )


def _convene_url(child, query=""):
    return reverse("strategy_meetings:convene", kwargs={"child_pk": child.pk}) + query


def _convene_data(the_chair, **overrides):
    day = timezone.localdate() + timedelta(days=5)
    data = {
        "chair": the_chair.pk,
        "starts_on_0": day.day,
        "starts_on_1": day.month,
        "starts_on_2": day.year,
        "starts_time": "10:30",
        "place": "Room 1, Civic Centre",
        "call_details": "",
        "minute_taker": "",
        "young_person_invited": "yes",
        "family_invited": "no",
        "family_not_invited_reason": "The young person asked us not to, for now.",
        "creation_key": "6f1c2f0e-8a0e-4a55-9d53-3e1b7b1f0a11",
    }
    data.update(overrides)
    return data


def test_csc_sees_the_convene_button_on_the_childs_record(involved_csc, csc_client, owner_client):
    world = involved_csc
    record = csc_client.get(world.child.get_absolute_url()).content.decode()
    assert "Convene a strategy meeting" in record
    assert (
        "Convene a strategy meeting"
        not in owner_client.get(world.child.get_absolute_url()).content.decode()
    )


def test_only_csc_opens_the_convene_page(involved_csc, csc_client, owner_client):
    assert csc_client.get(_convene_url(involved_csc.child)).status_code == 200
    assert owner_client.get(_convene_url(involved_csc.child)).status_code == 403


@pytest.mark.guidance("G17")
def test_convening_through_the_page(involved_csc, csc_client, chair):
    world = involved_csc
    chair.email = "carmen@example.test"
    chair.save()
    with worker_sends() as sent:
        response = csc_client.post(_convene_url(world.child), _convene_data(chair))
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    assert meeting.chair == chair and meeting.family_invited is False
    assert timezone.localtime(meeting.starts_at).strftime("%H:%M") == "10:30"
    # The chair is e-mailed (the convener is not), by the worker after the commit.
    assert [(m.to, m.subject) for m in sent] == [
        (["carmen@example.test"], "You have a new strategy meeting invitation in CSE Portal")
    ]
    # The same form sent again convenes nothing more, and e-mails no one again.
    with worker_sends() as sent:
        csc_client.post(_convene_url(world.child), _convene_data(chair))
    assert Meeting.objects.count() == 1 and sent == []
    page = csc_client.get(meeting.get_absolute_url()).content.decode()
    assert "Carmen Chair" in page and "Room 1, Civic Centre" in page


@pytest.mark.django_db(transaction=True)
@override_settings(CSE_MAIL_TASK_BACKEND="database")
def test_the_invitation_email_waits_in_the_queue_until_the_worker_sends_it(involved_csc, chair):
    chair.email = "carmen@example.test"
    chair.save()
    client = sign_in(Client(), involved_csc.csc_officer)
    response = client.post(_convene_url(involved_csc.child), _convene_data(chair))
    assert response.status_code == 302
    assert mail.outbox == []  # nothing sent inside the request
    [queued] = DBTaskResult.objects.all()
    assert queued.status == TaskResultStatus.READY
    assert queued.args_kwargs["kwargs"]["to"] == ["carmen@example.test"]

    call_command("db_worker", "--batch", "--no-startup-delay", "--backend", "database")

    [email] = mail.outbox
    assert email.to == ["carmen@example.test"]
    assert email.subject == "You have a new strategy meeting invitation in CSE Portal"
    assert email.body.endswith(f"{reverse('strategy_meetings:mine')}\n")
    queued.refresh_from_db()
    assert queued.status == TaskResultStatus.SUCCESSFUL and queued.return_value == 1


@pytest.mark.guidance("G18")
def test_bad_convening_input_shows_the_error_summary_and_keeps_the_rest(
    involved_csc, csc_client, chair
):
    data = _convene_data(
        chair, chair="", starts_time="25:99", family_not_invited_reason="", place="Room 7"
    )
    response = csc_client.post(_convene_url(involved_csc.child), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Select the chair" in page
    assert "Enter the time using the 24-hour clock" in page
    assert "Give the reason the family is not invited" in page
    assert "Room 7" in page  # the rest of the form kept
    assert not Meeting.objects.exists()


def test_nonsense_convening_input_is_no_500(involved_csc, csc_client, chair):
    data = _convene_data(chair, chair="abc", starts_on_2="99999999999999999999", minute_taker="x")
    response = csc_client.post(_convene_url(involved_csc.child), data)
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()


def test_a_meeting_page_is_seen_by_involved_agencies_and_logged(meeting, involved_client):
    response = involved_client.get(meeting.get_absolute_url())
    assert response.status_code == 200
    assert AccessLog.objects.filter(
        object_type="strategy meeting", object_id=str(meeting.pk), action="view"
    ).exists()


def test_inviting_through_the_pages_lets_the_invitee_see_the_meeting(
    meeting, chair_client, world, uninvolved_client
):
    assert uninvolved_client.get(meeting.get_absolute_url()).status_code == 404
    step_one = chair_client.get(_url("invite", meeting) + f"?agency={world.health.pk}")
    assert world.uninvolved.get_full_name() in step_one.content.decode()
    response = chair_client.post(
        _url("invite", meeting) + f"?agency={world.health.pk}",
        {
            "officer": world.uninvolved.pk,
            "role": "",
            "creation_key": "a1c2f0e8-8a0e-4a55-9d53-3e1b7b1f0a11",
        },
    )
    assert response.status_code == 302
    assert uninvolved_client.get(meeting.get_absolute_url()).status_code == 200
    mine = uninvolved_client.get(reverse("strategy_meetings:mine")).content.decode()
    assert "You have been invited to a strategy meeting" in mine and meeting.reference in mine
    assert not Notification.objects.filter(
        recipient=world.uninvolved, read_at__isnull=True
    ).exists()


def test_inviting_with_no_agency_chosen_says_so(meeting, chair_client):
    page = chair_client.get(_url("invite", meeting) + "?agency=").content.decode()
    assert "Select the agency to invite" in page
    page = chair_client.get(_url("invite", meeting) + "?agency=nonsense").content.decode()
    assert "There is a problem" in page


def test_declining_through_the_page_ends_access(meeting, chair, world, uninvolved_client):
    from strategy_meetings import services

    invitation = services.meeting_invite(
        meeting=meeting, by=chair, invitee=services.Invitee(world.health, world.uninvolved)
    )
    url = _url("invitation_decline", meeting, invitation_pk=invitation.pk)
    assert uninvolved_client.post(url, {"reason": "On leave"}).status_code == 302
    assert world.child not in children_visible_to(world.uninvolved)
    assert uninvolved_client.get(meeting.get_absolute_url()).status_code == 404


def test_another_officer_cannot_decline_someone_elses_invitation(meeting, chair, involved_client):
    invitation = meeting.invitations.get(officer=chair)
    url = _url("invitation_decline", meeting, invitation_pk=invitation.pk)
    assert involved_client.get(url).status_code == 403


def test_removing_needs_a_reason_on_the_page(meeting, chair, chair_client, world):
    from strategy_meetings import services

    invitation = services.meeting_invite(
        meeting=meeting, by=chair, invitee=services.Invitee(world.police, world.involved)
    )
    url = _url("invitation_remove", meeting, invitation_pk=invitation.pk)
    page = chair_client.post(url, {"reason": ""}).content.decode()
    assert "Enter why this person is no longer invited" in page
    assert chair_client.post(url, {"reason": "Police colleague attends instead"}).status_code == 302


def test_the_minutes_are_written_section_by_section(meeting, minute_taker_client):
    section = meeting.sections.get(key="needs-and-safety")
    response = minute_taker_client.post(
        _url("section", meeting, key=section.key), {"text": "A safety plan.", "version": 1}
    )
    assert response["Location"] == _url("section", meeting, key="section-47")
    section.refresh_from_db()
    assert section.text == "A safety plan."
    tasks = minute_taker_client.get(_url("minutes", meeting)).content.decode()
    assert "You have addressed 1 of 10 sections" in tasks


def test_a_stale_section_save_keeps_the_writers_text_on_screen(
    meeting, chair_client, minute_taker_client
):
    url = _url("section", meeting, key="needs-and-safety")
    chair_client.post(url, {"text": "The chair's version.", "version": 1})
    response = minute_taker_client.post(url, {"text": "The minute-taker's version.", "version": 1})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved this section of the minutes while you were writing it." in page
    assert "The minute-taker&#x27;s version." in page  # their text, kept in the box
    assert "The chair&#x27;s version." in page  # and what is saved now, beside it
    assert meeting.sections.get(key="needs-and-safety").text == "The chair's version."


def test_a_tampered_version_is_a_conflict_not_a_500(meeting, chair_client):
    response = chair_client.post(
        _url("section", meeting, key="needs-and-safety"), {"text": "x", "version": "abc"}
    )
    assert response.status_code == 200
    assert "Someone else saved" in response.content.decode()


def test_an_unknown_section_is_404(meeting, chair_client):
    assert chair_client.get(_url("section", meeting, key="no-such")).status_code == 404


def test_only_the_chair_and_minute_taker_open_the_writing_pages(meeting, involved_client):
    for name, extra in [("section", {"key": "section-47"}), ("attendance", {}), ("outcome", {})]:
        assert involved_client.get(_url(name, meeting, **extra)).status_code == 403
    page = involved_client.get(_url("minutes", meeting)).content.decode()
    assert "The chair and the minute-taker write the minutes." in page


@pytest.mark.guidance("G38")
def test_the_language_prompt_reads_the_minutes(meeting, chair_client):
    url = _url("section", meeting, key="others-at-risk")
    response = chair_client.post(
        url, {"text": "Her boyfriend, aged 24, collects her.", "version": 1}, follow=True
    )
    assert "the guidance asks us to say" in response.content.decode()


@pytest.mark.guidance("G17")
def test_attendance_through_the_page(meeting, chair, chair_client, minute_taker):
    chair_inv = meeting.invitations.get(officer=chair)
    taker_inv = meeting.invitations.get(officer=minute_taker)
    response = chair_client.post(
        _url("attendance", meeting),
        {
            f"attendance_{chair_inv.pk}": "attended",
            f"version_{chair_inv.pk}": chair_inv.version,
            f"attendance_{taker_inv.pk}": "apologies",
            f"version_{taker_inv.pk}": taker_inv.version,
            "young_person_attended": "yes",
            "young_person_attended_was": "",
        },
    )
    assert response.status_code == 302
    page = chair_client.get(meeting.get_absolute_url()).content.decode()
    assert "Sent apologies" in page and "attended" in page


@pytest.mark.guidance("G21")
@pytest.mark.guidance("G25")
def test_the_outcome_page_lists_every_problem(meeting, chair_client):
    response = chair_client.post(
        _url("outcome", meeting),
        {"outcome": "s47", "parents_will_be_told": "no", "version": meeting.version},
    )
    page = response.content.decode()
    assert "Select the planning forum" in page
    assert "Give the reasons for the decision not to tell the parents or carers" in page
    response = chair_client.post(
        _url("outcome", meeting),
        {
            "outcome": "s47",
            "planning_forum": "lac_placement_planning",
            "parents_will_be_told": "no",
            "parents_not_told_reason": "Police advise it would put the investigation at risk.",
            "version": meeting.version,
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.outcome, meeting.planning_forum) == ("s47", "lac_placement_planning")


@pytest.mark.guidance("G19")
def test_the_finalise_page_lists_what_stands_in_the_way(meeting, chair_client):
    page = chair_client.get(_url("finalise", meeting)).content.decode()
    assert "Before the minutes can be final" in page
    assert "Address “Whether to undertake section 47 enquiries”" in page
    response = chair_client.post(_url("finalise", meeting), {"version": meeting.version})
    assert response.status_code == 200 and "There is a problem" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.is_draft


@pytest.mark.guidance("G26")
@pytest.mark.guidance("G37")
def test_finalising_and_an_addendum_shown_in_place(meeting, chair, chair_client):
    meeting = ready_to_finalise(meeting, chair)
    response = chair_client.post(_url("finalise", meeting), {"version": meeting.version})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.is_final and meeting.finalised_by == chair
    # Writing pages now send back to the meeting with a notice.
    response = chair_client.get(_url("section", meeting, key="section-47"), follow=True)
    assert "final and can no longer be changed" in response.content.decode()
    response = chair_client.post(
        _url("addendum", meeting),
        {
            "place": "section-47",
            "text": "Correction: the enquiries were agreed, not declined.",
            "creation_key": "b1c2f0e8-8a0e-4a55-9d53-3e1b7b1f0a11",
        },
    )
    assert response.status_code == 302
    page = chair_client.get(meeting.get_absolute_url()).content.decode()
    section_47 = page.index('id="section-section-47"')
    assert page.index("Correction: the enquiries were agreed", section_47) < page.index(
        'id="section-emergency-action"'
    )
    assert "Addendum," in page and "Carmen Chair" in page
    assert Addendum.objects.count() == 1


def test_an_addendum_needs_text_and_a_place(meeting, chair, chair_client):
    finalised(meeting, chair)
    page = chair_client.post(_url("addendum", meeting), {"place": "", "text": ""}).content.decode()
    assert "Select the part of the minutes" in page and "Enter the addendum" in page


def test_your_meetings_in_the_navigation_with_the_unread_count(meeting, minute_taker_client):
    page = minute_taker_client.get(reverse("home"), follow=True).content.decode()
    assert "Your meetings" in page
    mine = minute_taker_client.get(reverse("strategy_meetings:mine")).content.decode()
    assert meeting.reference in mine and "You take the minutes" in mine


def test_every_meeting_page_is_logged(meeting, chair_client):
    for name, extra in [
        ("detail", {}),
        ("details", {}),
        ("invite", {}),
        ("attendance", {}),
        ("minutes", {}),
        ("section", {"key": "section-47"}),
        ("outcome", {}),
        ("finalise", {}),
    ]:
        before = AccessLog.objects.count()
        assert chair_client.get(_url(name, meeting, **extra)).status_code == 200, name
        row = AccessLog.objects.order_by("-id").first()
        assert AccessLog.objects.count() == before + 1, name
        assert row.object_type.startswith("strategy meeting") and row.object_id == str(meeting.pk)


def test_convening_from_a_referral_that_leads_to_a_meeting(involved_csc, csc_client, chair):
    from referrals.models import Referral
    from tests.referrals.conftest import acknowledge, make_draft, send

    world = involved_csc
    referral = acknowledge(
        send(make_draft(by=world.owner, child=world.child), world.owner), world.csc_officer
    )
    # Not (yet) decided on: no meeting from it.
    assert csc_client.get(_convene_url(world.child, f"?referral={referral.pk}")).status_code == 404
    from referrals import services as referral_services

    referral_services.referral_decide(
        referral=Referral.objects.get(pk=referral.pk),
        by=world.team_manager,
        outcome="initial_assessment",
        rationale="Initial assessment, then a strategy discussion.",
        decided_by=world.csc_officer,
        approved_by=world.team_manager,
    )
    record = csc_client.get(world.child.get_absolute_url()).content.decode()
    assert f"Convene a strategy meeting from referral {referral.reference}" in record
    url = _convene_url(world.child, f"?referral={referral.pk}")
    assert csc_client.post(url, _convene_data(chair)).status_code == 302
    meeting = Meeting.objects.get()
    assert (meeting.referral_id, meeting.origin) == (referral.pk, "referral_decision")


def test_your_meetings_shows_for_csc_and_invitees_only(meeting, chair, world, uninvolved_client):
    from strategy_meetings import services
    from strategy_meetings.selectors import has_meetings

    assert has_meetings(world.csc_officer) and has_meetings(chair)
    assert not has_meetings(world.uninvolved)
    services.meeting_invite(
        meeting=meeting, by=chair, invitee=services.Invitee(world.health, world.uninvolved)
    )
    page = uninvolved_client.get(reverse("children:list")).content.decode()
    assert "Your meetings" in page
