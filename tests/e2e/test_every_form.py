"""Every form of the demo, as each persona who has forms meets it, in a real browser 375 px
wide (issue 7, "How it is checked").

The demo data is loaded once for the module and each persona signs in once. The pages are
found by walking the links the persona can follow from the home page (GET only), so each
page is tested where the demo really offers it; forms are only ever sent with answers that
cannot be saved, so the data stays as the demo made it. On each form page:

- it is submitted empty, then with nonsense (letters in a number field, 31/02/2012 in a
  date; where there is neither, more text than a field takes) beside valid answers: a GOV.UK
  error summary appears, with no Django or Python default message, and every link in it moves
  focus to its field (radios: the first radio), the field whose own error message it repeats;
- the valid answers are still there after the error;
- axe-core runs before and after submitting, and nothing is wider than the 375 px screen.

Every other page the persona reaches gets the axe-core and 375 px checks.

Fields are found from the page (their names, types and "(optional)" labels), never from the
wording of questions, so the test follows the forms as they change. A page collects all its
problems and fails once with the list, so one problem does not hide the next.
"""

from __future__ import annotations

import os
from collections import Counter, defaultdict, deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.db import connections
from django.urls import Resolver404, ResolverMatch, resolve, reverse
from playwright.sync_api import Browser, BrowserContext, Locator, Page
from pytest_django.live_server_helper import LiveServer

from cse_portal.management.commands.load_demo import DEFAULT_DEMO_PASSWORD
from cse_portal.models import Officer
from tests import demo_data
from tests.e2e import helpers
from tests.e2e.helpers import BrowserProblems, assert_accessible, sign_in
from tests.screening.factories import ensure_catalogue

pytestmark = pytest.mark.e2e

NARROW = {"width": 375, "height": 800}

# One URL that shows two pages: a draft screening's page is its task list (a submitted one's
# is the record). The walk names the task list apart, by the GOV.UK class only it has, so
# that it is checked whichever of the two is the fuller.
TASK_LIST = "screening:detail (task list)"
SHOWN_APART = {"screening:detail": ('class="govuk-task-list"', TASK_LIST)}

