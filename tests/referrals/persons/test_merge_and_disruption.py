"""Merging duplicate persons (G30) and disruption actions against a person (G32): who may,
what is kept, and what the database refuses."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from referrals import selectors_persons, services
from referrals.models import (
    DisruptionAction,
    DisruptionAddendum,
    PersonLink,
    PersonMerge,
)
from tests.conftest import World
from tests.referrals.persons.conftest import Network
from tests.referrals.persons.factories import action_against, draft_for, named_person


@pytest.fixture
def duplicate(world: World, network: Network):
    """The police recorded the same man again, as a new person, on child B."""
    referral = draft_for(network.child_b, world.involved)
    link = services.referral_person_add(
        referral=referral, by=world.involved, data={"full_name": "Marcus Vail"}
    )
    return link.person


def merge_url(world: World, person) -> str:
    return reverse(
        "referrals:person_merge", kwargs={"child_pk": world.child.pk, "person_pk": person.pk}
    )


@pytest.mark.guidance("G30")
def test_police_merge_a_duplicate_links_move_and_the_merged_record_is_kept(
    world: World, network: Network, duplicate, involved_client
):
    url = reverse(
        "referrals:person_merge",
        kwargs={"child_pk": network.child_b.pk, "person_pk": duplicate.pk},
    )
    response = involved_client.post(
        f"{url}?q=marcus",
        {"other": network.person.pk, "keep": "other", "reason": "Same phone number and address."},
    )
    assert response.status_code == 302
    merge = PersonMerge.objects.get()
    assert (merge.duplicate_id, merge.survivor_id) == (duplicate.pk, network.person.pk)
    assert merge.merged_by == world.involved and merge.merged_by_agency == world.police
    # The duplicate is not deleted; its draft link moved to the survivor.
    duplicate.refresh_from_db()
    assert not duplicate.links.exists()
    assert PersonLink.objects.filter(person=network.person, child=network.child_b).count() == 2
    # Merged records are no longer offered.
    assert selectors_persons.person_search(world.involved, "vail") == []


@pytest.mark.guidance("G30")
def test_a_sent_referrals_link_stays_and_the_survivor_is_linked_to_its_child(
    world: World, network: Network
):
    from tests.factories import make_child

    other = make_child(by=world.involved, first_name="Dora", last_name="Fourth")
    twin = named_person(other, world.involved, full_name="M. Vale")
    services.person_merge(
        by=world.csc_officer, keep_pk=network.person.pk, merge_pk=twin.pk, reason="Same man."
    )
    sent_link = twin.links.get()
    assert sent_link.referral.is_submitted  # what the sent referral named, as it named it
    carried = PersonLink.objects.get(person=network.person, child=other)
    assert carried.referral is None and carried.linked_by == world.csc_officer


@pytest.mark.guidance("G30")
def test_agencies_that_do_not_convene_cannot_merge(
    world: World, network: Network, duplicate, owner_client
):
    assert owner_client.get(merge_url(world, network.person)).status_code == 403
    with pytest.raises(PermissionDenied):
        services.person_merge(
            by=world.owner, keep_pk=network.person.pk, merge_pk=duplicate.pk, reason="Same."
        )
    assert not PersonMerge.objects.exists()


def test_a_merge_without_a_reason_shows_the_error_summary_and_keeps_the_choice(
    world: World, network: Network, duplicate, involved_client
):
    response = involved_client.post(
        f"{merge_url(world, network.person)}?q=marcus",
        {"other": duplicate.pk, "keep": "this", "reason": ""},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert "Enter why these records are the same person" in page
    assert f'value="{duplicate.pk}"\n' in page or f'value="{duplicate.pk}" checked' in page
    assert not PersonMerge.objects.exists()


def test_a_record_merged_already_cannot_be_merged_again(world: World, network: Network, duplicate):
    services.person_merge(
        by=world.involved, keep_pk=network.person.pk, merge_pk=duplicate.pk, reason="Same."
    )
    with pytest.raises(ValidationError):
        services.person_merge(
            by=world.csc_officer, keep_pk=duplicate.pk, merge_pk=network.person.pk, reason="x"
        )


@pytest.mark.guidance("G30")
def test_the_database_refuses_a_new_link_to_a_merged_record_and_changing_a_merge(
    world: World, network: Network, duplicate
):
    merge = services.person_merge(
        by=world.involved, keep_pk=network.person.pk, merge_pk=duplicate.pk, reason="Same."
    )
    with (
        pytest.raises(DatabaseError, match="merged into another"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "INSERT INTO referrals_personlink (person_id, child_id, relationship_to_child,"
            " linked_by_id, linked_by_agency_id, linked_at) VALUES (%s, %s, '', %s, %s, now())",
            [duplicate.pk, world.child.pk, world.owner.pk, world.school.pk],
        )
    for sql in (
        "UPDATE referrals_personmerge SET reason = 'changed' WHERE id = %s",
        "DELETE FROM referrals_personmerge WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="Cannot update or delete"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [merge.pk])


@pytest.mark.guidance("G32")
def test_a_disruption_action_is_recorded_attributed_to_the_officers_agency(
    world: World, network: Network, involved_client
):
    url = reverse(
        "referrals:disruption_add",
        kwargs={"child_pk": world.child.pk, "person_pk": network.person.pk},
    )
    form = involved_client.get(url).content.decode()
    key = form.split('name="creation_key" value="')[1].split('"')[0]
    day = timezone.localdate() - timedelta(days=2)
    data = {
        "kind": "cawn",
        "action_date_0": day.day,
        "action_date_1": day.month,
        "action_date_2": day.year,
        "outcome": "Served in person.",
        "note": "He called her his girlfriend.",
        "creation_key": key,
    }
    response = involved_client.post(url, data, follow=True)
    action = DisruptionAction.objects.get()
    assert (action.kind, action.action_date, action.agency) == ("cawn", day, world.police)
    assert action.recorded_by == world.involved
    page = response.content.decode()
    assert "Child Abduction Warning Notice" in page
    assert "the guidance asks us to say" in page  # the language prompt on the note (G38)
    involved_client.post(url, data)  # the same form again records once
    assert DisruptionAction.objects.count() == 1


@pytest.mark.guidance("G32")
def test_a_disruption_form_left_empty_lists_every_problem(world, network, involved_client):
    url = reverse(
        "referrals:disruption_add",
        kwargs={"child_pk": world.child.pk, "person_pk": network.person.pk},
    )
    page = involved_client.post(url, {"kind": "other", "outcome": "kept text"}).content.decode()
    assert "govuk-error-summary" in page
    assert "Enter what the action was" in page and "Enter the date of the action" in page
    assert "kept text" in page
    assert not DisruptionAction.objects.exists()


@pytest.mark.guidance("G32")
def test_disruption_actions_are_seen_by_every_agency_that_may_see_a_linked_child(
    world: World, network: Network, owner_client, uninvolved_client
):
    action_against(network.person, world.involved, outcome="Notice served at the flat.")
    url = reverse(
        "referrals:person_detail",
        kwargs={"child_pk": world.child.pk, "person_pk": network.person.pk},
    )
    assert "Notice served at the flat." in owner_client.get(url).content.decode()
    assert uninvolved_client.get(url).status_code == 404


@pytest.mark.guidance("G32")
def test_a_disruption_action_and_its_addenda_are_frozen_in_the_database(
    world: World, network: Network
):
    action = action_against(network.person, world.involved)
    addendum = services.disruption_addendum_add(
        action=action, by=world.involved, text="The date was a day later.", creation_key=None
    )
    statements = [
        ("UPDATE referrals_disruptionaction SET outcome = 'x' WHERE id = %s", action.pk),
        ("DELETE FROM referrals_disruptionaction WHERE id = %s", action.pk),
        ("UPDATE referrals_disruptionaddendum SET text = 'x' WHERE id = %s", addendum.pk),
        ("DELETE FROM referrals_disruptionaddendum WHERE id = %s", addendum.pk),
    ]
    for sql, pk in statements:
        with (
            pytest.raises(DatabaseError, match="Cannot update or delete"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [pk])
    assert DisruptionAddendum.objects.get().text == "The date was a day later."


def test_a_future_date_or_an_undescribed_other_action_is_refused(world, network):
    with pytest.raises(ValidationError) as error:
        action_against(
            network.person,
            world.involved,
            kind="other",
            action_date=timezone.localdate() + timedelta(days=1),
        )
    assert set(error.value.message_dict) == {"other_kind", "action_date"}
    with pytest.raises(IntegrityError), transaction.atomic():
        DisruptionAction.objects.create(
            person=network.person,
            kind="other",
            action_date=timezone.localdate(),
            agency=world.police,
            recorded_by=world.involved,
        )


def test_an_addendum_shows_under_its_action(world, network, involved_client):
    action = action_against(network.person, world.involved)
    url = reverse(
        "referrals:disruption_addendum",
        kwargs={"child_pk": world.child.pk, "person_pk": network.person.pk, "action_pk": action.pk},
    )
    assert "govuk-error-summary" in involved_client.post(url, {"text": ""}).content.decode()
    page = involved_client.post(url, {"text": "Served a day later."}, follow=True).content.decode()
    assert "Served a day later." in page
