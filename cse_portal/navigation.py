"""The service navigation: items that the core and each app register, shown in base.html.

The core names no app's pages; instead each app registers, in its AppConfig.ready(), the
navigation items it contributes, as it registers record sections (`cse_portal.sections`). An
item is a label, a URL name, an order and a predicate on the signed-in officer deciding whether
it shows; it may also give a count (a badge, e.g. the number of items waiting), computed only
for the officers it shows to. The core's own items are registered here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cse_portal.models import Officer


def everyone(officer: Officer) -> bool:
    return True


def works_for_an_agency(officer: Officer) -> bool:
    # A system administrator holds no agency and sees no child: the caseload pages are not theirs.
    return officer.agency_id is not None


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    order: int
    shows_for: Callable[[Officer], bool] = everyone
    count: Callable[[Officer], int | None] | None = None


@dataclass(frozen=True)
class ShownNavItem:
    label: str
    url_name: str
    count: int | None = None


@dataclass
class _Registry:
    items: dict[str, NavItem] = field(default_factory=dict)

    def register(self, item: NavItem) -> None:
        # Keyed by URL name, so registering again (a second ready()) replaces, never duplicates.
        self.items[item.url_name] = item

    def items_for(self, officer: Officer) -> list[ShownNavItem]:
        return [
            ShownNavItem(
                label=item.label,
                url_name=item.url_name,
                count=item.count(officer) if item.count else None,
            )
            for item in sorted(self.items.values(), key=lambda i: (i.order, i.label))
            if item.shows_for(officer)
        ]


registry = _Registry()
register = registry.register


def _unread_notifications(officer: Officer) -> int | None:
    from cse_portal.notifications import unread_count  # models are not ready at import

    return unread_count(officer)


register(NavItem(label="Your work", url_name="home", order=5, shows_for=works_for_an_agency))
register(
    NavItem(
        label="Notifications",
        url_name="notifications:list",
        order=90,
        shows_for=works_for_an_agency,
        count=_unread_notifications,
    )
)
register(
    NavItem(
        label="My agency's children",
        url_name="children:list",
        order=10,
        shows_for=works_for_an_agency,
    )
)
register(
    NavItem(label="Add a child", url_name="children:add", order=20, shows_for=works_for_an_agency)
)