# The pages with a form that each persona reaches in the demo, by URL name, and their other
# pages (checked with axe-core and at 375 px only). The walk keeps both lists honest: a page
# missing from them, or listed and no longer reached, fails `test_the_pages_a_persona_reaches_are_listed`.
_CHILD = ("children:add", "children:edit", "children:share", "referrals:start")
_DRAFTS = (  # the demo's draft screening and draft CSE1 referral (Brookfield Academy's)
    "screening:edit",  # a heading's page of the task list (`?section=`)
    "screening:submit",  # check your answers, and the conclusion
    "referrals:edit",
    "referrals:persons",
    "referrals:person_edit",
    "referrals:places",
)
_CSC = ("referrals:acknowledge", "referrals:decide", "referrals:inform")
# Closing an open case. (Reopening is on the demo's one closed case, Lily-Mae Parkin's, whose
# record is not among the ten the walk opens: its page is tested in test_case_browser.py.)
_CASE = ("referrals:case_close",)
# Persons of concern across children (issue 8): a disruption action and its addendum.
_PERSONS = ("referrals:disruption_add", "referrals:disruption_addendum")
FORM_PAGES: dict[str, tuple[str, ...]] = {
    # A practitioner of a school (Brookfield Academy)
    "school.practitioner": (*_CHILD, *_DRAFTS, "referrals:start_unidentified", *_PERSONS),
    # A police officer (Northdale Police)
    "police.officer": (*_CHILD, "referrals:start_unidentified", *_PERSONS),
    # A social worker in children's social care (Northdale)
    "csc.social.worker": (*_CHILD, *_CSC, *_CASE, *_PERSONS),
    # A team manager in children's social care (Northdale)
    "csc.manager": (*_CHILD, *_CSC, *_CASE, *_PERSONS),
    # A CSE lead officer (Brookfield Academy's), who advises on a screening
    "school.lead": (
        *_CHILD,
        *_DRAFTS,
        "referrals:start_unidentified",
        "screening:advice",
        *_PERSONS,
    ),
}
# A screening's start page is a button ("Start screening") with nothing to fill.
_RECORDS = (
    "children:list",
    "children:detail",
    "screening:new",
    "screening:detail",
    "screening:drafts",
    "referrals:detail",
)
# Sending a referral has nothing to fill (and the demo's draft is not complete, so the page
# lists what is missing); removing a person is a button.
_DRAFT_PAGES = (TASK_LIST, "referrals:submit", "referrals:person_remove")
# A person's page; finding a person already known (from a draft's persons) and merging
# (children's social care and police) open with a search only, so no form to send.
_PICK = "referrals:person_pick"
_MERGE = ("referrals:person_detail", "referrals:person_merge")
# Every officer's home page ("Your work") and notifications; a lead officer's overview.
_HOME = ("home", "notifications:list")
_LEAD = ("caseload", "themes")
OTHER_PAGES: dict[str, tuple[str, ...]] = {
    "school.practitioner": (
        *_HOME,
        *_RECORDS,
        "referrals:sent",
        *_DRAFT_PAGES,
        _PICK,
        _MERGE[0],
    ),
    "police.officer": (*_HOME, *_RECORDS, "referrals:sent", *_MERGE),
    "csc.social.worker": (*_HOME, *_RECORDS, "referrals:tray", "children:audit", *_MERGE),
    "csc.manager": (*_HOME, *_RECORDS, "referrals:tray", "children:audit", *_MERGE),
    "school.lead": (
        *_HOME,
        *_LEAD,
        *_RECORDS,
        "referrals:sent",
        "screening:awaiting_advice",
        "children:audit",
        *_DRAFT_PAGES,
        _PICK,
        _MERGE[0],
    ),
}

# Forms whose empty submission is rightly accepted (a heading's answers are saved half done,
# as a draft): only the nonsense round is sent to them, so that nothing is saved.
EMPTY_IS_VALID = {"screening:edit"}

# Django's and Python's own wording, never meant for a practitioner.
DJANGO_DEFAULTS = (
    "This field is required",
    "Enter a whole number",
    "Enter a number.",
    "Select a valid choice",
    "is out of range",
    "must be in 1..",
    "Enter a valid date",
    "Enter a valid time",
    "Enter a valid UUID",
    "Enter a valid email",
    "Ensure this value",
    "is not one of the available choices",
)

KEPT = "Kept after an error"


# --- The walk: every page a persona reaches by following links ----------------------------

# The walk opens every page without a form (up to a cap per URL name), and stops opening
# pages of a URL name once it has found two with a form.
PAGES_PER_URL_NAME = 10
FORMS_PER_URL_NAME = 2
NOT_WALKED = ("/account/", "/admin/", "/static/")
NOT_FIELDS = {"hidden", "submit", "button", "reset", "image"}
# Pages that a form leads to rather than a link (the check page after the last heading's
# "Save and continue"; sending a referral once its details are complete): the same record,
# next page.
AFTER_THE_FORM = {"screening:edit": "screening:submit", "referrals:edit": "referrals:submit"}


