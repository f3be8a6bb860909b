"""Reading the forms of a page as a browser would: the fields it would post, the error
summary's links and what they point at, and Django's own messages (which no page shows)."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from crispy_forms_gds.fields import DateInputField
from django import forms
from django.core import validators
from django.forms import models as model_forms


class _FormReader(HTMLParser):
    """The first <form method="post"> after the page's header: what a browser would post
    unchanged, and every element's id with its tag and type."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: dict[str, tuple[str, dict[str, str]]] = {}
        self.data: list[tuple[str, str]] = []
        self._in_form = False
        self._done = False
        self._textarea: str | None = None
        self._select: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids[a["id"]] = (tag, a)
        if tag == "form" and a.get("method") == "post" and not self._done and "action" not in a:
            self._in_form = True
        if not self._in_form:
            return
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in {"submit", "button"}:
            if a.get("type") in {"radio", "checkbox"}:
                if "checked" in a:
                    self.data.append((name, a.get("value", "on")))
            else:
                self.data.append((name, a.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.data.append((self._select, a.get("value", "")))

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._textarea is not None:
            # A browser drops the newline that follows <textarea>.
            self.data.append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form" and self._in_form:
            self._in_form, self._done = False, True


def read_form(content: str) -> _FormReader:
    reader = _FormReader()
    reader.feed(content)
    return reader


def posted_as_is(response) -> dict[str, list[str]]:
    """The POST a browser would send for the page's form, nothing changed."""
    data: dict[str, list[str]] = {}
    for name, value in read_form(response.content.decode()).data:
        data.setdefault(name, []).append(value)
    return data


def error_summary_links(response) -> list[tuple[str, str]]:
    """(target id, message) of every link in the page's error summary."""
    content = response.content.decode()
    summary = re.search(r'govuk-error-summary__list">(.*?)</ul>', content, re.S)
    assert summary, "no error summary"
    items = re.findall(r"<li>(.*?)</li>", summary.group(1), re.S)
    links = []
    for item in items:
        link = re.fullmatch(r'\s*<a href="#([^"]+)">(.*?)</a>\s*', item, re.S)
        assert link, f"an error without a link: {item!r}"
        links.append((link.group(1), html.unescape(link.group(2))))
    return links


FOCUSABLE = {"input", "textarea", "select", "button", "a"}


def assert_links_go_to_fields(response) -> list[tuple[str, str]]:
    """Every error-summary link points at an element of the page that can take focus: an
    input (not hidden), a textarea, a select, a button or a link."""
    ids = read_form(response.content.decode()).ids
    links = error_summary_links(response)
    assert links
    for target, message in links:
        assert target in ids, f"{message!r} links to #{target}, which is not on the page"
        tag, attrs = ids[target]
        assert tag in FOCUSABLE and attrs.get("type") != "hidden", (
            f"{message!r} links to a <{tag}> that cannot take focus"
        )
    return links


class _AnyParam(dict):
    """Every placeholder of a message is 2."""

    def __missing__(self, key: str) -> int:
        return 2


def _stem(message: object) -> str:
    """The words of a message before its first placeholder ("Ensure this value has at most").
    A message in the plural (ngettext_lazy) is read with its numbers filled in."""
    text = str(message) or str(message % _AnyParam())  # type: ignore[operator]  # a lazy plural
    return re.split(r"%\(|\{|\b2\b", text)[0].strip()


def _django_messages() -> set[str]:
    found: set[str] = set()
    field_classes = [
        obj
        for module in (forms.fields, model_forms)
        for obj in vars(module).values()
        if isinstance(obj, type) and issubclass(obj, forms.Field)
    ]
    for cls in field_classes:
        for klass in cls.__mro__:
            for message in getattr(klass, "default_error_messages", {}).values():
                found.add(_stem(message))
    for obj in vars(validators).values():
        message = getattr(obj, "message", None)
        if isinstance(obj, type) and message is not None:
            found.add(_stem(message))
    # crispy-forms-gds' date input and the Python errors it passes on as they are.
    date_field = DateInputField()
    found.update(_stem(m) for m in date_field.error_messages.values())
    for sub in date_field.fields:
        found.update(_stem(m) for m in sub.error_messages.values())
        found.update(_stem(getattr(v, "message", "")) for v in sub.validators)
    found.update({"day is out of range for month", "month must be in 1..12", "out of range"})
    return {m for m in found if len(m) >= 8}


DJANGO_MESSAGES = frozenset(_django_messages())


def django_messages_in(response) -> list[str]:
    page = html.unescape(re.sub(r"\s+", " ", response.content.decode()))
    return sorted(m for m in DJANGO_MESSAGES if m in page)
