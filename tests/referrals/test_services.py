"""The referral pathway's rules, through the services the pages call."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cse_portal.access import children_visible_to
from cse_portal.models import Child, Involvement, LookedAfterStatus
from cse_portal.working_days import decision_due
from referrals import services
from referrals.models import PersonOfConcern, Referral
from tests.factories import make_child
from tests.referrals.conftest import COMPLETE_DETAILS, acknowledge, decide, make_draft, send


def test_sending_involves_the_childs_csc_and_records_why(world, draft):
    assert not children_visible_to(world.csc_officer).filter(pk=world.child.pk).exists()
    sent = send(draft, world.owner)
    assert sent.to_agency == world.csc
    involvement = Involvement.objects.get(child=world.child, agency=world.csc)
    assert involvement.reason == Involvement.Reason.REFERRAL
    assert involvement.granted_by == world.owner
    assert sent.reference in involvement.note
    assert children_visible_to(world.csc_officer).filter(pk=world.child.pk).exists()


def test_the_referral_goes_to_the_csc_of_the_childs_home_authority(world):
    child = make_child(by=world.owner, home_authority=world.south)
    referral = send(make_draft(by=world.owner, child=child), world.owner)
    assert referral.to_agency == world.south_csc


@pytest.mark.guidance("G08")
def test_the_decision_is_due_one_working_day_after_receipt(world, sent):
    assert sent.decision_due == decision_due(sent.received_at)
    assert sent.decision_due > sent.received_at


def test_sending_twice_with_the_same_key_sends_once(world, draft):
    key = uuid.uuid4()
    first = services.referral_submit(referral=draft, by=world.owner, submission_key=key)
    second = services.referral_submit(referral=draft, by=world.owner, submission_key=key)
    assert first.newly_sent and not second.newly_sent
    assert second.referral.received_at == first.referral.received_at
    assert Involvement.objects.filter(child=world.child, agency=world.csc).count() == 1


def test_a_second_send_from_another_tab_changes_nothing(world, draft):
    first = services.referral_submit(referral=draft, by=world.owner, submission_key=uuid.uuid4())
    again = services.referral_submit(referral=draft, by=world.owner, submission_key=uuid.uuid4())
    assert not again.newly_sent
    assert again.referral.submission_key == first.referral.submission_key


def test_starting_twice_with_the_same_form_makes_one_referral(world):
    key = uuid.uuid4()
    first, created = services.referral_create(
        child=world.child, by=world.owner, creation_key=key, data=COMPLETE_DETAILS
    )
    again, created_again = services.referral_create(
        child=world.child, by=world.owner, creation_key=key, data=COMPLETE_DETAILS
    )
    assert created and not created_again
    assert first.pk == again.pk
    assert Referral.objects.count() == 1


def test_an_incomplete_draft_cannot_be_sent(world):
    referral, _ = services.referral_create(child=world.child, by=world.owner, data={})
    with pytest.raises(ValidationError) as error:
        services.referral_submit(referral=referral, by=world.owner, submission_key=uuid.uuid4())
    assert {"basis_of_concern", "parents_know", "young_person_consents"} <= set(
        error.value.message_dict
    )


def test_not_telling_the_parents_needs_a_reason_and_sharing_without_agreement_a_basis(world):
    referral = make_draft(
        by=world.owner,
        child=world.child,
        parents_know="no",
        young_person_consents="not_asked",
        lawful_basis="",
    )
    problems = services.submission_problems(referral)
    assert set(problems) == {"parents_not_informed_reason", "lawful_basis"}


def test_only_the_referring_agency_can_change_or_send_a_draft(world, draft):
    with pytest.raises(PermissionDenied):
        services.referral_submit(referral=draft, by=world.involved, submission_key=uuid.uuid4())
    with pytest.raises(PermissionDenied):
        services.referral_person_add(referral=draft, by=world.involved, data={"full_name": "X"})


def test_a_sent_referral_cannot_be_changed_through_the_services(world, sent):
    with pytest.raises(ValidationError):
        services.referral_update(
            referral=sent,
            by=world.owner,
            data={"basis_of_concern": "x"},
            expected_version=sent.version,
        )
    with pytest.raises(ValidationError):
        services.referral_place_add(referral=sent, by=world.owner, data={"name": "x"})


def test_a_stale_edit_of_a_draft_is_refused_not_overwritten(world, draft):
    services.referral_update(
        referral=draft,
        by=world.owner,
        data={"basis_of_concern": "First"},
        expected_version=draft.version,
    )
    with pytest.raises(services.ConcurrentEditError):
        services.referral_update(
            referral=draft, by=world.lead, data={"basis_of_concern": "Second"}, expected_version=1
        )
    draft.refresh_from_db()
    assert draft.basis_of_concern == "First"


@pytest.mark.guidance("G07")
def test_only_the_receiving_csc_acknowledges_once(world, sent):
    with pytest.raises(PermissionDenied):
        services.referral_acknowledge(
            referral=sent, by=world.owner, message="x", action_being_taken="y"
        )
    ack = services.referral_acknowledge(
        referral=sent,
        by=world.csc_officer,
        message="Received, thank you.",
        action_being_taken="Allocated to a social worker.",
    )
    assert ack.sent_by == world.csc_officer and ack.sent_by_agency == world.csc
    assert ack.sent_at is not None
    with pytest.raises(ValidationError):
        services.referral_acknowledge(
            referral=sent, by=world.csc_officer, message="again", action_being_taken="again"
        )


@pytest.mark.guidance("G09")
def test_the_decision_needs_a_rationale_a_social_worker_and_the_team_managers_approval(
    world, acknowledged
):
    sent = acknowledged
    with pytest.raises(ValidationError) as error:
        services.referral_decide(
            referral=sent,
            by=world.csc_officer,
            outcome="nfa",
            rationale=" ",
            decided_by=world.owner,
            approved_by=world.csc_officer,
        )
    assert set(error.value.message_dict) == {"outcome", "rationale", "decided_by", "approved_by"}
    decision = decide(sent, world, outcome="emergency_action", rationale="Immediate risk.")
    assert decision.approved_by == world.team_manager
    with pytest.raises(ValidationError):
        decide(sent, world, rationale="Again.")


@pytest.mark.guidance("G08")
def test_an_undecided_referral_past_its_due_time_is_overdue_until_decided(world, draft):
    received = timezone.now() - timedelta(days=7)
    referral = send(draft, world.owner, now=received)
    assert referral.overdue
    assert Referral.objects.overdue().filter(pk=referral.pk).exists()
    acknowledge(referral, world.csc_officer)
    decide(referral, world)
    referral = Referral.objects.get(pk=referral.pk)
    assert not referral.overdue
    assert not referral.decision.was_on_time


@pytest.mark.guidance("G10")
def test_a_referral_about_an_unidentified_child_naming_an_identified_person_meets_the_threshold(
    world,
):
    referral, created = services.referral_create_for_unidentified_child(
        by=world.owner,
        child_data={
            "description": "Girl or boy, about 14, seen at the bus station.",
            "approximate_age": 14,
            "home_authority": world.north,
        },
        creation_key=uuid.uuid4(),
    )
    assert created and not referral.child.is_identified
    services.referral_update(
        referral=referral, by=world.owner, data=COMPLETE_DETAILS, expected_version=referral.version
    )
    services.referral_person_add(
        referral=referral,
        by=world.owner,
        data={"nicknames": "Dee", "description": "Drives a blue car"},
    )
    assert not Referral.objects.get(pk=referral.pk).meets_strategy_threshold
    services.referral_person_add(
        referral=referral,
        by=world.owner,
        data={"full_name": "Daniel Example", "approximate_age": 35},
        relationship_to_child="Collects the child from the bus station",
    )
    sent = send(Referral.objects.get(pk=referral.pk), world.owner)
    assert sent.is_submitted
    assert sent.child_identified_at_submission is False
    assert sent.meets_strategy_threshold


@pytest.mark.guidance("G10")
def test_an_identified_child_or_an_unnamed_person_does_not_trigger_the_marker(world, draft):
    services.referral_person_add(referral=draft, by=world.owner, data={"full_name": "Named Adult"})
    assert not Referral.objects.get(pk=draft.pk).meets_strategy_threshold


def test_the_unidentified_child_record_keeps_what_is_known(world):
    referral, _ = services.referral_create_for_unidentified_child(
        by=world.owner,
        child_data={"description": "Tall, red coat.", "home_authority": world.north},
        creation_key=uuid.uuid4(),
    )
    child = Child.objects.get(pk=referral.child_id)
    assert child.description == "Tall, red coat."
    assert child.owning_agency == world.school


@pytest.mark.guidance("G11")
def test_a_referral_about_a_looked_after_child_asks_for_the_team_manager_and_iro(
    world, looked_after_child, iro
):
    referral = send(make_draft(by=world.owner, child=looked_after_child), world.owner)
    assert referral.looked_after_status_at_submission == LookedAfterStatus.LOOKED_AFTER
    assert referral.needs_looked_after_notice
    with pytest.raises(ValidationError) as error:
        services.referral_record_looked_after_notice(
            referral=referral,
            by=world.csc_officer,
            team_manager=world.csc_officer,
            informed_at=timezone.now(),
            method="phone",
            bring_lac_review_forward=False,
        )
    assert set(error.value.message_dict) == {"team_manager", "iro"}
    notice = services.referral_record_looked_after_notice(
        referral=referral,
        by=world.csc_officer,
        team_manager=world.team_manager,
        iro=iro,
        informed_at=timezone.now(),
        method="phone",
        bring_lac_review_forward=True,
        combine_with_strategy_meeting=False,
        detail="Agreed to bring the LAC review forward.",
    )
    assert notice.iro == iro
    assert not Referral.objects.get(pk=referral.pk).needs_looked_after_notice


@pytest.mark.guidance("G11")
def test_a_child_not_looked_after_has_no_team_manager_and_iro_task(world, sent):
    assert not sent.needs_looked_after_notice
    with pytest.raises(ValidationError):
        services.referral_record_looked_after_notice(
            referral=sent,
            by=world.csc_officer,
            team_manager=world.team_manager,
            iro_name="Someone",
            informed_at=timezone.now(),
            method="phone",
        )


@pytest.mark.guidance("G06")
def test_a_referral_from_a_screening_copies_the_indicators_present(world, refer_screening):
    referral, created = services.referral_create(
        child=world.child, by=world.owner, data=COMPLETE_DETAILS, screening=refer_screening
    )
    copies = list(referral.indicators.order_by("position"))
    assert created and len(copies) == 2
    assert {c.kind for c in copies} == {"vulnerability"}
    assert copies[0].note == "Told a teacher"
    assert copies[0].text and copies[0].heading
    again, created_again = services.referral_create(
        child=world.child, by=world.owner, screening=refer_screening
    )
    assert again.pk == referral.pk and not created_again


def test_a_person_of_concern_under_18_is_flagged_and_adults_are_fine(world, draft):
    child_link = services.referral_person_add(
        referral=draft, by=world.owner, data={"full_name": "Young Person", "approximate_age": 16}
    )
    adult_link = services.referral_person_add(
        referral=draft, by=world.owner, data={"nicknames": "Big Man", "approximate_age": 45}
    )
    unknown = services.referral_person_add(
        referral=draft, by=world.owner, data={"description": "Man in a grey hoodie"}
    )
    assert child_link.person.is_under_18 is True
    assert adult_link.person.is_under_18 is False
    assert unknown.person.is_under_18 is None
    assert unknown.person.links.get().child == world.child


def test_removing_a_person_from_a_draft_removes_a_person_recorded_only_for_it(world, draft):
    link = services.referral_person_add(referral=draft, by=world.owner, data={"full_name": "X Y"})
    person_pk = link.person_id
    services.referral_person_remove(link=link, by=world.owner)
    assert not PersonOfConcern.objects.filter(pk=person_pk).exists()


def test_a_person_has_a_date_of_birth_or_an_approximate_age_not_both(world, draft):
    with pytest.raises(ValidationError) as error:
        services.referral_person_add(
            referral=draft,
            by=world.owner,
            data={"full_name": "X Y", "date_of_birth": date(1990, 1, 1), "approximate_age": 35},
        )
    assert set(error.value.message_dict) == {"approximate_age"}
    assert not draft.person_links.exists()


def test_the_decision_and_the_notice_are_the_receiving_cscs_to_record(
    world, sent, looked_after_child
):
    with pytest.raises(PermissionDenied):
        services.referral_decide(
            referral=sent,
            by=world.owner,
            outcome="early_help",
            rationale="Early help.",
            decided_by=world.csc_officer,
            approved_by=world.team_manager,
        )
    looked_after = send(make_draft(by=world.owner, child=looked_after_child), world.owner)
    with pytest.raises(PermissionDenied):
        services.referral_record_looked_after_notice(
            referral=looked_after,
            by=world.owner,
            team_manager=world.team_manager,
            iro_name="Someone",
            informed_at=timezone.now(),
            method="phone",
        )
