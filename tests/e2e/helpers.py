"""What the browser tests do again and again: sign in for real (password, then a TOTP code),
check a page with axe-core, and watch the browser console for errors and CSP violations."""

from __future__ import annotations

import hashlib
import re
from base64 import b32decode
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from axe_playwright_python.sync_playwright import Axe
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import BrowserContext, ConsoleMessage, Page, expect
from playwright.sync_api import Error as PlaywrightError

from cse_portal.models import Officer
from tests.factories import TEST_PASSWORD

SIGN_IN_PATH = "/account/sign-in/"
LIST_HEADING = "My agency's children"
HOME_HEADING = "Your work"
CHILDREN_PATH = "/children/"

_axe = Axe()

# Reported to the console by the page itself, so that a blocked script or style (or one
# blocked by a rule that Chromium does not log) fails the test with the directive named.
# Init scripts run through the DevTools protocol, so the page's own CSP does not block this.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` (${event.sourceFile || "?"}:${event.lineNumber || 0})`);
});
"""


# --- Accessibility ------------------------------------------------------------------------


# Violations the project accepts, each for a stated reason; everything else fails.
# - The GOV.UK back link sits before <main>, outside any landmark, as the Design System tells
#   services to place it; axe's best-practice "region" rule flags that. GOV.UK Frontend has
#   decided to keep the pattern (alphagov/govuk-frontend#1604, #6460). Only the back link
#   itself is excused: any other content outside a landmark still fails.
ACCEPTED_VIOLATIONS = {("region", ".govuk-back-link")}


def _target(node: dict) -> str:
    return " ".join(str(part) for part in node["target"])


def _is_accepted(violation_id: str, node: dict) -> bool:
    if (violation_id, _target(node)) in ACCEPTED_VIOLATIONS:
        return True
    # - GOV.UK Frontend's conditional reveals set aria-expanded on the radio that reveals a
    #   question, which ARIA does not list for radios; GOV.UK keeps it because screen readers
    #   announce it (alphagov/govuk-frontend#979, #2823). Only that attribute, only on a radio
    #   that controls a GOV.UK reveal, is excused.
    html = node.get("html", "")
    summary = node.get("failureSummary", "")
    return (
        violation_id == "aria-allowed-attr"
        and "govuk-radios__input" in html
        and 'aria-controls="conditional-' in html
        and summary.count("aria-") == summary.count("aria-expanded")
    )


# Fingerprints of pages that passed. The same markup (the sign-in page, say) seen again in a
# later test is not checked again: axe would give the same answer, and the run stays fast.
_passed: set[str] = set()
_TOKENS = re.compile(r'((?:value|content|nonce)=")[A-Za-z0-9+/=_-]{20,}"')
_UUIDS = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _fingerprint(page: Page) -> str:
    """The page's markup, less what changes from one load to the next (CSRF tokens, CSP
    nonces, ids, numbers), hashed."""
    html = page.evaluate("() => document.documentElement.outerHTML")
    html = re.sub(r"\d+", "0", _UUIDS.sub("<id>", _TOKENS.sub(r'\1"', html)))
    return hashlib.sha256(html.encode()).hexdigest()


def _settled[T](page: Page, read: Callable[[Page], T]) -> T:
    """`read(page)` once the page has loaded. A click that navigates can still be loading when
    the test moves on; a script run mid-navigation loses its page ("execution context was
    destroyed"), so it waits for the load and reads the new page."""
    page.wait_for_load_state("load")
    try:
        return read(page)
    except PlaywrightError as error:
        if "context was destroyed" not in str(error):
            raise
        page.wait_for_load_state("load")
        return read(page)


def assert_accessible(page: Page) -> None:
    """Run axe-core on the page as it is now; fail with every violation listed."""
    fingerprint = _settled(page, _fingerprint)
    if fingerprint in _passed:
        return
    violations = []
    for violation in _settled(page, lambda p: _axe.run(p).response["violations"]):
        nodes = [n for n in violation["nodes"] if not _is_accepted(violation["id"], n)]
        if nodes:
            violations.append({**violation, "nodes": nodes})
    if not violations:
        _passed.add(fingerprint)
        return
    lines = []
    for violation in violations:
        targets = "; ".join(_target(node) for node in violation["nodes"])
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']} — {targets}"
        )
    pytest.fail(
        f"axe-core found {len(violations)} violation(s) on {page.url}:\n" + "\n".join(lines)
    )


