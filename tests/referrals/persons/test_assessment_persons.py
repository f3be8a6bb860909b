"""Persons of concern named in a CSE2 risk assessment (G30): picked among the persons linked
to children the agency may see, or added new; the referral's persons offered; a draft's
persons are its agency's alone; a finalised assessment's links are fixed in the database; a
merge moves a draft's links."""

from __future__ import annotations

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from cse_portal.models import AccessLog
from referrals import selectors_persons, services
from referrals.models import PersonLink, PersonOfConcern, RiskAssessment
from tests.conftest import World, sign_in
from tests.factories import make_child
from tests.referrals.assessment.records import (
    make_assessment,
    shipped_tools,  # noqa: F401  (autouse)
)
from tests.referrals.persons.conftest import HIDDEN_FIRST, HIDDEN_LAST, Network
from tests.referrals.persons.factories import draft_for, named_person, send

pytestmark = pytest.mark.django_db


def url(name: str, assessment: RiskAssessment, **kwargs) -> str:
    return reverse(
        f"referrals:{name}",
        kwargs={"child_pk": assessment.child_id, "pk": assessment.pk, **kwargs},
    )


def finalise(assessment: RiskAssessment, by) -> RiskAssessment:
    assessment.refresh_from_db()
    return services.assessment_finalise(
        assessment=assessment,
        by=by,
        judgement=services.Judgement(outcome="no_signals"),
        expected_version=assessment.version,
    )


@pytest.fixture
def third_child(world: World):
    """A child of the police only (the school may not see her)."""
    return make_child(by=world.involved, first_name="Carys", last_name="Third")


@pytest.fixture
def police_draft(world: World, third_child) -> RiskAssessment:
    return make_assessment(child=third_child, by=world.involved)


@pytest.mark.guidance("G30")
def test_the_assessor_picks_a_person_already_known_and_the_same_record_is_linked(
    world: World, network: Network, police_draft, involved_client
):
    pick = url("assessment_person_pick", police_draft)
    found = involved_client.get(pick, {"q": "vee"})
    assert found.status_code == 200
    assert "Marcus Vale" in found.content.decode()
    version = RiskAssessment.objects.get(pk=police_draft.pk).version
    response = involved_client.post(
        f"{pick}?q=vee", {"person": network.person.pk, "relationship_to_child": "Collects her"}
    )
    assert response.status_code == 302
    assert response["Location"] == url("assessment_persons", police_draft)
    link = PersonLink.objects.get(assessment=police_draft)
    assert (link.person_id, link.child_id, link.referral_id) == (
        network.person.pk,
        police_draft.child_id,
        None,
    )
    assert link.relationship_to_child == "Collects her"
    assert link.linked_by_agency == world.police
    # The draft changed: a save begun before it is stale (optimistic locking).
    assert RiskAssessment.objects.get(pk=police_draft.pk).version == version + 1
    # Posted again (a double click): still one link, and one person.
    involved_client.post(f"{pick}?q=vee", {"person": network.person.pk})
    assert PersonLink.objects.filter(assessment=police_draft).count() == 1
    assert PersonOfConcern.objects.filter(full_name="Marcus Vale").count() == 1
    # The child's record now shows the person, with the other children the police may see.
    record = involved_client.get(reverse("children:detail", kwargs={"child_pk": link.child_id}))
    page = record.content.decode()
    assert "Marcus Vale" in page and "Jamie" in page
    assert HIDDEN_FIRST not in page and HIDDEN_LAST not in page
    logged = AccessLog.objects.filter(child_id=link.child_id, object_id=str(police_draft.pk))
    assert logged.filter(object_type="assessment (find a person of concern)").exists()
    assert logged.filter(object_type="assessment (person of concern named)").exists()


@pytest.mark.guidance("G30")
@pytest.mark.guidance("G38")
def test_the_assessor_adds_a_new_person_once_however_often_the_form_is_posted(
    world: World, police_draft, involved_client
):
    persons = url("assessment_persons", police_draft)
    key = str(uuid.uuid4())
    data = {
        "full_name": "Dean Marlow",
        "approximate_age": "24",
        "description": "Drives her to parties; she calls him her boyfriend.",
        "vehicle_registrations": "ab12 cde",
        "relationship_to_child": "Older man she meets after school",
        "creation_key": key,
    }
    first = involved_client.post(persons, data)
    assert first.status_code == 302
    again = involved_client.post(persons, data)
    assert again.status_code == 302
    links = PersonLink.objects.filter(assessment=police_draft).select_related("person")
    assert links.count() == 1
    person = links.get().person
    assert PersonOfConcern.objects.filter(full_name="Dean Marlow").count() == 1
    assert person.vehicle_registrations == ["AB12CDE"]
    assert person.recorded_by_agency == world.police
    page = involved_client.get(persons).content.decode()
    assert "Dean Marlow" in page
    # G38: the language prompt reads what the assessor wrote of the person.
    assert "Dean Marlow: description" in page and "boyfriend" in page


