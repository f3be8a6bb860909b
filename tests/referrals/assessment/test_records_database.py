"""The database keeps a finalised assessment as it was, whatever writes to it: raw SQL against
the assessment, its answers, contributions, requests and information tasks (G13, G14, G15)."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from referrals import services
from referrals.models import AssessmentAnswer, RiskAssessment, ToolIndicator, ToolOutcome
from tests.referrals.assessment.records import (
    HIGH,
    LOW,
    a_task,
    make_assessment,
    outcome,
    shipped_tools,  # noqa: F401  (autouse)
    tool,
)

pytestmark = pytest.mark.django_db


def _refused(sql: str, params: list[object]) -> None:
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def _runs(sql: str, params: list[object]) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def finalised(world):
    return make_assessment(
        child=world.child,
        by=world.owner,
        present={LOW: "current"},
        not_known=[HIGH],
        contributors=[world.involved],
        tasks=[a_task(agency=world.police)],
        judged="not_enough_information",
        reason="Whether she is in contact with known perpetrators is not known.",
    )


def test_a_finalised_assessment_cannot_be_updated_or_deleted(finalised):
    _refused(
        "UPDATE referrals_riskassessment SET judgement_reason = 'changed' WHERE id = %s",
        [finalised.pk],
    )
    _refused("UPDATE referrals_riskassessment SET status = 'draft' WHERE id = %s", [finalised.pk])
    _refused("DELETE FROM referrals_riskassessment WHERE id = %s", [finalised.pk])


def test_the_answers_of_a_finalised_assessment_are_frozen_with_it(finalised):
    row = finalised.answers.first()
    _refused("UPDATE referrals_assessmentanswer SET note = 'x' WHERE id = %s", [row.pk])
    _refused("DELETE FROM referrals_assessmentanswer WHERE id = %s", [row.pk])
    other = ToolIndicator.objects.filter(tool=finalised.tool).exclude(
        pk__in=finalised.answers.values("indicator_id")
    )
    assert not other.exists()  # every indicator answered; a second answer to one is refused
    with pytest.raises(DatabaseError), transaction.atomic():
        AssessmentAnswer.objects.create(
            assessment=finalised, indicator=row.indicator, state="present"
        )


@pytest.mark.guidance("G15")
def test_contributions_and_requests_of_a_finalised_assessment_are_frozen(finalised, world):
    contribution = finalised.contributions.get()
    _refused(
        "UPDATE referrals_assessmentcontribution SET text = 'x' WHERE id = %s", [contribution.pk]
    )
    _refused(
        "INSERT INTO referrals_assessmentcontribution "
        "(assessment_id, agency_id, officer_id, text, added_at, creation_key) "
        "VALUES (%s, %s, %s, 'late', now(), gen_random_uuid())",
        [finalised.pk, world.police.pk, world.involved.pk],
    )
    _refused("DELETE FROM referrals_assessmentinvitation WHERE assessment_id = %s", [finalised.pk])


@pytest.mark.guidance("G14")
def test_the_tasks_of_a_finalised_assessment_can_only_be_marked_done_once(finalised, world):
    task = finalised.information_tasks.get()
    _refused(
        "UPDATE referrals_assessmentinformationtask SET information = 'x' WHERE id = %s",
        [task.pk],
    )
    _refused(
        "UPDATE referrals_assessmentinformationtask SET due = due + 30 WHERE id = %s", [task.pk]
    )
    _refused("DELETE FROM referrals_assessmentinformationtask WHERE id = %s", [task.pk])
    _refused(
        "INSERT INTO referrals_assessmentinformationtask "
        "(assessment_id, information, responsible_name, due, created_by_id, created_at, "
        "creation_key, done_note) "
        "VALUES (%s, 'more', 'Someone', current_date, %s, now(), gen_random_uuid(), '')",
        [finalised.pk, world.owner.pk],
    )
    # Marking done without saying who is refused; with who, once.
    _refused(
        "UPDATE referrals_assessmentinformationtask SET done_at = now() WHERE id = %s", [task.pk]
    )
    _runs(
        "UPDATE referrals_assessmentinformationtask SET done_at = now(), done_by_id = %s "
        "WHERE id = %s",
        [world.involved.pk, task.pk],
    )
    _refused(
        "UPDATE referrals_assessmentinformationtask SET done_note = 'changed' WHERE id = %s",
        [task.pk],
    )


def _draft(world, **kwargs):
    return make_assessment(child=world.child, by=world.owner, **kwargs)


def _finalise_sql(assessment, judged, suggested, reason=""):
    return (
        "UPDATE referrals_riskassessment SET status = 'finalised', judged_outcome_id = %s, "
        "suggested_outcome_id = %s, judgement_reason = %s, finalised_by_id = created_by_id, "
        "finalised_at = now() WHERE id = %s",
        [judged.pk, suggested.pk, reason, assessment.pk],
    )


@pytest.mark.guidance("G13")
def test_the_database_refuses_a_differing_judgement_without_a_reason(world):
    draft = _draft(world)
    high, low = outcome(draft, "high"), outcome(draft, "low")
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(*_finalise_sql(draft, high, low))
    _runs(*_finalise_sql(draft, high, low, "Known to police."))


@pytest.mark.guidance("G14")
def test_the_database_refuses_not_enough_information_without_a_task(world):
    draft = _draft(world)
    nei = outcome(draft, "not_enough_information")
    refused = pytest.raises(IntegrityError, match="Not enough information")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(*_finalise_sql(draft, nei, nei))
    services.assessment_task_add(assessment=draft, by=world.owner, task=a_task())
    _runs(*_finalise_sql(draft, nei, nei))


def test_the_judged_level_is_an_outcome_of_the_assessments_own_tool(world):
    draft = _draft(world)
    seraf_level = ToolOutcome.objects.get(tool=tool("seraf"), code="mild")
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(*_finalise_sql(draft, seraf_level, seraf_level))


def test_an_answer_is_to_an_indicator_of_the_tool_in_a_recency_it_takes(world):
    draft = RiskAssessment.objects.get(
        pk=services.assessment_create(child=world.child, by=world.owner).pk
    )
    seraf_indicator = ToolIndicator.objects.filter(tool=tool("seraf")).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        AssessmentAnswer.objects.create(
            assessment=draft, indicator=seraf_indicator, state="present"
        )
    low = ToolIndicator.objects.get(tool=draft.tool, code=LOW)
    with pytest.raises(IntegrityError), transaction.atomic():
        AssessmentAnswer.objects.create(
            assessment=draft, indicator=low, state="present", recency="6_to_12_months"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        AssessmentAnswer.objects.create(
            assessment=draft, indicator=low, state="not_present", recency="current"
        )


def test_a_referral_of_another_child_cannot_be_named(world, sent):
    from tests.factories import make_child

    other = make_child(by=world.owner, first_name="Other")
    draft = services.assessment_create(child=other, by=world.owner)
    _refused(
        "UPDATE referrals_riskassessment SET referral_id = %s WHERE id = %s", [sent.pk, draft.pk]
    )
