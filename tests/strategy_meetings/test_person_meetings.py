"""A separate meeting about a person of concern who poses a risk to several children
[002 §7–8]: convened by children's social care, linking the children's own meetings; its
page shows each linked child only to officers who may see that child (leak tests)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cse_portal import services as core_services
from cse_portal.models import AccessLog
from referrals.models import PersonLink, PersonOfConcern
from strategy_meetings.models import PersonMeeting
from strategy_meetings.services import person_meetings as services
from tests.conftest import sign_in
from tests.factories import AgencyFactory, OfficerFactory, make_child
from tests.strategy_meetings.factories import convene, csc_involved

pytestmark = pytest.mark.django_db

NOTE_A = "Seen with him twice near the school gates."
NOTE_B = "Disclosed to her foster carer that he gave her a phone."


def _sql(statement, params):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)


def _link(person, child, by):
    return PersonLink.objects.create(
        person=person, child=child, linked_by=by, linked_by_agency=by.agency
    )


@pytest.fixture
def scene(involved_csc, chair):
    """Person P linked to child A (world.child: school, police, CSC) and child B (health and
    CSC only); each child's own meeting; a separate meeting about P linking both."""
    world = involved_csc
    other = make_child(by=world.uninvolved, first_name="Riley", last_name="Harrowgate")
    csc_involved(other, world.csc, world.uninvolved)
    person = PersonOfConcern.objects.create(
        full_name="Dean Marlow",
        approximate_age=34,
        recorded_by=world.owner,
        recorded_by_agency=world.school,
    )
    _link(person, world.child, world.owner)
    _link(person, other, world.uninvolved)
    meeting_a = convene(child=world.child, by=world.csc_officer, chair=chair)
    meeting_b = convene(child=other, by=world.csc_officer, chair=chair)
    separate = services.person_meeting_convene(
        person=person,
        by=world.csc_officer,
        details=services.PersonMeetingDetails(
            reason="several_children",
            chair=chair,
            starts_at=timezone.now() + timedelta(days=3),
            place="Room 4, Northdale Civic Centre",
        ),
    )
    link_a = services.person_meeting_link(meeting=separate, by=chair, child_meeting=meeting_a)
    link_b = services.person_meeting_link(meeting=separate, by=chair, child_meeting=meeting_b)
    for link, note in ((link_a, NOTE_A), (link_b, NOTE_B)):
        services.person_meeting_save_note(
            link=link, by=chair, note=note, expected_version=link.note_version
        )
    for officer in (world.involved, world.owner):  # police (child A only), the school (A only)
        services.person_meeting_invite(
            meeting=separate, by=chair, agency=officer.agency, officer=officer
        )
    return world, other, person, separate, meeting_a, meeting_b


def _page(officer, separate):
    response = sign_in(Client(), officer).get(separate.get_absolute_url())
    return response.status_code, response.content.decode()


@pytest.mark.guidance("G30")
def test_the_chair_sees_every_linked_child_and_their_notes(scene, chair):
    world, other, _, separate, meeting_a, meeting_b = scene
    status, page = _page(chair, separate)
    assert status == 200
    for text in (world.child.display_name, other.display_name, NOTE_A, NOTE_B):
        assert text in page
    assert meeting_a.reference in page and meeting_b.reference in page


@pytest.mark.guidance("G36")
def test_an_invitee_not_involved_with_a_child_sees_nothing_of_that_child(scene):
    world, other, _, separate, _, meeting_b = scene
    for officer in (world.involved, world.owner):
        status, page = _page(officer, separate)
        assert status == 200
        assert world.child.display_name in page and NOTE_A in page
        for leak in (other.first_name, other.last_name, NOTE_B, meeting_b.reference, str(other.pk)):
            assert leak not in page, (officer, leak)
    # The police (an agency that convenes, issue 8) see a count that names no one; the
    # school does not.
    assert (
        "1 other linked meeting is about a child your agency is not involved with"
        in (_page(world.involved, separate)[1])
    )
    assert "other linked meeting" not in _page(world.owner, separate)[1]


def test_the_note_about_a_child_answers_404_to_an_officer_who_may_not_see_the_child(scene):
    world, _, _, separate, _, _ = scene
    link_b = separate.links.get(meeting__child__first_name="Riley")
    url = reverse(
        "strategy_meetings:person_meeting_note", kwargs={"pk": separate.pk, "link_pk": link_b.pk}
    )
    # Even the convening agency's other officers write nothing: the chair writes the notes.
    assert sign_in(Client(), world.involved).get(url).status_code in {403, 404}


