"""The assessment page and the child's assessments section cost the same number of queries
however many answers, contributions, tasks and assessments they show."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from referrals import services
from tests.factories import OfficerFactory
from tests.referrals.assessment.records import (
    HIGH,
    LOW,
    MEDIUM,
    a_task,
    make_assessment,
    shipped_tools,  # noqa: F401  (autouse)
)

pytestmark = pytest.mark.django_db


def _queries_for(client, url: str, *expected: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    for text in expected:
        assert text in page
    return len(captured.captured_queries)


def _assessment(world, contributors, tasks, *, days_ago=0):
    return make_assessment(
        child=world.child,
        by=world.owner,
        present={LOW: "current"},
        not_known=[HIGH],
        contributors=contributors,
        tasks=[a_task(agency=world.police) for _ in range(tasks)],
        judged="not_enough_information",
        reason="What the men want from her is not known.",
        now=timezone.now() - timedelta(days=days_ago),
    )


def test_the_assessment_page_costs_the_same_for_1_or_5_contributions_and_tasks(
    involved_client, world
):
    few = _assessment(world, [world.involved], 1, days_ago=30)
    colleagues = [OfficerFactory(agency=world.police) for _ in range(4)]
    many = _assessment(world, [world.involved, *colleagues], 5)
    expected = ("Mark as done", "Contributed:", "The tool suggests")
    assert _queries_for(involved_client, many.get_absolute_url(), *expected) == _queries_for(
        involved_client, few.get_absolute_url(), *expected
    )


def test_the_draft_pages_cost_the_same_however_many_answers(owner_client, world):
    empty = services.assessment_create(child=world.child, by=world.owner)
    few = _queries_for(owner_client, empty.get_absolute_url())
    services.assessment_save_answers(
        assessment=empty,
        by=world.owner,
        answers={c: services.AnswerInput("present", "current") for c in (LOW, MEDIUM, HIGH)},
        expected_version=empty.version,
    )
    assert _queries_for(owner_client, empty.get_absolute_url()) == few


def test_the_childs_section_costs_the_same_for_1_or_6_assessments(owner_client, world):
    _assessment(world, [world.involved], 1, days_ago=400)
    url = world.child.get_absolute_url()
    few = _queries_for(owner_client, url, "Judged level of risk over time")
    for n, level in enumerate(["low", "medium", "high", "no_signals"]):
        present = {
            "low": {LOW: "current"},
            "medium": {MEDIUM: "current"},
            "high": {HIGH: "current"},
        }
        make_assessment(
            child=world.child,
            by=world.owner,
            present=present.get(level, {}),
            judged=level,
            now=timezone.now() - timedelta(days=300 - 60 * n),
        )
    services.assessment_create(child=world.child, by=world.owner)  # a draft too
    many = _queries_for(
        owner_client, url, "Judged level of risk over time", "Draft risk assessment"
    )
    assert many == few
