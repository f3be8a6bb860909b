"""Browser tests: Playwright drives the system Chromium against pytest-django's live server.

One browser for the whole run; each persona gets its own browser context (its own cookies).
Every context is watched for console errors and CSP violations, and a test fails if any
appear (see helpers.BrowserProblems).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Generator
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page

from tests.e2e.helpers import BrowserProblems

# Playwright's sync API runs an event loop in this thread; the test code's ORM calls (making
# data, reading the TOTP device) would otherwise raise SynchronousOnlyOperation.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    # Without these Chromium keeps trying to reach the internet (updates, sync, QUIC probes).
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in item.nodeid and item.get_closest_marker("e2e") is None:
            raise pytest.UsageError(f"{item.nodeid}: browser tests must be marked @pytest.mark.e2e")


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict[str, Any]:
    # `playwright install` cannot download here; use the system's Chromium.
    chromium = os.environ.get("CSE_CHROMIUM", "/usr/bin/chromium")
    if not os.access(chromium, os.X_OK):
        # A failure, never a skip: the browser tests are part of every run.
        pytest.fail(
            f"Chromium is not installed at {chromium}: run `make system-deps` "
            "(or set CSE_CHROMIUM to its path)",
            pytrace=False,
        )
    return {
        "executable_path": chromium,
        "headless": True,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_context_args,
        "locale": "en-GB",
        "timezone_id": "Europe/London",
        "viewport": {"width": 1280, "height": 900},
    }


@pytest.fixture
def browser_problems() -> BrowserProblems:
    return BrowserProblems()


@pytest.fixture
def context(
    live_server: object,  # started before any page can ask for it
    new_context: Callable[..., BrowserContext],
    browser_problems: BrowserProblems,
) -> BrowserContext:
    return browser_problems.watch(new_context())


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture
def persona_page(
    live_server: object,
    new_context: Callable[..., BrowserContext],
    browser_problems: BrowserProblems,
) -> Callable[[], Page]:
    """A page in a fresh browser context, for a second persona in the same test."""

    def make() -> Page:
        return browser_problems.watch(new_context()).new_page()

    return make


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    # Checked as part of the test (a failure, not a teardown error), once the test body passed.
    result = yield
    problems = getattr(item, "funcargs", {}).get("browser_problems")
    if problems is not None:
        problems.assert_none()
    return result