def test_every_separate_meeting_url_answers_404_to_an_officer_not_invited(scene):
    _world, _, person, separate, _, _ = scene
    stranger = OfficerFactory(agency=AgencyFactory(name="Fernvale Housing"))
    client = sign_in(Client(), stranger)
    link = separate.links.first()
    for name, kwargs in (
        ("person_meeting", {"pk": separate.pk}),
        ("person_meeting_invite", {"pk": separate.pk}),
        ("person_meeting_link", {"pk": separate.pk}),
        ("person_meeting_minutes", {"pk": separate.pk}),
        ("person_meeting_note", {"pk": separate.pk, "link_pk": link.pk}),
        ("person_meeting_action", {"pk": separate.pk}),
        ("person_meeting_finalise", {"pk": separate.pk}),
        ("person_meeting_convene", {"person_pk": person.pk}),
    ):
        url = reverse(f"strategy_meetings:{name}", kwargs=kwargs)
        assert client.get(url).status_code == 404, name
        assert client.post(url, {"anything": "x"}).status_code in {404, 405}, name
        assert Client().get(url).status_code == 302, name  # anonymous: to sign in


def test_only_csc_convenes_about_a_person_linked_to_a_child_it_sees(scene, chair):
    world, _, person, _, _, _ = scene
    details = services.PersonMeetingDetails(
        reason="several_children", chair=chair, starts_at=timezone.now(), place="Room 1"
    )
    with pytest.raises(PermissionDenied):
        services.person_meeting_convene(person=person, by=world.involved, details=details)
    url = reverse("strategy_meetings:person_meeting_convene", kwargs={"person_pk": person.pk})
    assert sign_in(Client(), world.involved).get(url).status_code == 404
    page = sign_in(Client(), world.csc_officer).get(url).content.decode()
    assert "Convene a separate meeting about Dean Marlow" in page


def test_minutes_about_the_person_that_name_a_child_are_refused_with_the_text_kept(
    scene, chair, chair_client
):
    _, _other, _, separate, _, _ = scene
    url = reverse("strategy_meetings:person_meeting_minutes", kwargs={"pk": separate.pk})
    text = "He gives Riley lifts after school."
    page = chair_client.post(url, {"minutes": text, "version": separate.version})
    body = page.content.decode()
    assert page.status_code == 200 and "govuk-error-summary" in body
    assert "Write what concerns one child in the note about that child" in body
    assert text in body  # nothing lost
    separate.refresh_from_db()
    assert separate.minutes == ""
    # Minutes about the person alone are saved, with the language prompt (G38) on them.
    good = "He is known to pick up young people from the retail park; he called one his girlfriend."
    assert chair_client.post(url, {"minutes": good, "version": separate.version}).status_code == 302
    separate.refresh_from_db()
    assert separate.minutes == good


def test_a_stale_save_of_the_minutes_is_refused_and_keeps_the_text(scene, chair, chair_client):
    _, _, _, separate, _, _ = scene
    url = reverse("strategy_meetings:person_meeting_minutes", kwargs={"pk": separate.pk})
    services.person_meeting_save_minutes(
        meeting=separate, by=chair, minutes="First.", expected_version=separate.version
    )
    page = chair_client.post(url, {"minutes": "Second, stale.", "version": separate.version})
    assert page.status_code == 200 and "Second, stale." in page.content.decode()
    separate.refresh_from_db()
    assert separate.minutes == "First."


def test_empty_and_nonsense_forms_get_the_error_summary(scene, chair_client):
    _, _, _, separate, _, _ = scene
    for name, data in (
        ("person_meeting_action", {}),
        ("person_meeting_action", {"due_0": "99", "due_1": "99", "due_2": "99999999999999999"}),
        ("person_meeting_invite", {"agency": "nonsense"}),
        ("person_meeting_finalise", {"version": "x"}),
    ):
        url = reverse(f"strategy_meetings:{name}", kwargs={"pk": separate.pk})
        page = chair_client.post(url, data)
        assert page.status_code == 200, name
        assert "govuk-error-summary" in page.content.decode(), name


