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
count(*) …), …`), fresh at every request: no answer is kept across requests. The statement
itself is compiled once per officer and process (`_Registry.items_for` says when not).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date, time
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


# An item shown, as prepared: the keys of its predicate's EXISTS answers (None: it shows
# anyway) and its count (a number, None, or the key of its count in the statement).
_Candidate = tuple[NavItem, list[str] | None, int | str | None]


@dataclass(frozen=True)
class _Prepared:
    """An officer's navigation, prepared: the items that may show and the one statement that
    answers them, compiled. `items` is the registry's items it was prepared from."""

    items: tuple[NavItem, ...]
    candidates: tuple[_Candidate, ...]
    batch: _Batch


# Prepared navigations, per officer (see `_Registry.items_for`); emptied when full.
_PREPARED_MAX = 2000  # a few kilobytes each


@dataclass
class _Registry:
    items: dict[str, NavItem] = field(default_factory=dict)
    prepared: dict[tuple[Any, ...], _Prepared] = field(default_factory=dict)

    def register(self, item: NavItem) -> None:
        # Keyed by URL name, so registering again (a second ready()) replaces, never duplicates.
        self.items[item.url_name] = item

    def items_for(self, officer: Officer) -> list[ShownNavItem]:
        """The items shown to the officer, with their counts, asked of the database now.

        Building the items' querysets and compiling them cost about a third of a simple page
        (5 ms of Python at every request). So an officer's statement is compiled once per
        process and kept, keyed by everything it can depend on — the officer's own fields and
        their agency's (role, lead officer, agency, its group) and the registry's items — and
        run afresh at every request: the answers (whether a list has a row, the badges'
        counts) are never kept. A statement is kept only when preparing it read no row and
        its parameters hold no date or time: a predicate that looked at rows in Python, or a
        count as of a moment, is prepared again at every request."""
        from cse_portal.models import Officer  # models are not ready at import

        items = tuple(self.items.values())
        alias = Officer.objects.db  # the statement is compiled for, and asked of, this one
        key = (alias, _fingerprint(officer))
        prepared = self.prepared.get(key)
        if prepared is None or not _same(prepared.items, items):
            prepared, keep = _prepare(officer, items)
            if keep:
                if len(self.prepared) >= _PREPARED_MAX:
                    self.prepared.clear()
                self.prepared[key] = prepared
        known = officer.__dict__.get(_KNOWN_COUNTS, {})
        # A count the page has just read itself is not asked again.
        skip = {
            count
            for item, _, count in prepared.candidates
            if item.url_name in known and isinstance(count, str)
        }
        answers = prepared.batch.answers(officer, skip=skip)
        shown = []
        for item, exists, count in prepared.candidates:
            if exists is not None and not any(answers[k] for k in exists):
                continue
            if item.url_name in known:
                count = known[item.url_name] or None
            elif isinstance(count, str):
                count = answers[count] or None
            shown.append(ShownNavItem(label=item.label, url_name=item.url_name, count=count))
        return shown


def _prepare(officer: Officer, items: tuple[NavItem, ...]) -> tuple[_Prepared, bool]:
    """The officer's candidates and their statement; and whether it may be kept (no row was
    read while preparing it, no date or time among its parameters)."""
    batch = _Batch()
    candidates: list[_Candidate] = []
    reads = 0

    def counted(execute: Any, *args: Any) -> Any:
        nonlocal reads
        reads += 1
        return execute(*args)

    with ExitStack() as watching:  # a read through any database counts
        for connection in connections.all():
            watching.enter_context(connection.execute_wrapper(counted))
        for item in sorted(items, key=lambda i: (i.order, i.label)):
            shows = item.shows_for(officer)
            if shows is False:
                continue
            exists = None if shows is True else batch.exists(shows)
            count = batch.count(item.count(officer)) if item.count else None
            candidates.append((item, exists, count))
    timeless = not any(
        isinstance(param, date | time) for _, params in batch.parts.values() for param in params
    )
    return _Prepared(items, tuple(candidates), batch), reads == 0 and timeless


def _same(kept: tuple[NavItem, ...], items: tuple[NavItem, ...]) -> bool:
    # By identity: an item registered again, or the registry's items replaced, is new.
    return len(kept) == len(items) and all(a is b for a, b in zip(kept, items, strict=True))


def _fingerprint(officer: Officer) -> tuple[Any, ...]:
    """Everything about the officer a predicate or a count may depend on: their own fields
    (but the password and the last sign-in) and their agency's."""
    own = tuple(
        getattr(officer, f.attname)
        for f in officer._meta.concrete_fields
        if f.attname not in _VOLATILE
    )
    agency = officer.agency if officer.agency_id is not None else None
    theirs = (
        tuple(getattr(agency, f.attname) for f in agency._meta.concrete_fields)
        if agency is not None
        else None
    )
    return (officer._meta.label, own, theirs)


_VOLATILE = frozenset({"password", "last_login"})


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

    def answers(
        self, officer: Officer, skip: set[str] | frozenset[str] = frozenset()
    ) -> dict[str, Any]:
        """Every part's answer, asked now (but the parts in `skip`: their answer is None)."""
        parts = {key: part for key, part in self.parts.items() if key not in skip}
        if not parts:
            return {**self.constants, **dict.fromkeys(skip)}
        from cse_portal.models import Officer  # models are not ready at import

        columns = ", ".join(f'{sql} AS "{key}"' for key, (sql, _) in parts.items())
        params = [param for _, part_params in parts.values() for param in part_params]
        with connections[Officer.objects.db].cursor() as cursor:
            cursor.execute(f"SELECT {columns}", params)
            row = cursor.fetchone()
        return {**self.constants, **dict.fromkeys(skip), **dict(zip(parts, row, strict=True))}


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