# --- Console errors and CSP violations ----------------------------------------------------


@dataclass
class BrowserProblems:
    """Console errors, uncaught exceptions and CSP violations seen in any watched context."""

    problems: list[str] = field(default_factory=list)
    # (URL, HTTP status) pairs a test expects, e.g. the 404 page it navigates to on purpose:
    # Chromium logs "Failed to load resource: … 404" for the document itself.
    expected_http_errors: set[tuple[str, int]] = field(default_factory=set)

    def watch(self, context: BrowserContext) -> BrowserContext:
        context.add_init_script(CSP_LISTENER)
        context.on("console", self._on_console)
        context.on("weberror", lambda error: self.problems.append(f"uncaught: {error.error}"))
        return context

    def expect_http_error(self, url: str, status: int) -> None:
        self.expected_http_errors.add((url, status))

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        url = message.location.get("url", "")
        for expected_url, status in self.expected_http_errors:
            if url == expected_url and f"status of {status}" in message.text:
                return
        self.problems.append(f"console error at {url or '?'}: {message.text}")

    def assert_none(self) -> None:
        if self.problems:
            pytest.fail(
                "The browser reported problems:\n" + "\n".join(f"- {p}" for p in self.problems)
            )


# --- Signing in -----------------------------------------------------------------------------


def code_for_key(key: str, *, step: int = 30, digits: int = 6) -> str:
    """The code an authenticator app shows now for the base32 key shown on the page."""
    bin_key = b32decode(re.sub(r"\s+", "", key).upper())
    return f"{totp(bin_key, step=step, digits=digits):0{digits}d}"


def code_for_device(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):0{device.digits}d}"


def confirmed_device(officer: Officer) -> TOTPDevice:
    """An authenticator app the officer enrolled earlier (so sign-in goes to the verify page)."""
    device, _ = TOTPDevice.objects.get_or_create(
        user=officer, confirmed=True, defaults={"name": "Authenticator app"}
    )
    return device


def submit_password(page: Page, live_server: object, officer: Officer) -> None:
    """Open the sign-in page (checked with axe) and sign in with the officer's password."""
    page.goto(f"{live_server.url}{SIGN_IN_PATH}")  # type: ignore[attr-defined]
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to CSE Portal")
    assert_accessible(page)
    page.get_by_label("Username").fill(officer.username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/account/two-factor/(setup|verify)/"))


def enter_code(page: Page, code: str) -> None:
    page.get_by_label("Security code").fill(code)
    page.get_by_role("button", name="Continue").click()


def expect_home(page: Page) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(HOME_HEADING)


def expect_children_list(page: Page) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(LIST_HEADING)


def sign_in(page: Page, live_server: object, officer: Officer) -> None:
    """Sign in through the real pages: password, then the enrolment page (first sign-in:
    the code is computed from the key the page shows) or the verify page (a code from the
    officer's confirmed device). Lands on "Your work", then opens "My agency's children"; axe
    runs on each page."""
    submit_password(page, live_server, officer)
    if "/setup/" in page.url:
        expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
        assert_accessible(page)
        device = TOTPDevice.objects.get(user=officer, confirmed=False)
        code = code_for_key(
            page.locator(".app-secret-key").inner_text(), step=device.step, digits=device.digits
        )
    else:
        expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
        assert_accessible(page)
        code = code_for_device(TOTPDevice.objects.get(user=officer, confirmed=True))
    enter_code(page, code)
    expect_home(page)
    assert_accessible(page)
    # The tests go on from the children's list, where signing in used to land.
    page.goto(f"{live_server.url}{CHILDREN_PATH}")  # type: ignore[attr-defined]
    expect_children_list(page)
    assert_accessible(page)
