"""The lifecycle of drafted-then-final records (cse_portal/lifecycle.py), each piece tested once
against PostgreSQL through the real models that use it: a child's record for attribution and
optimistic locking; screenings, their answers and advice for the triggers and visibility;
a person linked to a child without a referral for the triggers' NULL parent."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from pghistory.models import Events

from cse_portal import lifecycle
from cse_portal.models import Child
from referrals.models import PersonLink, PersonOfConcern
from screening.models import CatalogueVersion, Screening, ScreeningAdvice, ScreeningAnswer
from tests.factories import AgencyFactory, OfficerFactory
from tests.screening.factories import ensure_catalogue, make_screening


@pytest.fixture
def catalogue(db: None) -> CatalogueVersion:
    return ensure_catalogue()


def raw(sql: str, params: list[object]) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


# --- Attribution and optimistic locking -----------------------------------------------------


def test_writes_inside_attributed_name_the_officer_in_the_history(world):
    with lifecycle.attributed(world.involved):
        Child.objects.filter(pk=world.child.pk).update(known_as="JJ")
    update = Events.objects.tracks(world.child).filter(pgh_label="update").latest("pgh_created_at")
    assert update.pgh_context["user"] == world.involved.pk


def test_claiming_the_current_version_writes_the_changes_and_bumps_the_version(world):
    child = world.child
    before = child.updated_at
    lifecycle.claim_version(child, child.version, known_as="JJ")
    child.refresh_from_db()
    assert (child.known_as, child.version) == ("JJ", 2)
    assert child.updated_at > before


def test_claiming_a_stale_version_is_refused_and_writes_nothing(world):
    child = world.child
    lifecycle.claim_version(child, 1, known_as="First")
    with pytest.raises(lifecycle.ConcurrentEditError):
        lifecycle.claim_version(child, 1, known_as="Second")
    child.refresh_from_db()
    assert (child.known_as, child.version) == ("First", 2)


def test_claiming_a_version_is_refused_when_the_row_no_longer_matches_where(world, catalogue):
    screening = make_screening(child=world.child, by=world.owner)
    with pytest.raises(lifecycle.ConcurrentEditError):
        lifecycle.claim_version(
            screening, screening.version, where=Q(status=Screening.Status.SUBMITTED)
        )
    lifecycle.claim_version(screening, screening.version, where=Q(status=Screening.Status.DRAFT))
    screening.refresh_from_db()
    assert screening.version == 2


def test_touch_makes_a_save_begun_before_it_stale(world):
    child = world.child
    lifecycle.touch(child)
    with pytest.raises(lifecycle.ConcurrentEditError):
        lifecycle.claim_version(child, 1, known_as="Stale")
    child.refresh_from_db()
    assert child.version == 2 and child.known_as != "Stale"


def test_the_conflict_message_names_the_record_and_keeps_the_writers_changes():
    assert lifecycle.conflict_message() == (
        "Someone else saved changes to this record while you were editing it. Your changes "
        "have not been saved and are shown below: open the record in a new tab to see the "
        "latest version, then make your changes again."
    )
    text = lifecycle.conflict_message(
        "screening", opening="Someone else in your agency saved this screening."
    )
    assert text.startswith("Someone else in your agency saved this screening. Your changes")
    assert "open the screening in a new tab" in text


# --- Triggers -------------------------------------------------------------------------------


def test_append_only_rows_are_never_updated_or_deleted(world, catalogue):
    screening = make_screening(child=world.child, by=world.owner, submit=True)
    advice = ScreeningAdvice.objects.create(screening=screening, text="First", given_by=world.lead)
    with pytest.raises(DatabaseError):
        raw("UPDATE screening_screeningadvice SET text = 'x' WHERE id = %s", [advice.pk])
    with pytest.raises(DatabaseError):
        raw("DELETE FROM screening_screeningadvice WHERE id = %s", [advice.pk])
    with pytest.raises(DatabaseError):
        raw("UPDATE screening_catalogueversion SET title = 'x' WHERE id = %s", [catalogue.pk])
    assert ScreeningAdvice.objects.get(pk=advice.pk).text == "First"
    assert CatalogueVersion.objects.filter(pk=catalogue.pk).exists()


def test_a_row_frozen_once_final_changes_while_a_draft_only(world, catalogue):
    draft = make_screening(child=world.child, by=world.owner)
    raw("UPDATE screening_screening SET conclusion_reason = 'x' WHERE id = %s", [draft.pk])
    sent = make_screening(child=world.child, by=world.owner, submit=True)
    with pytest.raises(DatabaseError):
        raw("UPDATE screening_screening SET conclusion_reason = 'x' WHERE id = %s", [sent.pk])
    with pytest.raises(DatabaseError):
        raw("DELETE FROM screening_screening WHERE id = %s", [sent.pk])
    sent.refresh_from_db()
    assert sent.conclusion_reason == ""


def test_the_rows_of_a_draft_change_until_the_draft_is_final(world, catalogue):
    draft = make_screening(child=world.child, by=world.owner)
    answer = draft.answers.first()
    raw("UPDATE screening_screeninganswer SET note = 'n' WHERE id = %s", [answer.pk])
    raw("DELETE FROM screening_screeninganswer WHERE id = %s", [answer.pk])
    sent = make_screening(child=world.child, by=world.owner, submit=True)
    answer = sent.answers.first()
    message = "The answers of a submitted screening cannot be changed"
    with pytest.raises(DatabaseError, match=message):
        raw("UPDATE screening_screeninganswer SET note = 'n' WHERE id = %s", [answer.pk])
    with pytest.raises(DatabaseError, match=message):
        raw("DELETE FROM screening_screeninganswer WHERE id = %s", [answer.pk])
    with pytest.raises(DatabaseError, match=message):
        raw(
            "UPDATE screening_screeninganswer SET screening_id = %s WHERE id = %s",
            [sent.pk, draft.answers.last().pk],
        )
    assert ScreeningAnswer.objects.get(pk=answer.pk).note == ""


def test_rows_with_no_parent_are_not_the_frozen_with_parent_triggers_business(world):
    person = PersonOfConcern.objects.create(
        full_name="Adult Person", recorded_by=world.owner, recorded_by_agency=world.school
    )
    link = PersonLink.objects.create(
        person=person,
        child=world.child,
        referral=None,
        linked_by=world.owner,
        linked_by_agency=world.school,
    )
    raw("UPDATE referrals_personlink SET relationship_to_child = 'x' WHERE id = %s", [link.pk])
    raw("DELETE FROM referrals_personlink WHERE id = %s", [link.pk])
    assert not PersonLink.objects.filter(pk=link.pk).exists()


def test_a_row_that_requires_a_final_parent_cannot_be_added_to_a_draft(world, catalogue):
    draft = make_screening(child=world.child, by=world.owner)
    refused = pytest.raises(DatabaseError, match="Advice is recorded on a submitted screening")
    with refused, transaction.atomic():
        ScreeningAdvice.objects.create(screening=draft, text="Too early", given_by=world.lead)
    sent = make_screening(child=world.child, by=world.owner, submit=True)
    ScreeningAdvice.objects.create(screening=sent, text="In time", given_by=world.lead)
    assert list(ScreeningAdvice.objects.values_list("text", flat=True)) == ["In time"]


def test_trigger_messages_are_quoted_for_sql():
    trigger = lifecycle.insert_requires_parent(
        "t", parent=Screening, fk="screening_id", message="The screening's parent"
    )
    assert "RAISE EXCEPTION 'The screening''s parent';" in trigger.func


# --- Who may open which records -------------------------------------------------------------


def test_openable_by_gives_the_agencys_drafts_and_everyones_final_records(world, catalogue):
    own_draft = make_screening(child=world.child, by=world.owner)
    own_final = make_screening(child=world.child, by=world.owner, submit=True)
    police_draft = make_screening(child=world.child, by=world.involved)
    police_final = make_screening(child=world.child, by=world.involved, submit=True)
    other = OfficerFactory(agency=AgencyFactory())

    def openable(officer) -> set[int]:
        rows = lifecycle.openable_by(officer, Screening.objects.all(), agency_field="agency")
        return set(rows.values_list("pk", flat=True))

    assert openable(world.owner) == {own_draft.pk, own_final.pk, police_final.pk}
    assert openable(world.involved) == {police_draft.pk, own_final.pk, police_final.pk}
    assert openable(other) == {own_final.pk, police_final.pk}
    assert openable(AnonymousUser()) == {own_final.pk, police_final.pk}
