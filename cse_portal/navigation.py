"""The service navigation: items that the core and each app register, shown in base.html.

The core names no app's pages; instead each app registers, in its AppConfig.ready(), the
navigation items it contributes, as it registers record sections (`cse_portal.sections`). An
item is a label, a URL name, an order and a predicate on the signed-in officer deciding whether
it shows; it may also give a count (a badge, e.g. the number of items waiting), computed only
for the officers it shows to. The core's own items are registered here.

Every page shows the navigation, so its questions to the database are asked together: a
predicate may answer with a queryset (or a tuple of querysets) instead of a bool — the item
shows if any of them has a row — and a count may answer with a queryset to count. All the
querysets of all the items are then asked in one statement (`SELECT EXISTS (…), (SELECT
count(*) …), …`), fresh at every request: nothing is cached across requests.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import connections
from django.db.models import QuerySet

if TYPE_CHECKING:
    from cse_portal.models import Officer


def everyone(officer: Officer) -> bool:
    return True


def works_for_an_agency(officer: Officer) -> bool:
    # A system administrator holds no agency and sees no child: the caseload pages are not theirs.
    return officer.agency_id is not None


# A predicate's answer: a bool, or querysets of which any row makes the item show.
Shows = bool | QuerySet[Any] | tuple[QuerySet[Any], ...]
# A count's answer: the number (None for no badge), or a queryset whose rows are counted.
Count = int | None | QuerySet[Any]


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    order: int
    shows_for: Callable[[Officer], Shows] = everyone
    count: Callable[[Officer], Count] | None = None


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
        batch = _Batch()
        candidates: list[tuple[NavItem, list[str] | None, int | str | None]] = []
        for item in sorted(self.items.values(), key=lambda i: (i.order, i.label)):
            shows = item.shows_for(officer)
            if shows is False:
                continue
            exists = None if shows is True else batch.exists(shows)
            known = officer.__dict__.get(_KNOWN_COUNTS, {})
            if item.url_name in known:
                count: int | str | None = known[item.url_name] or None
            else:
                count = batch.count(item.count(officer)) if item.count else None
            candidates.append((item, exists, count))
        answers = batch.answers(officer)
        return [
            ShownNavItem(
                label=item.label,
                url_name=item.url_name,
                count=(answers[count] or None) if isinstance(count, str) else count,
            )
            for item, exists, count in candidates
            if exists is None or any(answers[key] for key in exists)
        ]


_KNOWN_COUNTS = "_cse_navigation_known_counts"


def known_count(officer: Officer, url_name: str, count: int) -> None:
    """A page that has just read the very rows an item counts says how many, for this request
    (the officer object lives as long as the request): the navigation does not count again."""
    officer.__dict__.setdefault(_KNOWN_COUNTS, {})[url_name] = count


class _Batch:
    """The navigation's querysets, asked in one statement: whether each predicate's has a row,
    how many rows each count's has. Each queryset is replaced by the key of its answer.

    Each queryset is compiled on its own, as `exists()` and `count()` would compile it (no
    ordering, no columns), and the statement is `SELECT EXISTS (…) AS "nav_0", (SELECT count(*)
    FROM (…)) AS "nav_1", …`, with no FROM. Made into the expressions of another queryset's
    SELECT (`Exists`, `Subquery`), each was copied and its aliases renamed before being
    compiled, and the host queryset's own ordering too: as much Python again as the SQL."""

    def __init__(self) -> None:
        self.parts: dict[str, tuple[str, tuple[Any, ...]]] = {}
        self.constants: dict[str, Any] = {}

    def exists(self, shows: Shows) -> list[str]:
        querysets = shows if isinstance(shows, tuple) else (shows,)
        assert all(isinstance(qs, QuerySet) for qs in querysets), shows
        keys = []
        for qs in querysets:
            assert isinstance(qs, QuerySet)
            if qs.query.is_empty():  # a `.none()`: nothing to ask
                keys.append(self._constant(False))
            else:
                keys.append(self._add("EXISTS ({})", qs.query.exists(limit=True)))
        return keys

    def count(self, count: Count) -> int | str | None:
        if not isinstance(count, QuerySet):
            return count
        if count.query.is_empty():  # a `.none()`: nothing to ask
            return None
        # `exists(limit=False)`: the rows' filters alone, one constant column. A distinct or
        # sliced queryset would be counted otherwise (by its own columns): none is.
        assert not count.query.distinct and not count.query.is_sliced, count
        return self._add("(SELECT count(*) FROM ({}) counted)", count.query.exists(limit=False))

    def _add(self, template: str, query: Any) -> str:
        from cse_portal.models import Officer  # models are not ready at import

        sql, params = query.get_compiler(using=Officer.objects.db).as_sql()
        key = f"nav_{len(self.parts) + len(self.constants)}"
        self.parts[key] = (template.format(sql), tuple(params))
        return key

    def _constant(self, value: Any) -> str:
        key = f"nav_{len(self.parts) + len(self.constants)}"
        self.constants[key] = value
        return key

    def answers(self, officer: Officer) -> dict[str, Any]:
        if not self.parts:
            return dict(self.constants)
        from cse_portal.models import Officer  # models are not ready at import

        columns = ", ".join(f'{sql} AS "{key}"' for key, (sql, _) in self.parts.items())
        params = [param for _, part_params in self.parts.values() for param in part_params]
        with connections[Officer.objects.db].cursor() as cursor:
            cursor.execute(f"SELECT {columns}", params)
            row = cursor.fetchone()
        return {**self.constants, **dict(zip(self.parts, row, strict=True))}


registry = _Registry()
register = registry.register


def _unread_notifications(officer: Officer) -> QuerySet[Any]:
    from cse_portal.notifications import unread  # models are not ready at import

    return unread(officer)  # counted with the other items' questions


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
