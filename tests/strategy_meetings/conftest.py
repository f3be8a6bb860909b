"""Fixtures of the strategy meeting tests: children's social care involved with world.child,
a chair (a child protection coordinator), an IRO, and a meeting convened."""

from __future__ import annotations

import pytest
from django.test import Client

from cse_portal.models import Officer
from strategy_meetings.models import Meeting
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
from tests.factories import OfficerFactory
from tests.strategy_meetings.factories import convene, csc_involved


@pytest.fixture
def chair(world: World) -> Officer:
    return OfficerFactory(
        username="chair",
        first_name="Carmen",
        last_name="Chair",
        agency=world.csc,
        role=Officer.Role.CP_COORDINATOR,
    )


@pytest.fixture
def iro(world: World) -> Officer:
    return OfficerFactory(
        username="iro",
        first_name="Ines",
        last_name="Reviewer",
        agency=world.csc,
        role=Officer.Role.IRO,
    )


@pytest.fixture
def minute_taker(world: World) -> Officer:
    return OfficerFactory(
        username="minutes", first_name="Mina", last_name="Taker", agency=world.csc
    )


@pytest.fixture
def involved_csc(world: World) -> World:
    csc_involved(world.child, world.csc, world.owner)
    return world


@pytest.fixture
def meeting(involved_csc: World, chair: Officer, minute_taker: Officer) -> Meeting:
    from dataclasses import replace

    from tests.strategy_meetings.factories import DETAILS

    return convene(
        child=involved_csc.child,
        by=involved_csc.csc_officer,
        chair=chair,
        details=replace(DETAILS, minute_taker=minute_taker),
    )


@pytest.fixture
def chair_client(chair: Officer) -> Client:
    return sign_in(Client(), chair)


@pytest.fixture
def minute_taker_client(minute_taker: Officer) -> Client:
    return sign_in(Client(), minute_taker)
