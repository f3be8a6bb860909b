"""Kwargs builders for the risk assessment's routes, for tests/security/test_child_url_access.py
(added to tests/security/child_route_kwargs.py). Each builds objects of world.child."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from referrals import services
from referrals.models import AssessmentInformationTask, PersonLink, RiskAssessment
from tests.referrals.assessment.records import a_task, ensure_tools


def _assessment(world: Any) -> RiskAssessment:
    found = RiskAssessment.objects.filter(child=world.child).first()
    if found is None:
        ensure_tools()
        found = services.assessment_create(child=world.child, by=world.owner)
    return found


def _task(world: Any) -> AssessmentInformationTask:
    assessment = _assessment(world)
    return assessment.information_tasks.first() or services.assessment_task_add(
        assessment=assessment, by=world.owner, task=a_task()
    )


def _link(world: Any) -> PersonLink:
    assessment = _assessment(world)
    return assessment.person_links.first() or services.assessment_person_add(
        assessment=assessment, by=world.owner, data={"full_name": "Adult Person"}
    )


def _pk(world: Any) -> dict[str, Any]:
    return {"pk": _assessment(world).pk}


def _task_pk(world: Any) -> dict[str, Any]:
    return {"pk": _assessment(world).pk, "task_pk": _task(world).pk}


BUILDERS: dict[str, Callable[[Any], dict[str, Any]]] = {
    **{
        f"referrals:assessment_{name}": _pk
        for name in [
            "detail",
            "answers",
            "finalise",
            "invite",
            "contribute",
            "information",
            "persons",
            "person_pick",
            "persons_from_referral",
        ]
    },
    "referrals:assessment_person_edit": lambda world: {
        "pk": _assessment(world).pk,
        "link_pk": _link(world).pk,
    },
    "referrals:assessment_person_remove": lambda world: {
        "pk": _assessment(world).pk,
        "link_pk": _link(world).pk,
    },
    "referrals:assessment_task_remove": _task_pk,
    "referrals:assessment_task_done": _task_pk,
}
