"""Sections that later apps add to a child's record page.

The core imports no app; instead each app registers, in its AppConfig.ready(), a section
that the child's record page renders: a template and a function giving its context. The
function receives the child (already fetched through the access layer) and the officer, and
must itself only read through selectors that respect what the officer may see. The template
is included with the page's context plus `section`, the dict the function returned (so a
key `referrals` is `section.referrals` in the template).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cse_portal.models import Child, Officer


@dataclass(frozen=True)
class ChildSection:
    key: str
    order: int
    template: str
    context: Callable[[Child, Officer], dict[str, Any]]


@dataclass
class _Registry:
    sections: dict[str, ChildSection] = field(default_factory=dict)

    def register(self, section: ChildSection) -> None:
        self.sections[section.key] = section

    def render_list(self, child: Child, officer: Officer) -> list[dict[str, Any]]:
        return [
            {"template": s.template, **s.context(child, officer)}
            for s in sorted(self.sections.values(), key=lambda s: s.order)
        ]


registry = _Registry()
register = registry.register