class _PageHtml(HTMLParser):
    """The links of a page, and whether its <main> holds a POST form with a field to fill
    (a search box, and a form of buttons only such as "Remove" or "Sign out", are not)."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.has_form = False
        self._in_main = False
        self._in_form = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {k: v or "" for k, v in attrs}
        if tag == "a" and attr.get("href"):
            self.links.append(attr["href"])
        elif tag == "main":
            self._in_main = True
        elif tag == "form":
            self._in_form = (
                self._in_main
                and attr.get("method", "get").lower() == "post"
                and "search" not in attr.get("class", "")
                and attr.get("role") != "search"
            )
        elif self._in_form and (
            tag in ("select", "textarea")
            or (tag == "input" and attr.get("type", "text").lower() not in NOT_FIELDS)
        ):
            self.has_form = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "main":
            self._in_main = False
        elif tag == "form":
            self._in_form = False


def _resolve(path: str) -> ResolverMatch | None:
    try:
        return resolve(urlsplit(path).path)
    except Resolver404:
        return None


@dataclass
class Walk:
    """What a persona reached: URL name → paths, of every page and of pages with a form."""

    pages: dict[str, list[str]] = field(default_factory=dict)
    forms: dict[str, list[str]] = field(default_factory=dict)
    sizes: dict[str, int] = field(default_factory=dict)

    def fullest(self, paths: list[str]) -> str | None:
        """The page with the most on it (the likeliest to be too wide, and the most for axe)."""
        return max(paths, key=lambda path: self.sizes[path], default=None)

    def form_page(self, name: str) -> str | None:
        return self.fullest(self.forms.get(name, []))

    def other_page(self, name: str) -> str | None:
        forms = set(self.forms.get(name, []))
        return self.fullest([p for p in self.pages.get(name, []) if p not in forms])

    def other_names(self) -> set[str]:
        return {name for name in self.pages if self.other_page(name)}


class _Walker:
    """Follows every link from the home page, breadth first, with the persona's cookies."""

    def __init__(self, context: BrowserContext, base: str) -> None:
        self.context, self.base = context, base
        self.found = Walk()
        self.queue, self.queued = deque(["/"]), {"/"}
        self.opened = Counter[str]()

    def wanted(self, name: str) -> bool:
        return (
            self.opened[name] < PAGES_PER_URL_NAME
            and len(self.found.forms.get(name, ())) < FORMS_PER_URL_NAME
        )

    def follow(self, target: str, here: str) -> None:
        """Queue the link's page, if it is a page of the service not queued before."""
        url = urlsplit(urljoin(self.base + here, target))
        if f"{url.scheme}://{url.netloc}" != self.base or url.path.endswith(".pdf"):
            return
        path = url.path + (f"?{url.query}" if url.query else "")
        if not url.path.startswith(NOT_WALKED) and path not in self.queued and _resolve(path):
            self.queued.add(path)
            self.queue.append(path)

    def open(self, path: str, match: ResolverMatch) -> None:
        name = match.view_name
        self.opened[name] += 1
        response = self.context.request.get(self.base + path, max_redirects=0)
        if 300 <= response.status < 400:
            self.follow(response.headers.get("location", ""), path)
            return
        if response.status != 200 or "html" not in response.headers.get("content-type", ""):
            return
        html = _PageHtml()
        text = response.text()
        html.feed(text)
        marker, apart = SHOWN_APART.get(name, ("", ""))
        if marker and marker in text:
            name = apart
        self.found.pages.setdefault(name, []).append(path)
        self.found.sizes[path] = len(text)
        if html.has_form:
            self.found.forms.setdefault(name, []).append(path)
            if name in AFTER_THE_FORM:
                self.follow(reverse(AFTER_THE_FORM[name], kwargs=match.kwargs), path)
        for link in html.links:
            self.follow(link, path)

    def run(self) -> Walk:
        while self.queue:
            path = self.queue.popleft()
            match = _resolve(path)
            if match is not None and self.wanted(match.view_name):
                self.open(path, match)
        return self.found


# --- Fixtures: the demo once for the module, one signed-in browser context per persona ------


@dataclass
class Persona:
    username: str
    page: Page
    walk: Walk


