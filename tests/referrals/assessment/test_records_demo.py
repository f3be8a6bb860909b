"""The demo risk assessments: every level, a trend up and one down, "not enough information"
with an overdue task, SERAF in Southmere, a draft asking for a contribution; loaded once."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from referrals.assessment_selectors import next_assessment_due
from referrals.models import AssessmentInformationTask, RiskAssessment
from referrals.selectors_case import case_status_of
from tests.referrals.assessment.records import shipped_tools  # noqa: F401  (autouse)


def _levels(first_name: str) -> list[str]:
    return [
        a.judged_outcome.code
        for a in RiskAssessment.objects.filter(
            child__first_name=first_name, status="finalised"
        ).order_by("finalised_at")
    ]


@pytest.mark.django_db
@pytest.mark.guidance("G16")
def test_the_demo_has_assessments_at_every_level_with_trends_and_loads_once(module_demo):
    assert "Assessments: created 10 demo risk assessments." in module_demo
    assert _levels("Jasmine") == ["low", "medium", "high"]
    assert _levels("Tyler") == ["high", "medium", "low"]
    judged = set(
        RiskAssessment.objects.filter(status="finalised").values_list(
            "judged_outcome__code", flat=True
        )
    )
    assert {"no_signals", "low", "medium", "high", "not_enough_information", "moderate"} <= judged
    tasks = AssessmentInformationTask.objects.filter(assessment__child__first_name="Niamh")
    assert any(t.overdue for t in tasks) and any(t.is_done for t in tasks)
    tyler = list(RiskAssessment.objects.filter(child__first_name="Tyler", status="finalised"))
    assert next_assessment_due(tyler, case_status_of(tyler[0].child)).overdue
    jasmine = RiskAssessment.objects.filter(child__first_name="Jasmine").latest("finalised_at")
    assert jasmine.referral is not None and jasmine.contributions.count() == 2
    # G30: the person her referral named (linked to three children) is named in it too.
    named = jasmine.person_links.get().person
    assert named.full_name == "Marcus Webb"
    assert named.links.values("child_id").distinct().count() == 3
    amira = RiskAssessment.objects.get(child__first_name="Amira")
    assert amira.tool.code == "seraf"
    zain = RiskAssessment.objects.get(child__first_name="Zain")
    assert zain.is_draft and zain.invitations.get().agency.name == "Northdale Police"
    count = RiskAssessment.objects.count()
    call_command("load_demo", "--quiet", stdout=io.StringIO())
    assert RiskAssessment.objects.count() == count
