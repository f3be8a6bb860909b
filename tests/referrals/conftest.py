"""Fixtures of the referral tests: a complete draft, a sent referral (and acknowledged), the
CSC's IRO and team manager signed in, and a screening that concluded "refer"."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import pytest
from django.test import Client

from cse_portal.models import Child, LookedAfterStatus, Officer
from referrals import services
from referrals.models import Referral
from screening import services as screening_services
from screening.models import Answer, Indicator
from screening.selectors import current_catalogue
from tests.conftest import World, sign_in

# The browser fixtures of tests/e2e, for test_browser.py (one Chromium, contexts watched for
# console errors and CSP violations).
from tests.e2e.conftest import (  # noqa: F401
    browser_context_args,
    browser_problems,
    browser_type_launch_args,
    context,
    page,
    persona_page,
    pytest_runtest_call,
)
from tests.factories import OfficerFactory, make_child

COMPLETE_DETAILS: dict[str, Any] = {
    "basis_of_concern": "Seen getting into cars with older men after school.",
    "parents_know": "yes",
    "young_person_knows": "yes",
    "young_person_consents": "refused",
    "lawful_basis": "safeguarding",
}


def make_draft(*, by: Officer, child: Child, **details: Any) -> Referral:
    referral, _ = services.referral_create(child=child, by=by, data={**COMPLETE_DETAILS, **details})
    return referral


def send(referral: Referral, by: Officer, *, now: datetime | None = None) -> Referral:
    return services.referral_submit(
        referral=referral, by=by, submission_key=uuid.uuid4(), now=now
    ).referral


def acknowledge(referral: Referral, by: Officer, *, now: datetime | None = None) -> Referral:
    """CSC's acknowledgement, which a decision needs first (G07)."""
    services.referral_acknowledge(
        referral=referral,
        by=by,
        message="Received, thank you.",
        action_being_taken="Allocated to a social worker.",
        now=now,
    )
    return Referral.objects.get(pk=referral.pk)


def decide(referral: Referral, world: World, **changes: Any) -> Any:
    """CSC's decision on an acknowledged referral: early help, by the CSC social worker with
    the team manager's approval (G09), unless `changes` say otherwise."""
    return services.referral_decide(
        **{
            "referral": referral,
            "by": world.csc_officer,
            "outcome": "early_help",
            "rationale": "Early help.",
            "decided_by": world.csc_officer,
            "approved_by": world.team_manager,
            **changes,
        }
    )


@pytest.fixture
def draft(world: World) -> Referral:
    return make_draft(by=world.owner, child=world.child)


@pytest.fixture
def sent(world: World, draft: Referral) -> Referral:
    return send(draft, world.owner)


@pytest.fixture
def acknowledged(world: World, sent: Referral) -> Referral:
    return acknowledge(sent, world.csc_officer)


@pytest.fixture
def iro(world: World) -> Officer:
    return OfficerFactory(
        username="iro",
        first_name="Ira",
        last_name="Reviewer",
        agency=world.csc,
        role=Officer.Role.IRO,
    )


@pytest.fixture
def looked_after_child(world: World) -> Child:
    return make_child(
        by=world.owner,
        first_name="Casey",
        last_name="Incare",
        looked_after_status=LookedAfterStatus.LOOKED_AFTER,
    )


@pytest.fixture
def manager_client(world: World) -> Client:
    return sign_in(Client(), world.team_manager)


@pytest.fixture
def refer_screening(world: World):
    """A submitted screening of world.child by the school that concludes 'refer', with two
    vulnerabilities present (one with a note)."""
    catalogue = current_catalogue()
    indicators = list(
        Indicator.objects.filter(version=catalogue).order_by("heading__position", "position")
    )
    vulnerabilities = [i for i in indicators if i.kind == "vulnerability"][:2]
    answers = {
        i.code: screening_services.AnswerInput(
            Answer.PRESENT if i in vulnerabilities else Answer.NOT_PRESENT,
            "Told a teacher" if i == vulnerabilities[0] else "",
        )
        for i in indicators
    }
    screening = screening_services.screening_create(
        child=world.child, by=world.owner, answers=answers
    )
    return screening_services.screening_submit(
        screening=screening,
        by=world.owner,
        conclusion="refer",
        reason="",
        expected_version=screening.version,
    )