class Demo:
    """The live server, and each persona signed in (once) with what their walk found."""

    def __init__(self, server: LiveServer, browser: Browser, context_args: dict[str, Any]) -> None:
        self.server = server
        self.browser = browser
        self.context_args = context_args
        self.problems = BrowserProblems()
        self._personas: dict[str, Persona] = {}
        self._contexts: list[BrowserContext] = []

    def persona(self, username: str) -> Persona:
        if username not in self._personas:
            context = self.problems.watch(self.browser.new_context(**self.context_args))
            self._contexts.append(context)
            page = context.new_page()
            sign_in(page, self.server, Officer.objects.get(username=username))
            page.set_viewport_size(NARROW)  # signed in at desktop width, checked at 375 px
            found = _Walker(context, self.server.url).run()
            self._personas[username] = Persona(username, page, found)
        return self._personas[username]

    def close(self) -> None:
        for context in self._contexts:
            context.close()


@pytest.fixture(autouse=True)
def _live_server_helper() -> None:
    """Replaces pytest-django's helper of this name for this module. That one makes each test
    that uses the live server transactional, which empties the database after every test;
    here the demo is loaded once for the module (`demo`), and no test writes to it. Using the
    live server still has pytest-django set the database up, and run this module among the
    transactional tests (after the tests that expect the migrations' data)."""


