"""Read-heavy pages read from a PostgreSQL replica; every write goes to the primary.

`CSE_REPLICA_VIEWS` names the views (URL names, e.g. "themes" or "referrals:caseload"). While
such a view runs (and its template renders), the router sends reads to the "replica" alias,
when one is configured (DATABASE_REPLICA_URL); writes, and every other view, use "default".
A replica lags behind its primary: `figures_as_of` says how far, for the page to show
("figures as of 14:05"). On a server that is not replaying (the primary itself, as in tests)
the figures are current. The line a marked page shows (`AsOf`, templates/includes/
figures_as_of.html) says which: read as the page was made (no replica), read from a copy of
the database (a replica, with the time of its last replayed transaction: when the primary
is idle that time is older than the copy really is, never newer), or worked out ahead
(the themes' summaries, `cse_portal.themes_summary`, with the promise of how old at most).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

REPLICA = "replica"
_reading_from: ContextVar[str | None] = ContextVar("cse_replica_reads", default=None)


@dataclass(frozen=True)
class AsOf:
    """When a page's figures were current, for its "Figures as of" line."""

    at: datetime
    from_replica: bool
    # Worked out ahead (a summary) and never older than this many minutes; 0: read now.
    refresh_minutes: int = 0


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def reading_alias() -> str:
    """The database this block's reads go to."""
    return _reading_from.get() or "default"


@contextmanager
def reads_from_replica() -> Iterator[str]:
    """Send this block's reads to the replica (when configured); yields the alias used."""
    alias = REPLICA if replica_configured() else "default"
    token = _reading_from.set(alias)
    try:
        yield alias
    finally:
        _reading_from.reset(token)


class ReplicaRouter:
    """Reads go to the replica inside `reads_from_replica`; nothing else changes."""

    def db_for_read(self, model: type, **hints: Any) -> str | None:
        return _reading_from.get()

    def db_for_write(self, model: type, **hints: Any) -> str | None:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return db == "default"  # a replica is migrated by replication


def is_replica_view(request: HttpRequest) -> bool:
    match = request.resolver_match
    names = set(settings.CSE_REPLICA_VIEWS)
    return match is not None and bool(names & {match.url_name, match.view_name})


def figures_as_of(alias: str) -> datetime:
    """When the data read from `alias` was current: the last replayed transaction's time on a
    replica that is replaying, otherwise now (the primary is not asked)."""
    if alias != REPLICA:
        return timezone.localtime()  # the primary: current, and no query to ask it
    with connections[alias].cursor() as cursor:
        cursor.execute(
            "SELECT CASE WHEN pg_is_in_recovery() THEN pg_last_xact_replay_timestamp() END"
        )
        replayed = cursor.fetchone()[0]
    return timezone.localtime(replayed or timezone.now())


class ReplicaViewsMiddleware:
    """Runs a marked view, and the rendering of its response, with reads on the replica."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            return self.get_response(request)
        finally:
            token = getattr(request, "_cse_replica_token", None)
            if token is not None:
                _reading_from.reset(token)

    def process_view(self, request: HttpRequest, *args: Any) -> None:
        if is_replica_view(request):
            alias = REPLICA if replica_configured() else "default"
            request._cse_replica_token = _reading_from.set(alias)  # type: ignore[attr-defined]
            request.figures_as_of = AsOf(  # type: ignore[attr-defined]
                at=figures_as_of(alias), from_replica=alias == REPLICA
            )