def test_a_new_person_with_nothing_to_identify_them_shows_the_error_summary_and_keeps_input(
    police_draft, involved_client
):
    response = involved_client.post(
        url("assessment_persons", police_draft),
        {"phone_numbers": "07700 900123", "creation_key": str(uuid.uuid4())},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "Enter the person&#x27;s name, a name they are known by, or a description" in page
    assert "07700 900123" in page
    assert not PersonLink.objects.filter(assessment=police_draft).exists()


@pytest.mark.guidance("G30")
@pytest.mark.guidance("G36")
def test_a_person_outside_what_the_agency_may_see_cannot_be_picked_and_is_not_shown(
    world: World, network: Network, police_draft, involved_client
):
    health_child = make_child(by=world.uninvolved, first_name="Harriet", last_name="Healthonly")
    hidden = named_person(health_child, world.uninvolved, full_name="Marcus Hidden")
    pick = url("assessment_person_pick", police_draft)
    found = involved_client.get(pick, {"q": "marcus"}).content.decode()
    assert "Marcus Vale" in found and "Marcus Hidden" not in found
    response = involved_client.post(f"{pick}?q=marcus", {"person": hidden.pk})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Select a person from the list" in page and "govuk-error-summary" in page
    assert "Marcus Hidden" not in page and "Harriet" not in page
    assert not PersonLink.objects.filter(assessment=police_draft).exists()
    # The service refuses it too, whatever the page offered.
    with pytest.raises(ValidationError):
        services.assessment_person_link_existing(
            assessment=police_draft, by=world.involved, person_pk=hidden.pk
        )
    assert not PersonLink.objects.filter(assessment=police_draft).exists()


@pytest.mark.guidance("G30")
@pytest.mark.guidance("G36")
def test_a_person_named_only_in_another_agencys_draft_assessment_is_theirs_alone(
    world: World, owner_client
):
    """The police's draft assessment of the school's child names a new person: the school
    sees nothing of them until the assessment is finalised."""
    draft = make_assessment(child=world.child, by=world.involved)
    link = services.assessment_person_add(
        assessment=draft, by=world.involved, data={"full_name": "Draftonly Person"}
    )
    person = link.person
    assert person not in selectors_persons.persons_visible_to(world.owner)
    assert person in selectors_persons.persons_visible_to(world.involved)
    assert selectors_persons.person_search(world.owner, "draftonly") == []
    record = reverse("children:detail", kwargs={"child_pk": world.child.pk})
    assert "Draftonly Person" not in owner_client.get(record).content.decode()
    detail = reverse(
        "referrals:person_detail", kwargs={"child_pk": world.child.pk, "person_pk": person.pk}
    )
    assert owner_client.get(detail).status_code == 404
    # Not even the draft's pages: the school may not open another agency's draft.
    assert owner_client.get(url("assessment_persons", draft)).status_code == 404
    # A PDF holds final records only: the police's own file leaves the draft out too.
    pdf = selectors_persons.persons_pdf_section(world.child, world.involved)
    assert not pdf["networks"]

    finalise(draft, world.involved)
    assert person in selectors_persons.persons_visible_to(world.owner)
    assert "Draftonly Person" in owner_client.get(record).content.decode()
    assert owner_client.get(detail).status_code == 200
    pdf = selectors_persons.persons_pdf_section(world.child, world.owner)
    assert [n.person for n in pdf["networks"]] == [person]


@pytest.mark.guidance("G30")
def test_the_finalised_assessment_shows_its_persons_and_its_links_are_fixed_in_the_database(
    world: World, network: Network, police_draft, involved_client
):
    link = services.assessment_person_link_existing(
        assessment=police_draft,
        by=world.involved,
        person_pk=network.person.pk,
        relationship_to_child="Collects her",
    )
    finalise(police_draft, world.involved)
    page = involved_client.get(police_draft.get_absolute_url()).content.decode()
    assert "Persons of concern" in page and "Marcus Vale" in page and "Collects her" in page
    # The pages send the assessor back to the record.
    response = involved_client.get(url("assessment_persons", police_draft))
    assert response.status_code == 302
    assert response["Location"] == police_draft.get_absolute_url()
    with pytest.raises(ValidationError):
        services.assessment_person_remove(link=link, by=world.involved)

    def refused(write) -> None:
        frozen = "A finalised assessment cannot be changed"
        with pytest.raises(DatabaseError, match=frozen), transaction.atomic():
            write()

    refused(lambda: PersonLink.objects.filter(pk=link.pk).update(relationship_to_child="x"))
    refused(lambda: PersonLink.objects.filter(pk=link.pk).delete())
    other = named_person(police_draft.child, world.involved, full_name="Later Person")
    refused(
        lambda: PersonLink.objects.create(
            person=other,
            child_id=police_draft.child_id,
            assessment=police_draft,
            linked_by=world.involved,
            linked_by_agency=world.police,
        )
    )


@pytest.mark.guidance("G30")
def test_the_database_keeps_an_assessments_links_to_its_own_child_once_each_by_one_record(
    world: World, network: Network, police_draft
):
    def link(**fields) -> None:
        with transaction.atomic():
            PersonLink.objects.create(
                person=network.person,
                linked_by=world.involved,
                linked_by_agency=world.police,
                **fields,
            )

    with pytest.raises(DatabaseError, match="its own child only"):
        link(child=world.child, assessment=police_draft)
    link(child=police_draft.child, assessment=police_draft)
    with pytest.raises(IntegrityError):
        link(child=police_draft.child, assessment=police_draft)
    referral = draft_for(police_draft.child, world.involved)
    with pytest.raises(IntegrityError, match="link_made_by_one_record"):
        link(child=police_draft.child, assessment=police_draft, referral=referral)


@pytest.mark.guidance("G30")
def test_the_referrals_persons_are_offered_one_click_each_or_all(
    world: World, network: Network, third_child, involved_client
):
    referral = draft_for(third_child, world.involved)
    services.referral_person_link_existing(
        referral=referral,
        by=world.involved,
        person_pk=network.person.pk,
        relationship_to_child="Waits outside school",
    )
    services.referral_person_add(
        referral=referral, by=world.involved, data={"nicknames": "Tall Tom"}
    )
    services.referral_person_add(referral=referral, by=world.involved, data={"nicknames": "Ricky"})
    referral = send(referral, world.involved)
    assessment = make_assessment(child=third_child, by=world.involved, referral=referral)
    persons = url("assessment_persons", assessment)
    page = involved_client.get(persons).content.decode()
    assert "Persons named in the referral" in page and "Add all 3 persons" in page
    add = url("assessment_persons_from_referral", assessment)
    assert involved_client.post(add, {"person": network.person.pk}).status_code == 302
    link = PersonLink.objects.get(assessment=assessment)
    assert (link.person_id, link.relationship_to_child) == (
        network.person.pk,
        "Waits outside school",
    )
    page = involved_client.get(persons).content.decode()
    assert "Add all 2 persons" in page
    involved_client.post(add, {"all": "1"})
    involved_client.post(add, {"all": "1"})  # a second click adds nobody twice
    named = PersonLink.objects.filter(assessment=assessment)
    assert named.count() == 3
    assert set(named.values_list("person_id", flat=True)) == set(
        referral.person_links.values_list("person_id", flat=True)
    )
    assert "Persons named in the referral" not in involved_client.get(persons).content.decode()
    # Only the referral's own persons: any other is refused, and nothing is added.
    stranger = named_person(third_child, world.involved, full_name="Not In Referral")
    assert involved_client.post(add, {"person": stranger.pk}).status_code == 404
    assert named.count() == 3


def test_the_connection_is_changed_and_a_stale_change_is_refused(
    world: World, network: Network, police_draft, involved_client
):
    link = services.assessment_person_link_existing(
        assessment=police_draft, by=world.involved, person_pk=network.person.pk
    )
    edit = url("assessment_person_edit", police_draft, link_pk=link.pk)
    version = RiskAssessment.objects.get(pk=police_draft.pk).version
    response = involved_client.post(
        edit, {"relationship_to_child": "Gives her lifts", "version": version}
    )
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.relationship_to_child == "Gives her lifts"
    stale = involved_client.post(edit, {"relationship_to_child": "Overwrite", "version": version})
    assert stale.status_code == 200
    assert "Someone else in your agency saved this assessment" in stale.content.decode()
    assert "govuk-error-summary" in stale.content.decode()
    link.refresh_from_db()
    assert link.relationship_to_child == "Gives her lifts"


def test_removing_a_person_takes_out_the_link_and_a_person_recorded_only_for_it(
    world: World, network: Network, police_draft, involved_client
):
    known = services.assessment_person_link_existing(
        assessment=police_draft, by=world.involved, person_pk=network.person.pk
    )
    new = services.assessment_person_add(
        assessment=police_draft, by=world.involved, data={"nicknames": "Shadow"}
    )
    for link in (known, new):
        remove = url("assessment_person_remove", police_draft, link_pk=link.pk)
        assert involved_client.get(remove).status_code == 200
        assert involved_client.post(remove).status_code == 302
    assert not PersonLink.objects.filter(assessment=police_draft).exists()
    assert PersonOfConcern.objects.filter(pk=network.person.pk).exists()
    assert not PersonOfConcern.objects.filter(pk=new.person_id).exists()


@pytest.mark.guidance("G30")
def test_a_merge_moves_a_draft_assessments_link_and_keeps_a_finalised_ones(
    world: World, network: Network, police_draft
):
    """The police recorded Marcus Vale again in two assessments: a finalised one of child B
    and their draft of the third child. Merging the duplicate into the record moves the
    draft's link; the finalised assessment keeps naming the record it named, and the
    survivor is linked to child B."""
    finalised = make_assessment(child=network.child_b, by=world.involved)
    old = services.assessment_person_add(
        assessment=finalised, by=world.involved, data={"full_name": "Marcus Vail"}
    )
    duplicate = old.person
    finalise(finalised, world.involved)
    draft_link = services.assessment_person_link_existing(
        assessment=police_draft, by=world.involved, person_pk=duplicate.pk
    )
    version = RiskAssessment.objects.get(pk=police_draft.pk).version
    services.person_merge(
        by=world.involved, keep_pk=network.person.pk, merge_pk=duplicate.pk, reason="Same phone."
    )
    draft_link.refresh_from_db()
    assert draft_link.person_id == network.person.pk
    assert RiskAssessment.objects.get(pk=police_draft.pk).version == version + 1
    old.refresh_from_db()
    assert old.person_id == duplicate.pk  # fixed with its finalised assessment
    assert network.person.links.filter(child=network.child_b).exists()


def test_an_agency_asked_to_contribute_may_not_name_persons(world: World, owner_client):
    draft = make_assessment(child=world.child, by=world.involved)
    services.assessment_invite(assessment=draft, by=world.involved, agencies=[world.school])
    assert owner_client.get(url("assessment_persons", draft)).status_code == 403
    with pytest.raises(Exception, match="assessing agency"):
        services.assessment_person_add(
            assessment=draft, by=world.owner, data={"full_name": "Someone"}
        )


def test_the_uninvolved_get_404_on_the_persons_pages(world: World, police_draft, network):
    link = services.assessment_person_link_existing(
        assessment=police_draft, by=world.involved, person_pk=network.person.pk
    )
    outsider = sign_in(Client(), world.uninvolved)
    school = sign_in(Client(), world.owner)  # sees child A, not the police's third child
    for name, extra in [
        ("assessment_persons", {}),
        ("assessment_person_pick", {}),
        ("assessment_persons_from_referral", {}),
        ("assessment_person_edit", {"link_pk": link.pk}),
        ("assessment_person_remove", {"link_pk": link.pk}),
    ]:
        target = url(name, police_draft, **extra)
        for client in (outsider, school):
            assert client.get(target).status_code == 404
            assert client.post(target, {"person": network.person.pk}).status_code == 404
    assert PersonLink.objects.filter(assessment=police_draft).count() == 1


@pytest.mark.guidance("G37")
def test_the_access_history_tells_of_a_person_named_only_to_who_may_open_the_draft(
    world: World, lead_client
):
    own = make_assessment(child=world.child, by=world.owner)
    services.assessment_person_add(
        assessment=own, by=world.owner, data={"full_name": "Historied Person"}
    )
    police = make_assessment(child=world.child, by=world.involved)
    services.assessment_person_add(
        assessment=police, by=world.involved, data={"full_name": "Policedraft Person"}
    )
    audit = reverse("children:audit", kwargs={"child_pk": world.child.pk})
    response = lead_client.get(audit)  # the school's lead officer
    changes = " | ".join(e["what"] for e in response.context["history"])
    assert f"Person of concern named in risk assessment {own.reference}" in changes
    assert police.reference not in changes
    page = response.content.decode()
    assert "Policedraft Person" not in page and "Historied Person" not in page
