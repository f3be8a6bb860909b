"""What risk assessments contribute to "Your work": the "not enough information" tasks given to
an officer, who is told (G14), and their assessments due for review three months on (G16)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cse_portal import work
from referrals.models import AssessmentInformationTask
from referrals.services import TaskInput
from tests.referrals.assessment.records import make_assessment, overdue


def _rows(officer, key: str) -> list[work.WorkRow]:
    return next(
        s.work.rows for s in work.registry.for_officer(officer) if s.contribution.key == key
    )


@pytest.mark.guidance("G14")
def test_the_officer_asked_for_missing_information_is_told_and_sees_it_overdue(
    world, involved_client
):
    task = TaskInput(
        information="Whether the child attended the clinic appointment",
        officer=world.involved,
        due=timezone.localdate() + timedelta(days=7),
    )
    assessment = make_assessment(child=world.child, by=world.owner, tasks=[task])
    told = world.involved.notifications.get(kind="assessment.information_task")
    assert told.link == assessment.get_absolute_url() and "Jamie" not in told.text
    (row,) = _rows(world.involved, "information_tasks")
    assert not row.overdue
    overdue(AssessmentInformationTask.objects.get(assessment=assessment))
    (row,) = _rows(world.involved, "information_tasks")
    assert row.overdue
    assert "Information you are getting for an assessment" in (
        involved_client.get(reverse("home")).content.decode()
    )
    assert _rows(world.owner, "information_tasks") == []


@pytest.mark.guidance("G16")
def test_an_assessment_is_due_for_review_three_months_after_it_was_finalised(world):
    long_ago = timezone.now() - timedelta(days=100)
    make_assessment(child=world.child, by=world.owner, judged="no_signals", now=long_ago)
    (row,) = _rows(world.owner, "assessments_review")
    assert row.overdue and row.kind == "Reassessment due"
    make_assessment(child=world.child, by=world.owner, judged="no_signals")  # reassessed today
    assert _rows(world.owner, "assessments_review") == []
