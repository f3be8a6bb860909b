"""Rules the database itself keeps: a sent referral and CSC's responses are never changed,
and a decision is exactly one of three, once."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from referrals import services
from referrals.models import PersonLink, Referral, ReferralDecision, ReferralIndicator
from tests.referrals.conftest import acknowledge, send

DB_REFUSES = DatabaseError  # pgtrigger raises ProgrammingError, our triggers InternalError


def raw(sql: str, params: list) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_a_sent_referral_cannot_be_changed_with_raw_sql(sent):
    with pytest.raises(DB_REFUSES):
        raw(
            "UPDATE referrals_referral SET basis_of_concern = %s WHERE id = %s",
            ["rewritten", sent.pk],
        )
    with pytest.raises(DB_REFUSES):
        raw("DELETE FROM referrals_referral WHERE id = %s", [sent.pk])
    sent.refresh_from_db()
    assert sent.basis_of_concern.startswith("Seen getting into cars")


def test_a_draft_can_still_be_changed(draft):
    raw("UPDATE referrals_referral SET basis_of_concern = %s WHERE id = %s", ["new", draft.pk])
    draft.refresh_from_db()
    assert draft.basis_of_concern == "new"


def test_the_persons_places_and_indicators_of_a_sent_referral_are_fixed(world, draft):
    link = services.referral_person_add(
        referral=draft, by=world.owner, data={"full_name": "Adult Person"}
    )
    services.referral_place_add(referral=draft, by=world.owner, data={"name": "The park"})
    ReferralIndicator.objects.create(
        referral=draft, position=1, code="X1", heading="S", text="t", kind="sign", kind_label="Sign"
    )
    send(draft, world.owner)
    with pytest.raises(DB_REFUSES):
        raw("DELETE FROM referrals_personlink WHERE id = %s", [link.pk])
    with pytest.raises(DB_REFUSES):
        raw(
            "UPDATE referrals_referralplace SET name = 'elsewhere' WHERE referral_id = %s",
            [draft.pk],
        )
    with pytest.raises(DB_REFUSES):
        raw("UPDATE referrals_referralindicator SET text = 'x' WHERE referral_id = %s", [draft.pk])
    with pytest.raises(DB_REFUSES), transaction.atomic():
        ReferralIndicator.objects.create(
            referral=draft,
            position=2,
            code="X2",
            heading="S",
            text="t",
            kind="sign",
            kind_label="Sign",
        )
    assert PersonLink.objects.filter(pk=link.pk).exists()


def _decide(referral, world, outcome="initial_assessment"):
    acknowledge(referral, world.csc_officer)  # a decision comes after the acknowledgement
    return services.referral_decide(
        referral=referral,
        by=world.csc_officer,
        outcome=outcome,
        rationale="Reasons.",
        decided_by=world.csc_officer,
        approved_by=world.team_manager,
    )


@pytest.mark.guidance("G09")
def test_the_database_allows_only_the_three_decisions(world, acknowledged):
    with pytest.raises(IntegrityError), transaction.atomic():
        ReferralDecision.objects.create(
            referral=acknowledged,
            outcome="no_further_action",
            rationale="x",
            decided_by=world.csc_officer,
            approved_by=world.team_manager,
            approval_method="verbal",
            recorded_by=world.csc_officer,
            agency=world.csc,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        ReferralDecision.objects.create(
            referral=acknowledged,
            outcome="early_help",
            rationale="",
            decided_by=world.csc_officer,
            approved_by=world.team_manager,
            approval_method="verbal",
            recorded_by=world.csc_officer,
            agency=world.csc,
        )


@pytest.mark.guidance("G09")
def test_a_referral_has_at_most_one_decision_and_it_never_changes(world, sent):
    decision = _decide(sent, world)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReferralDecision.objects.create(
            referral=sent,
            outcome="early_help",
            rationale="Second thoughts",
            decided_by=world.csc_officer,
            approved_by=world.team_manager,
            approval_method="verbal",
            recorded_by=world.csc_officer,
            agency=world.csc,
        )
    with pytest.raises(DB_REFUSES):
        raw(
            "UPDATE referrals_referraldecision SET outcome = 'early_help' WHERE id = %s",
            [decision.pk],
        )


def test_a_draft_cannot_be_decided_or_acknowledged_even_in_the_database(world, draft):
    with pytest.raises(DB_REFUSES), transaction.atomic():
        ReferralDecision.objects.create(
            referral=draft,
            outcome="early_help",
            rationale="x",
            decided_by=world.csc_officer,
            approved_by=world.team_manager,
            approval_method="verbal",
            recorded_by=world.csc_officer,
            agency=world.csc,
        )


@pytest.mark.guidance("G07")
def test_an_acknowledgement_cannot_be_changed(world, sent):
    ack = services.referral_acknowledge(
        referral=sent, by=world.csc_officer, message="Received.", action_being_taken="Allocated."
    )
    with pytest.raises(DB_REFUSES):
        raw("UPDATE referrals_referralacknowledgement SET message = 'x' WHERE id = %s", [ack.pk])


def test_a_sent_referral_has_its_sending_recorded(sent):
    assert Referral.objects.filter(
        pk=sent.pk,
        to_agency__isnull=False,
        received_at__isnull=False,
        decision_due__isnull=False,
        submission_key__isnull=False,
    ).exists()
