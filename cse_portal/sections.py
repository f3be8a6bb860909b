"""Sections that later apps add to a child's record page and to the child's whole file (PDF).

The core imports no app; instead each app registers, in its AppConfig.ready(), a section
that the child's record page renders: a template and a function giving its context. The
function receives the child (already fetched through the access layer) and the officer, and
must itself only read through selectors that respect what the officer may see. The template
is included with the page's context plus `section`, the dict the function returned (so a
key `referrals` is `section.referrals` in the template).

A section may also contribute to the child's whole file as a PDF (`cse_portal.exports`):
- `pdf_template`: included in the PDF with `section`, the dict `pdf_context` returned (or
  `context`'s, when no `pdf_context` is given). The file holds final records only: a PDF for
  the child's file never carries a draft, even one the officer may open.
- `chronology`: the section's events for the file's chronology (`ChronologyEntry`), which the
  core merges from every app into one list in date order.
A section with no `template` is in the PDF only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from cse_portal.models import Child, Officer

LONDON = ZoneInfo("Europe/London")

SectionContext = Callable[["Child", "Officer"], dict[str, Any]]


@dataclass(frozen=True, kw_only=True)
class ChronologyEntry:
    """One event of a child's chronology: when, what, a short account, and who.

    `at` is aware; a date alone (a due date, a meeting day) may be given as a `date` and is
    placed at the start of that day in Europe/London. `kind` names the record ("Screening",
    "Referral", "Strategy meeting"); `event` what happened to it ("submitted", "decision").
    """

    at: datetime | date
    kind: str
    event: str
    summary: str = ""
    by: str = ""
    agency: str = ""

    @property
    def moment(self) -> datetime:
        if isinstance(self.at, datetime):
            return self.at
        return datetime.combine(self.at, time.min, tzinfo=LONDON)

    @property
    def has_time(self) -> bool:
        return isinstance(self.at, datetime)


ChronologySource = Callable[["Child", "Officer"], list[ChronologyEntry]]


@dataclass(frozen=True, kw_only=True)
class ChildSection:
    key: str
    order: int
    template: str = ""
    context: SectionContext | None = None
    pdf_template: str = ""
    pdf_context: SectionContext | None = None
    chronology: ChronologySource | None = None


def _context(function: SectionContext | None, child: Child, officer: Officer) -> dict[str, Any]:
    return function(child, officer) if function is not None else {}


@dataclass
class _Registry:
    sections: dict[str, ChildSection] = field(default_factory=dict)

    def register(self, section: ChildSection) -> None:
        self.sections[section.key] = section

    def _ordered(self) -> list[ChildSection]:
        return sorted(self.sections.values(), key=lambda s: (s.order, s.key))

    def render_list(self, child: Child, officer: Officer) -> list[dict[str, Any]]:
        """The record page's sections: each its template and its context."""
        return [
            {"template": s.template, **_context(s.context, child, officer)}
            for s in self._ordered()
            if s.template
        ]

    def render_pdf_list(self, child: Child, officer: Officer) -> list[dict[str, Any]]:
        """The whole file's sections: each its PDF template and its PDF context."""
        return [
            {"template": s.pdf_template, **_context(s.pdf_context or s.context, child, officer)}
            for s in self._ordered()
            if s.pdf_template
        ]

    def chronology(self, child: Child, officer: Officer) -> list[ChronologyEntry]:
        """Every registered app's events for the child, oldest first (ties: in registration
        order of the sections, then as each app listed them)."""
        entries = [
            entry
            for s in self._ordered()
            if s.chronology is not None
            for entry in s.chronology(child, officer)
        ]
        return sorted(entries, key=lambda entry: entry.moment)


registry = _Registry()
register = registry.register
