"""CSC's response after issue 7, through the services and in the database: the acknowledgement
is due with the decision and comes first (G07, G08); the perpetrator-led threshold for an
identified child (G10); the outcome of the team manager's and the IRO's discussion (G11); and
how the team manager's approval was given."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone

from cse_portal.working_days import LONDON, acknowledgement_due, decision_due
from referrals import services
from referrals.models import (
    LookedAfterNotice,
    Referral,
    ReferralAcknowledgement,
    ReferralDecision,
    acknowledgement_overdue_condition,
)
from tests.referrals.conftest import acknowledge, make_draft, send


def london(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)


def decide(referral: Referral, world, **changes):
    answers = {
        "referral": referral,
        "by": world.csc_officer,
        "outcome": "initial_assessment",
        "rationale": "Reasons.",
        "decided_by": world.csc_officer,
        "approved_by": world.team_manager,
        **changes,
    }
    return services.referral_decide(**answers)


def raw_decision(referral: Referral, world, **changes) -> ReferralDecision:
    fields = {
        "referral": referral,
        "outcome": "initial_assessment",
        "rationale": "x",
        "decided_by": world.csc_officer,
        "approved_by": world.team_manager,
        "approval_method": "verbal",
        "recorded_by": world.csc_officer,
        "agency": world.csc,
        **changes,
    }
    with transaction.atomic():
        return ReferralDecision.objects.create(**fields)


def named_person(referral: Referral, world, name: str = "Daniel Example") -> None:
    services.referral_person_add(referral=referral, by=world.owner, data={"full_name": name})


# --- G07, G08: due together; the acknowledgement first ---------------------------------------


@pytest.mark.guidance("G07")
@pytest.mark.guidance("G08")
def test_the_acknowledgement_falls_due_with_the_decision_one_working_day_after_receipt(
    world, draft
):
    tuesday = london(2026, 3, 10, 9, 30)
    sent = send(draft, world.owner, now=tuesday)
    assert sent.decision_due == sent.acknowledgement_due == london(2026, 3, 11, 9, 30)
    assert sent.acknowledgement_due == acknowledgement_due(tuesday) == decision_due(tuesday)


@pytest.mark.guidance("G07")
def test_the_database_keeps_the_acknowledgements_due_time_with_the_sending(world, draft):
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.filter(pk=draft.pk).update(acknowledgement_due=timezone.now())
    received = timezone.now()
    sending = {
        "status": "submitted",
        "to_agency": world.csc,
        "submitted_by": world.owner,
        "received_at": received,
        "decision_due": received + timedelta(days=1),
        "submission_key": uuid.uuid4(),
        "child_identified_at_submission": True,
    }
    for due in (None, received, received - timedelta(hours=1)):
        with pytest.raises(IntegrityError), transaction.atomic():
            Referral.objects.filter(pk=draft.pk).update(**sending, acknowledgement_due=due)
    Referral.objects.filter(pk=draft.pk).update(
        **sending, acknowledgement_due=received + timedelta(days=1)
    )


@pytest.mark.guidance("G07")
def test_an_acknowledgement_is_overdue_until_sent_and_the_decision_is_separate(world, draft):
    referral = send(draft, world.owner, now=timezone.now() - timedelta(days=10))
    ack_overdue = Referral.objects.filter(acknowledgement_overdue_condition())
    assert ack_overdue.filter(pk=referral.pk).exists()
    acknowledge(referral, world.csc_officer)
    assert not ack_overdue.filter(pk=referral.pk).exists()
    assert Referral.objects.get(pk=referral.pk).overdue  # the decision is still overdue


@pytest.mark.guidance("G07")
@pytest.mark.guidance("G08")
def test_a_decision_is_refused_before_the_acknowledgement(world, sent):
    with pytest.raises(ValidationError) as error:
        decide(sent, world)
    assert "Send the acknowledgement to the referrer first" in str(error.value)
    assert not ReferralDecision.objects.exists()


@pytest.mark.guidance("G07")
@pytest.mark.guidance("G08")
def test_the_acknowledgement_can_be_sent_with_the_decision_in_one_go(world, sent):
    with pytest.raises(ValidationError) as error:
        decide(sent, world, acknowledgement=services.Acknowledgement("Received.", " "))
    assert set(error.value.message_dict) == {"action_being_taken"}
    assert not ReferralAcknowledgement.objects.exists()
    decision = decide(
        sent, world, acknowledgement=services.Acknowledgement("Received.", "Allocated.")
    )
    ack = ReferralAcknowledgement.objects.get(referral=sent)
    assert ack.sent_by == world.csc_officer and ack.action_being_taken == "Allocated."
    assert ack.sent_at == decision.decided_at


@pytest.mark.guidance("G07")
def test_an_acknowledgement_given_with_a_decision_already_acknowledged_is_not_sent_again(
    world, acknowledged
):
    decide(acknowledged, world, acknowledgement=services.Acknowledgement("Again.", "Again."))
    assert ReferralAcknowledgement.objects.get(referral=acknowledged).message == (
        "Received, thank you."
    )


@pytest.mark.guidance("G07")
def test_the_database_refuses_a_decision_without_an_acknowledgement(world, sent):
    with pytest.raises(IntegrityError):
        raw_decision(sent, world)
    # In the same transaction, the acknowledgement first: accepted.
    with transaction.atomic():
        acknowledge(sent, world.csc_officer)
        raw_decision(sent, world)
    assert ReferralDecision.objects.filter(referral=sent).exists()


def test_the_database_refuses_a_decision_by_another_childrens_social_care(world, acknowledged):
    # The tray reads an agency's decisions by the decision's own agency (docs/benchmarks.md):
    # it must be the children's social care the referral was sent to.
    with pytest.raises(IntegrityError):
        raw_decision(acknowledged, world, agency=world.south_csc)
    assert not ReferralDecision.objects.filter(referral=acknowledged).exists()
    raw_decision(acknowledged, world)
    assert ReferralDecision.objects.get(referral=acknowledged).agency == world.csc


# --- The team manager's approval -------------------------------------------------------------


def test_a_decision_recorded_by_the_team_manager_is_approved_signed_in(world, acknowledged):
    decision = decide(acknowledged, world, by=world.team_manager)
    assert decision.approval_method == ReferralDecision.ApprovalMethod.SIGNED_IN
    assert decision.recorded_by == decision.approved_by == world.team_manager


def test_a_decision_recorded_by_another_officer_says_it_was_approved_verbally(world, acknowledged):
    decision = decide(acknowledged, world)
    assert decision.approval_method == ReferralDecision.ApprovalMethod.VERBAL
    assert decision.approved_verbally and decision.recorded_by == world.csc_officer


def test_the_database_refuses_a_signed_in_approval_someone_else_recorded(world, acknowledged):
    with pytest.raises(IntegrityError):
        raw_decision(acknowledged, world, approval_method="signed_in")
    with pytest.raises(IntegrityError):
        raw_decision(acknowledged, world, recorded_by=world.team_manager, approval_method="verbal")


# --- G10: the perpetrator-led threshold for an identified child --------------------------


@pytest.mark.guidance("G10")
def test_an_identified_person_judged_well_evidenced_meets_the_threshold_for_an_identified_child(
    world, draft
):
    named_person(draft, world)
    referral = acknowledge(send(draft, world.owner), world.csc_officer)
    assert services.asks_whether_person_well_evidenced(referral)
    assert not referral.meets_strategy_threshold  # not until CSC has judged the evidence
    with pytest.raises(ValidationError) as error:
        decide(referral, world)
    assert set(error.value.message_dict) == {"person_well_evidenced", "evidence_judged_by"}
    decision = decide(
        referral, world, person_well_evidenced=True, evidence_judged_by=world.team_manager
    )
    assert decision.met_threshold and decision.evidence_judged_by == world.team_manager
    assert Referral.objects.get(pk=referral.pk).meets_strategy_threshold


@pytest.mark.guidance("G10")
def test_a_concern_not_well_evidenced_does_not_meet_the_threshold(world, draft):
    named_person(draft, world)
    referral = acknowledge(send(draft, world.owner), world.csc_officer)
    decision = decide(
        referral,
        world,
        outcome="early_help",
        person_well_evidenced=False,
        evidence_judged_by=world.csc_officer,
    )
    assert not decision.met_threshold and decision.threshold_not_met_reason == ""
    assert not Referral.objects.get(pk=referral.pk).meets_strategy_threshold


@pytest.mark.guidance("G10")
def test_threshold_not_met_on_a_referral_meeting_the_threshold_needs_a_reason(world, draft):
    named_person(draft, world)
    referral = acknowledge(send(draft, world.owner), world.csc_officer)
    judged = {"person_well_evidenced": True, "evidence_judged_by": world.csc_officer}
    with pytest.raises(ValidationError) as error:
        decide(referral, world, outcome="early_help", **judged)
    assert set(error.value.message_dict) == {"threshold_not_met_reason"}
    decision = decide(
        referral,
        world,
        outcome="early_help",
        threshold_not_met_reason="The family moved abroad; the police lead the enquiry.",
        **judged,
    )
    assert decision.met_threshold
    assert decision.threshold_not_met_reason.startswith("The family moved abroad")


@pytest.mark.guidance("G10")
def test_an_unidentified_child_with_a_named_person_needs_the_reason_too(world):
    referral, _ = services.referral_create_for_unidentified_child(
        by=world.owner,
        child_data={"description": "Girl, about 14.", "home_authority": world.north},
        creation_key=uuid.uuid4(),
    )
    services.referral_update(
        referral=referral,
        by=world.owner,
        data={
            "basis_of_concern": "Seen at his address.",
            "parents_know": "not_known",
            "young_person_knows": "not_known",
            "young_person_consents": "not_asked",
            "lawful_basis": "safeguarding",
        },
        expected_version=referral.version,
    )
    named_person(referral, world, "Darren Pike")
    referral = acknowledge(
        send(Referral.objects.get(pk=referral.pk), world.owner), world.csc_officer
    )
    assert not services.asks_whether_person_well_evidenced(referral)  # met already
    with pytest.raises(ValidationError) as error:
        decide(referral, world, outcome="early_help")
    assert set(error.value.message_dict) == {"threshold_not_met_reason"}
    # The database holds the decision to the threshold too.
    with pytest.raises(IntegrityError):
        raw_decision(referral, world, outcome="early_help", met_threshold=False)
    with pytest.raises(IntegrityError):
        raw_decision(referral, world, outcome="early_help", met_threshold=True)
    raw_decision(
        referral, world, outcome="early_help", met_threshold=True, threshold_not_met_reason="r"
    )


@pytest.mark.guidance("G10")
def test_the_database_ties_the_evidence_judgement_to_the_threshold(world, draft):
    named_person(draft, world)
    referral = acknowledge(send(draft, world.owner), world.csc_officer)
    with pytest.raises(IntegrityError):  # judged well evidenced, yet "not met"
        raw_decision(
            referral, world, person_well_evidenced=True, evidence_judged_by=world.csc_officer
        )
    with pytest.raises(IntegrityError):  # a judgement without who judged it
        raw_decision(referral, world, person_well_evidenced=False)


@pytest.mark.guidance("G10")
def test_without_an_identified_person_the_evidence_is_not_asked_about(world, acknowledged):
    assert not services.asks_whether_person_well_evidenced(acknowledged)
    decision = decide(
        acknowledged, world, person_well_evidenced=True, evidence_judged_by=world.csc_officer
    )
    assert decision.person_well_evidenced is None and decision.evidence_judged_by is None
    assert not decision.met_threshold


# --- G11: the outcome of the discussion about the LAC review ------------------------------


def _notice(referral: Referral, world, iro, **changes) -> LookedAfterNotice:
    answers = {
        "referral": referral,
        "by": world.csc_officer,
        "team_manager": world.team_manager,
        "iro": iro,
        "informed_at": timezone.now(),
        "method": "phone",
        **changes,
    }
    return services.referral_record_looked_after_notice(**answers)


@pytest.mark.guidance("G11")
def test_the_notice_records_whether_the_lac_review_is_brought_forward_and_combined(
    world, looked_after_child, iro
):
    referral = send(make_draft(by=world.owner, child=looked_after_child), world.owner)
    with pytest.raises(ValidationError) as error:
        _notice(referral, world, iro)
    assert set(error.value.message_dict) == {"bring_lac_review_forward"}
    with pytest.raises(ValidationError) as error:
        _notice(referral, world, iro, bring_lac_review_forward=True)
    assert set(error.value.message_dict) == {"combine_with_strategy_meeting"}
    notice = _notice(
        referral, world, iro, bring_lac_review_forward=True, combine_with_strategy_meeting=True
    )
    assert notice.bring_lac_review_forward and notice.combine_with_strategy_meeting
    assert "combined with the strategy meeting" in notice.discussion_outcome


@pytest.mark.guidance("G11")
def test_not_bringing_the_review_forward_leaves_combining_unasked(world, looked_after_child, iro):
    referral = send(make_draft(by=world.owner, child=looked_after_child), world.owner)
    notice = _notice(
        referral, world, iro, bring_lac_review_forward=False, combine_with_strategy_meeting=True
    )
    assert notice.bring_lac_review_forward is False
    assert notice.combine_with_strategy_meeting is None
    assert notice.discussion_outcome == "The LAC review will not be brought forward"


@pytest.mark.guidance("G11")
def test_the_database_refuses_a_notice_without_the_discussions_outcome(
    world, looked_after_child, iro
):
    referral = send(make_draft(by=world.owner, child=looked_after_child), world.owner)
    fields = {
        "referral": referral,
        "team_manager": world.team_manager,
        "iro": iro,
        "informed_at": timezone.now(),
        "method": "phone",
        "recorded_by": world.csc_officer,
    }
    with pytest.raises(DatabaseError), transaction.atomic():
        LookedAfterNotice.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        LookedAfterNotice.objects.create(
            **fields, bring_lac_review_forward=False, combine_with_strategy_meeting=True
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        LookedAfterNotice.objects.create(**fields, bring_lac_review_forward=True)
    LookedAfterNotice.objects.create(
        **fields, bring_lac_review_forward=True, combine_with_strategy_meeting=False
    )
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE referrals_lookedafternotice SET bring_lac_review_forward = FALSE, "
            "combine_with_strategy_meeting = NULL WHERE referral_id = %s",
            [referral.pk],
        )