@pytest.mark.guidance("G26")
def test_a_final_separate_meeting_is_frozen_in_the_database(scene, chair):
    world, _, _, separate, _, _ = scene
    separate = services.person_meeting_save_minutes(
        meeting=separate, by=chair, minutes="Disruption planned.", expected_version=1
    )
    services.person_meeting_add_action(
        meeting=separate,
        by=chair,
        action=services.PersonActionInput(
            what="Serve a Child Abduction Warning Notice",
            owner_agency=world.police,
            owner_name="DC Ivan Involved",
            due=timezone.localdate() + timedelta(days=7),
            measure="Notice served and recorded.",
        ),
    )
    separate.refresh_from_db()
    final = services.person_meeting_finalise(
        meeting=separate, by=chair, expected_version=separate.version
    )
    assert final.status == PersonMeeting.Status.FINAL
    for statement in (
        "UPDATE strategy_meetings_personmeeting SET minutes = 'x' WHERE id = %s",
        "UPDATE strategy_meetings_personmeetinglink SET note = 'x' WHERE person_meeting_id = %s",
        "DELETE FROM strategy_meetings_personmeetingaction WHERE person_meeting_id = %s",
    ):
        with pytest.raises(Exception, match=r"Cannot update|cannot be changed"):
            _sql(statement, [final.pk])
    with pytest.raises(ValidationError):
        services.person_meeting_invite(
            meeting=final, by=chair, agency=world.health, person_name="X"
        )


def test_a_meeting_of_a_child_not_linked_to_the_person_cannot_be_linked(scene, chair):
    world, _, _, separate, _, _ = scene
    unlinked = make_child(by=world.owner, first_name="Alex", last_name="Brindley")
    core_services.child_share(child=unlinked, agency=world.csc, by=world.owner, reason="Share.")
    their_meeting = convene(child=unlinked, by=world.csc_officer, chair=chair)
    with pytest.raises(ValidationError):
        services.person_meeting_link(meeting=separate, by=chair, child_meeting=their_meeting)


def test_every_view_is_logged_and_each_child_shown_against_their_record(scene):
    world, other, _, separate, _, _ = scene
    before = AccessLog.objects.count()
    _page(world.involved, separate)
    rows = list(AccessLog.objects.order_by("id")[before:])
    assert [r.child_id for r in rows] == [None, world.child.pk]
    assert all(r.object_id == str(separate.pk) for r in rows)
    assert not AccessLog.objects.filter(child=other, officer=world.involved).exists()


def test_an_invitee_finds_the_separate_meeting_on_your_meetings(scene):
    from strategy_meetings.selectors import has_meetings

    world, _, _, separate, _, _ = scene
    assert has_meetings(world.owner)
    page = sign_in(Client(), world.owner).get(reverse("strategy_meetings:mine")).content.decode()
    assert separate.reference in page and "Dean Marlow" in page
    stranger = OfficerFactory(agency=AgencyFactory(name="Fernvale Housing"))
    assert not has_meetings(stranger)


def test_with_every_meeting_linked_the_link_page_says_so(scene, chair_client):
    _, _, _, separate, _, _ = scene
    url = reverse("strategy_meetings:person_meeting_link", kwargs={"pk": separate.pk})
    for response in (chair_client.get(url), chair_client.post(url, {"meeting": "nonsense"})):
        page = response.content.decode()
        assert response.status_code == 200
        assert "There is no other strategy meeting of a child linked to this person" in page


def test_a_person_named_only_in_another_agencys_draft_cannot_be_met_about(involved_csc):
    """Another agency's draft belongs to it alone: the person it names does not exist for
    children's social care until the referral is sent (the persons subject's rule)."""
    from tests.referrals.persons.factories import named_person

    world = involved_csc
    person = named_person(world.child, world.owner, sent=False, full_name="Draft Only Person")
    url = reverse("strategy_meetings:person_meeting_convene", kwargs={"person_pk": person.pk})
    csc = sign_in(Client(), world.csc_officer)
    assert csc.get(url).status_code == 404
    assert "Draft Only Person" not in csc.get(url).content.decode()


def test_beside_the_minutes_only_csc_is_offered_to_convene_a_separate_meeting(scene, chair):
    """The panel beside a child's minutes asks the same rule as the convening page
    (cse_portal.access.can_convene)."""
    world, _, person, _, meeting_a, _ = scene
    from strategy_meetings import services as meeting_services

    meeting_services.meeting_invite(
        meeting=meeting_a,
        by=chair,
        invitee=meeting_services.Invitee(world.police, world.involved),
    )
    minutes = reverse(
        "strategy_meetings:minutes", kwargs={"child_pk": meeting_a.child_id, "pk": meeting_a.pk}
    )
    convene = reverse("strategy_meetings:person_meeting_convene", kwargs={"person_pk": person.pk})
    chair_page = sign_in(Client(), chair).get(minutes)
    police_page = sign_in(Client(), world.involved).get(minutes)
    assert chair_page.status_code == police_page.status_code == 200
    assert "Dean Marlow" in chair_page.content.decode()
    assert "Dean Marlow" in police_page.content.decode()
    assert f'href="{convene}"' in chair_page.content.decode()  # CSC
    assert convene not in police_page.content.decode()  # the police: not theirs to convene