@pytest.fixture(scope="module")
def demo(
    django_db_setup: None,
    django_db_blocker: Any,
    live_server: LiveServer,
    browser: Browser,
    browser_context_args: dict[str, Any],
) -> Iterator[Demo]:
    """The demo data, loaded once for the module and emptied after it, as a transactional
    test empties the database."""
    password = os.environ.get("CSE_DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(helpers, "TEST_PASSWORD", password)
        # What pytest-django's helper turns on around each test (the live server's host).
        live_server._live_server_modified_settings.enable()
        demo = Demo(live_server, browser, browser_context_args)
        try:
            ensure_catalogue()  # an earlier transactional test may have flushed these rows
            demo_data.load()  # as load_demo does (tests/demo_data.py)
            yield demo
        finally:
            demo.close()
            live_server._live_server_modified_settings.disable()
            # As after a transactional test: the next test starts from an empty database, and
            # no connection is left open (one would stop the test database being dropped).
            call_command("flush", interactive=False, verbosity=0)
            connections.close_all()


@pytest.fixture
def browser_problems(demo: Demo) -> BrowserProblems:
    """The console errors and CSP violations seen during this test (conftest fails on any)."""
    demo.problems.problems.clear()
    return demo.problems


# --- What the page shows, read in the browser ----------------------------------------------

FORM = "main form[method=post i]:not([class*=search]):not([role=search])"
CONTROLS = (
    "input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=reset])"
    ":not([type=image]), select, textarea"
)
SUBMIT = "button[type=submit], button:not([type]), input[type=submit]"

# Each field of the form a person can fill now (GOV.UK's radios and checkboxes are
# transparent, not hidden).
FIELDS_JS = """
form => [...form.querySelectorAll("input, select, textarea")]
  .filter(el => !["hidden", "submit", "button", "reset", "image"].includes(el.type))
  .filter(el => el.getClientRects().length > 0)  // not in a closed conditional reveal
  .map(el => {
    const fieldset = el.closest("fieldset");
    const legend = fieldset && fieldset.querySelector("legend");
    const label = el.labels && el.labels.length ? el.labels[0].textContent
      : (legend ? legend.textContent : "");
    return {
      name: el.name, id: el.id, tag: el.tagName.toLowerCase(), type: el.type || "",
      cls: el.className || "", maxlength: el.maxLength > 0 ? el.maxLength : 0,
      date: !!el.closest(".govuk-date-input"), readonly: el.readOnly || el.disabled,
      label: label.replace(/\\s+/g, " ").trim(),
    };
  })
"""

CLEAR_JS = """
form => {
  for (const el of form.querySelectorAll("input, select, textarea")) {
    if (["hidden", "submit", "button", "reset", "image"].includes(el.type)) continue;
    if (el.type === "radio" || el.type === "checkbox") el.checked = false;
    else if (el.tagName === "SELECT") {
      if ([...el.options].some(o => o.value === "")) el.value = "";
    } else el.value = "";
  }
}
"""

# What has focus: a field of the form? the first radio of its group? and the error messages
# shown with that field (its nearest form group in error).
FOCUS_JS = """
form => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) {
    return {control: false, what: "nothing (focus stays on the page)", change: ""};
  }
  let what = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.type ? `[${el.type}]` : "");
  // A check-answers page: the answer's own "Change" link, to the page where it is given.
  const change = el.tagName === "A" && el.closest(".govuk-summary-list__actions")
    ? el.getAttribute("href") : "";
  if (el.closest(".govuk-error-summary")) what = "nothing (focus stays on the link)";
  const control = ["INPUT", "SELECT", "TEXTAREA", "BUTTON"].includes(el.tagName)
    && form.contains(el);
  const firstRadio = el.type !== "radio"
    || form.querySelector(`input[type=radio][name="${CSS.escape(el.name)}"]`) === el;
  const group = el.closest(".govuk-form-group--error");
  const messages = group ? [...group.querySelectorAll(".govuk-error-message")].map(
    m => m.textContent.replace(/^\\s*Error:\\s*/, "").replace(/\\s+/g, " ").trim()) : [];
  return {control, firstRadio, what, messages, change};
}
"""

# The elements that make the page wider than the viewport: those sticking out past its right
# edge from a parent that does not.
OVERFLOW_JS = """
() => {
  const width = document.documentElement.clientWidth;
  const out = el => el.getBoundingClientRect().width > 0 && el.getBoundingClientRect().right > width + 1;
  const roots = [...document.querySelectorAll("body *")].filter(
    el => out(el) && !(el.parentElement && el.parentElement !== document.body && out(el.parentElement)));
  return roots.slice(0, 3).map(el =>
    el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + (el.classList.length ? "." + [...el.classList].join(".") : "")
    + ` (right edge ${Math.round(el.getBoundingClientRect().right)}px)`);
}
"""

# Each error message the page shows, with the field it is shown on.
MESSAGES_JS = """
() => [...document.querySelectorAll("main .govuk-error-message, main .govuk-error-summary li")]
  .map(el => {
    const group = el.closest(".govuk-form-group");
    const control = group && group.querySelector("input:not([type=hidden]), select, textarea");
    const link = el.querySelector("a");
    return {
      text: el.textContent.replace(/^\\s*Error:\\s*/, "").replace(/\\s+/g, " ").trim(),
      field: control ? "#" + control.id : (link ? link.getAttribute("href") : "the summary"),
      inline: !!group,
    };
  })
"""

# The GOV.UK Frontend class that styles each kind of field.
GOVUK_CLASS = {
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "radio": "govuk-radios__input",
    "checkbox": "govuk-checkboxes__input",
}


@dataclass
class Problems:
    """Everything wrong with one page, to fail once with the whole list."""

    page: str
    notes: list[str] = field(default_factory=list)
    found: list[str] = field(default_factory=list)

    def add(self, when: str, what: str) -> None:
        line = f"{when}: {what}"
        if line not in self.found:
            self.found.append(line)

    def fail_if_any(self) -> None:
        if self.found:
            pytest.fail(
                f"{self.page}: {len(self.found)} problem(s)\n"
                + "".join(f"  ({note})\n" for note in self.notes)
                + "\n".join(f"- {p}" for p in self.found),
                pytrace=False,
            )


def the_form(page: Page) -> Locator | None:
    forms = page.locator(FORM).filter(has=page.locator(CONTROLS))
    return forms.first if forms.count() else None


def fields_of(form: Locator) -> list[dict[str, Any]]:
    return form.evaluate(FIELDS_JS)


# --- The checks --------------------------------------------------------------------------


def check_page(page: Page, problems: Problems, when: str, *, axe: bool = True) -> None:
    """axe-core, and nothing wider than the 375 px viewport."""
    if axe:
        try:
            assert_accessible(page)
        except pytest.fail.Exception as error:
            problems.add(when, str(error).replace(page.url, "the page"))
    width = page.evaluate("() => document.documentElement.scrollWidth")
    if width > NARROW["width"]:
        culprits = ", ".join(page.evaluate(OVERFLOW_JS))
        problems.add(when, f"scrollWidth {width} at 375px ({culprits})")


def check_field_styles(fields: list[dict[str, Any]], problems: Problems) -> None:
    for f in fields:
        wanted = GOVUK_CLASS.get(f["tag"] if f["tag"] != "input" else f["type"], "govuk-input")
        if wanted not in f["cls"].split():
            problems.add("the form", f"{f['tag']} #{f['id']} has no {wanted} class (unstyled)")


def submit(page: Page, form: Locator, problems: Problems, when: str) -> bool:
    """Press the form's first button; False when the server answered with an error page."""
    with page.expect_navigation() as navigation:
        form.locator(SUBMIT).first.click()
    status = navigation.value.status if navigation.value else 0
    if status >= 400:
        problems.add(when, f"the server answered {status}")
        return False
    return True


def check_errors(page: Page, problems: Problems, when: str) -> None:
    """The GOV.UK error summary, in GOV.UK's words, each link taking focus to its field."""
    summary = page.locator(".govuk-error-summary")
    if not summary.count():
        problems.add(when, f"no error summary (the page is now {page.url})")
        return
    if not page.title().startswith("Error: "):
        problems.add(when, f"the page title does not start with 'Error: ' ({page.title()!r})")
    shown = page.evaluate(MESSAGES_JS)
    inline = {m["text"] for m in shown if m["inline"]}
    for m in shown:
        if (m["inline"] or m["text"] not in inline) and any(
            d in m["text"] for d in DJANGO_DEFAULTS
        ):
            problems.add(when, f"Django's default message {m['text']!r} on {m['field']}")
    form = the_form(page)
    items = summary.locator("li")
    for i in range(items.count()):
        item = items.nth(i)
        message = " ".join(item.inner_text().split())
        link = item.locator("a")
        if not link.count():
            problems.add(when, f"the summary's {message!r} links to no field")
            continue
        href = link.first.get_attribute("href") or ""
        if not href.startswith("#"):
            problems.add(when, f"the summary's {message!r} links to another page ({href})")
            continue
        link.first.click()
        check_focus(page, form, message, problems, f"{when}: link {href} ({message!r})")


def check_focus(
    page: Page, form: Locator | None, message: str, problems: Problems, link: str
) -> None:
    """After a click on a summary link: focus on a field of the form (radios: the first),
    a field that shows the link's message as its own error. On a check-answers page an
    answer not given is asked for on its own page: focus on its "Change" link, which opens
    that page at a field."""
    focus = form.evaluate(FOCUS_JS) if form else {"what": "nothing (no form)", "change": ""}
    if focus["change"]:
        check_change_link(page, focus["change"], problems, link)
    elif not focus.get("control"):
        problems.add(link, f"focuses {focus['what']}")
    elif not focus["firstRadio"]:
        problems.add(link, f"focuses {focus['what']}, not the first radio")
    elif not any(message in shown for shown in focus["messages"]):
        shown = "; ".join(focus["messages"]) or "no error message"
        problems.add(link, f"focuses {focus['what']}, a field showing {shown!r}")


def check_change_link(page: Page, href: str, problems: Problems, link: str) -> None:
    """The Change link's page has a field where the link points (`#id`: in that element)."""
    target = page.context.new_page()
    try:
        target.goto(urljoin(page.url, href))
        place = f"#{href.split('#', 1)[1]}" if "#" in href else "main form"
        if not target.locator(place).locator(CONTROLS).count():
            problems.add(link, f"its Change link ({href}) opens no field")
    finally:
        target.close()


# --- What is typed -------------------------------------------------------------------------


def fill_nonsense(form: Locator, fields: list[dict[str, Any]]) -> dict[str, str]:
    """Letters in every number field and 31/02/2012 in every date; where there is neither,
    one text longer than its field takes. Returns field name → what was typed (a date
    under its own name and each of its parts')."""
    typed: dict[str, str] = {}
    dates: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for f in fields:
        if f["date"]:
            dates[f["name"].rsplit("_", 1)[0]].append(f)
    for name, parts in dates.items():
        for part, value in zip(parts, ("31", "2", "2012"), strict=False):
            form.locator(f"#{part['id']}").fill(value)
            typed[part["name"]] = value
        typed[name] = "31/02/2012"
    for f in fields:
        if f["tag"] == "input" and f["type"] == "number" and not f["date"]:
            control = form.locator(f"#{f['id']}")
            # A number input takes no letters from the keyboard; what another browser (or a
            # crafted request) sends, the server still has to answer.
            control.evaluate("el => { el.type = 'text'; }")
            control.fill("abc")
            typed[f["name"]] = "abc"
    if not typed:
        for f in fields:
            if f["maxlength"] and f["type"] not in ("radio", "checkbox") and not f["readonly"]:
                too_long = "x" * (f["maxlength"] + 1)
                # Set, not typed: the browser stops typing at the maximum length.
                form.locator(f"#{f['id']}").evaluate("(el, v) => { el.value = v; }", too_long)
                typed[f["name"]] = f"{f['maxlength'] + 1} characters"
                break
    return typed


def fill_valid(
    form: Locator, fields: list[dict[str, Any]], used: set[str], *, with_choices: bool
) -> dict[str, str]:
    """A valid answer in one text field not used for nonsense (an optional one first, so that
    the form stays incomplete), and with `with_choices` the first radio of one group and the
    last option of one list. Returns field name → what was chosen, to look for afterwards."""
    kept: dict[str, str] = {}
    texts = [
        f
        for f in fields
        if f["name"] not in used
        and not f["date"]
        and not f["readonly"]
        and (f["tag"] == "textarea" or f["type"] in ("text", "email", "tel", ""))
    ]
    texts.sort(key=lambda f: "optional" not in f["label"].lower())
    if texts:
        form.locator(f"#{texts[0]['id']}").fill(KEPT)
        kept[texts[0]["name"]] = KEPT
    if not with_choices:
        return kept
    radio = next((f for f in fields if f["type"] == "radio" and f["name"] not in used), None)
    if radio is not None:
        first = form.locator(f"input[type=radio][name='{radio['name']}']").first
        first.check()
        kept[radio["name"]] = f"radio:{first.get_attribute('value')}"
    select = next((f for f in fields if f["tag"] == "select" and f["name"] not in used), None)
    if select is not None:
        options = form.locator(f"#{select['id']} option")
        value = options.nth(options.count() - 1).get_attribute("value") or ""
        form.locator(f"#{select['id']}").select_option(value)
        kept[select["name"]] = value
    return kept


def check_kept(form: Locator, kept: dict[str, str], problems: Problems, when: str) -> None:
    for name, value in kept.items():
        if value.startswith("radio:"):
            radio = form.locator(f"input[type=radio][name='{name}'][value='{value[6:]}']")
            if not radio.count() or not radio.is_checked():
                problems.add(when, f"the answer chosen in {name} is lost")
            continue
        control = form.locator(f"[name='{name}']").first
        if not control.count() or control.input_value() != value:
            problems.add(when, f"what was typed in {name} is lost")


# --- The rounds ----------------------------------------------------------------------------


def empty_round(page: Page, url: str, form: Locator, problems: Problems) -> None:
    """Everything cleared (what the page filled in too), then submitted."""
    form.evaluate(CLEAR_JS)
    when = "submitted empty"
    if submit(page, form, problems, when):
        check_errors(page, problems, when)
        check_page(page, problems, "after submitting empty")
    if page.url != url or the_form(page) is None:
        page.goto(url)


def nonsense_round(page: Page, problems: Problems, *, axe: bool) -> None:
    """Nonsense beside valid answers, submitted; the valid answers must come back."""
    form = the_form(page)
    assert form is not None
    fields = fields_of(form)
    typed = fill_nonsense(form, fields)
    kept = fill_valid(form, fields, set(typed), with_choices=bool(typed))
    if not typed and not kept:
        return
    parts = {f["name"] for f in fields if f["date"]}
    problems.notes.append(
        "with nonsense: "
        + "; ".join(f"{v} in {k}" for k, v in typed.items() if k not in parts)
        + (" — valid answers in " + ", ".join(kept) if kept else "")
    )
    when = "submitted with nonsense"
    if not submit(page, form, problems, when):
        return
    check_errors(page, problems, when)
    form = the_form(page)
    if form is None:
        problems.add(when, "the form is gone")
    else:
        check_kept(form, kept, problems, when)
    check_page(page, problems, "after submitting with nonsense", axe=axe)


# --- The tests ---------------------------------------------------------------------------


# This walk covers the first half of the pathway (issue 7). The CSE2 assessment, missing
# episodes and strategy meetings (issues 8 and 9) came later, with browser tests of their own
# (axe-core and 375 px on each of their pages); they join this walk in a later change.
NOT_YET_WALKED = ("referrals:assessment_", "referrals:missing_", "strategy_meetings:")


def _walked(names: set[str]) -> set[str]:
    return {name for name in names if not name.startswith(NOT_YET_WALKED)}


@pytest.mark.parametrize("username", list(FORM_PAGES))
def test_the_pages_a_persona_reaches_are_listed(
    demo: Demo, browser_problems: BrowserProblems, username: str
) -> None:
    found = demo.persona(username).walk
    forms, others = set(FORM_PAGES[username]), set(OTHER_PAGES[username])
    assert sorted(_walked(set(found.forms)) - forms) == [], f"add to FORM_PAGES[{username!r}]"
    assert sorted(_walked(found.other_names()) - others) == [], f"add to OTHER_PAGES[{username!r}]"
    assert sorted(forms - set(found.forms)) == [], f"{username} no longer reaches these forms"
    assert sorted(others - found.other_names()) == [], f"{username} no longer reaches these"


def _pages(table: dict[str, tuple[str, ...]]) -> list[Any]:
    return [
        pytest.param(username, name, id=f"{username}/{name}")
        for username, names in table.items()
        for name in names
    ]


@pytest.mark.parametrize(("username", "url_name"), _pages(OTHER_PAGES))
def test_page(demo: Demo, browser_problems: BrowserProblems, username: str, url_name: str) -> None:
    persona = demo.persona(username)
    path = persona.walk.other_page(url_name)
    assert path, f"{username} reaches no {url_name} page without a form in the demo"
    problems = Problems(f"{url_name} as {username}")
    persona.page.goto(demo.server.url + path)
    check_page(persona.page, problems, "the page")
    problems.fail_if_any()


@pytest.mark.parametrize(("username", "url_name"), _pages(FORM_PAGES))
def test_form_page(
    demo: Demo, browser_problems: BrowserProblems, username: str, url_name: str
) -> None:
    persona = demo.persona(username)
    page, problems = persona.page, Problems(f"{url_name} as {username}")
    path = persona.walk.form_page(url_name)
    assert path, f"{username} reaches no {url_name} page with a form in the demo"
    url = demo.server.url + path
    page.goto(url)
    check_page(page, problems, "before submitting")
    form = the_form(page)
    assert form is not None, f"{url_name} has no form in the browser"
    check_field_styles(fields_of(form), problems)
    empty_too = url_name not in EMPTY_IS_VALID
    if empty_too:
        empty_round(page, url, form, problems)
    # After the empty round axe has seen the page with its errors once already.
    nonsense_round(page, problems, axe=not empty_too)
    problems.fail_if_any()
