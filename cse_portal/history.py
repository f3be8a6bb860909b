""" "Who viewed or changed this record": what every app contributes, in plain English.

The core records the history of the child and its involvements; the apps record the history
of their own records (screenings, referrals, CSC's responses…). Each app registers, in its
AppConfig.ready(), a `HistorySource`: a function giving the entries about one child's records
that the viewing officer may open (never another agency's drafts), and the access-log object
types it owns with the ids the officer may open, so that log rows about records the viewer
cannot open are left out too. The core imports no app.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q

if TYPE_CHECKING:
    from cse_portal.models import Child, Officer

# Bookkeeping columns that mean nothing to a reader of the history.
TECHNICAL_FIELDS = frozenset(
    {"id", "version", "updated_at", "created_at", "creation_key", "submission_key"}
)


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    what: str  # "Screening submitted", "Referral R-00012 acknowledged by CSC"
    officer: Officer | None
    changed: tuple[str, ...] = ()  # plain-English names of the fields that changed
    fields: tuple[str, ...] = ()  # the same, as field names (for code and tests)


@dataclass(frozen=True)
class HistorySource:
    key: str
    entries: Callable[[Child, Officer], Iterable[HistoryEntry]]
    # Access-log rows whose object_type starts with one of these prefixes are about this
    # source's records; `openable_ids` gives the ids (as text) the officer may open.
    log_object_types: tuple[str, ...] = ()
    openable_ids: Callable[[Child, Officer], Collection[str]] | None = None


@dataclass
class _Registry:
    sources: dict[str, HistorySource] = field(default_factory=dict)

    def register(self, source: HistorySource) -> None:
        self.sources[source.key] = source

    def entries_for(self, child: Child, officer: Officer) -> list[HistoryEntry]:
        entries = [e for s in self.sources.values() for e in s.entries(child, officer)]
        return sorted(entries, key=lambda e: e.at, reverse=True)

    def hidden_log_rows(self, child: Child, officer: Officer) -> Q:
        """A condition matching the access-log rows about records the officer cannot open."""
        hidden = Q(pk__in=[])
        for source in self.sources.values():
            if not source.log_object_types or source.openable_ids is None:
                continue
            ids = [str(i) for i in source.openable_ids(child, officer)]
            about = Q(pk__in=[])
            for prefix in source.log_object_types:
                about |= Q(object_type__startswith=prefix)
            hidden |= about & ~Q(object_id__in=ids)
        return hidden


registry = _Registry()
register = registry.register


def field_labels(model: type[models.Model], names: Iterable[str]) -> tuple[tuple[str, ...], ...]:
    """(field names, their plain-English names) of `names`, leaving bookkeeping columns out.

    A foreign key's column ("submitted_by_id") is named by its field ("submitted by").
    """
    by_column = {
        getattr(f, "attname", f.name): f for f in model._meta.get_fields() if hasattr(f, "column")
    }
    kept: list[str] = []
    labels: list[str] = []
    for name in sorted(names):
        model_field = by_column.get(name)
        base = model_field.name if model_field is not None else name
        if base in TECHNICAL_FIELDS or name.startswith("pgh_"):
            continue
        kept.append(base)
        verbose = getattr(model_field, "verbose_name", None) if model_field else None
        label = str(verbose or base.replace("_", " "))
        # "Known as" reads as "known as" inside a list; "IRO" stays as it is.
        labels.append(label[:1].lower() + label[1:] if label[1:2].islower() else label)
    return tuple(kept), tuple(labels)


def officers_by_id(ids: Iterable[int | None]) -> dict[int, Officer]:
    # Imported here: apps import this module from their AppConfig, before models are ready.
    from cse_portal.models import Officer

    wanted = {i for i in ids if i is not None}
    return {o.pk: o for o in Officer.objects.filter(pk__in=wanted).select_related("agency")}


def event_officer_id(context: dict[str, object] | None) -> int | None:
    """The officer an event is attributed to (pghistory's context), if any."""
    user = (context or {}).get("user")
    return int(str(user)) if user is not None else None
