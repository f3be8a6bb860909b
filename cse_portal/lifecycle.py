"""The lifecycle of records that are drafted, then made final, then frozen.

Screenings, referrals and the records still to come (assessments, minutes) share one shape:
a draft only its agency sees, optimistic locking while drafting (a stale save is refused and
the writer's text kept), then submitted or finalised and frozen by a database trigger. That
shape is written once here:

- `attributed(by)`: the history context naming the acting officer;
- `claim_version` / `touch` and `ConcurrentEditError`: optimistic locking on a `version`
  field (the record's model has `version` and `updated_at`);
- `conflict_message`: the one text a page shows when a save was refused as stale;
- trigger factories for `Meta.triggers`: `append_only`, `frozen_once`,
  `rows_frozen_with_parent`, `insert_requires_parent`;
- `openable_by`: "my agency's drafts, everyone's final records".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import pgtrigger
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from pghistory.runtime import context as _history_context

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from cse_portal.models import Officer

__all__ = [
    "ConcurrentEditError",
    "append_only",
    "attributed",
    "claim_version",
    "conflict_message",
    "frozen_once",
    "insert_requires_parent",
    "openable_by",
    "rows_frozen_with_parent",
    "touch",
]


# --- Attribution and optimistic locking -----------------------------------------------------


class ConcurrentEditError(Exception):
    """Someone else saved the record after this edit began; nothing was overwritten."""


def attributed(by: Officer) -> _history_context:
    """The pghistory context naming the officer: every history row written inside it says who.

    Outside a request (commands, services called from tests) the history still names the
    officer; inside one, the middleware has set the same value already.
    """
    return _history_context(user=by.pk)


def claim_version(
    instance: models.Model, expected_version: int, *, where: Q | None = None, **changes: Any
) -> None:
    """Write `changes` to the instance's row and bump its version, if the row is still at
    `expected_version` (and matches `where`, e.g. Q(status="draft")); else ConcurrentEditError.

    The check and the write are one UPDATE … WHERE version = expected, so of two saves at the
    same moment only one wins and nothing is overwritten. The instance in memory is not
    refreshed: call `refresh_from_db()` when you need the new values.
    """
    rows = type(instance)._default_manager.filter(pk=instance.pk, version=expected_version)
    if where is not None:
        rows = rows.filter(where)
    changed = rows.update(**changes, version=F("version") + 1, updated_at=timezone.now())
    if changed == 0:
        raise ConcurrentEditError


def touch(instance: models.Model) -> None:
    """Bump the row's version without a check: the rows that belong to a draft changed (the
    caller holds the draft's row lock, or claimed its version already), so a save begun from
    the draft as it was is now stale."""
    type(instance)._default_manager.filter(pk=instance.pk).update(
        version=F("version") + 1, updated_at=timezone.now()
    )


def conflict_message(record: str = "record", *, opening: str = "") -> str:
    """What a page says when a save was refused as stale (ConcurrentEditError).

    `record` names the record as the reader knows it ("screening", "referral"); `opening`
    replaces the first sentence where the page says more (e.g. "… in your agency …").
    """
    opening = opening or f"Someone else saved changes to this {record} while you were editing it."
    return (
        f"{opening} Your changes have not been saved and are shown below: open the {record} "
        "in a new tab to see the latest version, then make your changes again."
    )


# --- Triggers (Meta.triggers) ---------------------------------------------------------------


def append_only(name: str) -> pgtrigger.Protect:
    """Rows are inserted, never updated or deleted (reference data, advice, CSC's responses)."""
    return pgtrigger.Protect(name=name, operation=pgtrigger.Update | pgtrigger.Delete)


def frozen_once(name: str, *, field: str = "status", value: str = "submitted") -> pgtrigger.Protect:
    """A row whose `field` is `value` (submitted, finalised) is never updated or deleted."""
    return pgtrigger.Protect(
        name=name,
        operation=pgtrigger.Update | pgtrigger.Delete,
        condition=pgtrigger.Q(**{f"old__{field}": value}),
    )


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _column(name: str) -> str:
    # The trigger bodies are built from names in the code, never from input; still, refuse
    # anything but a plain column name so a typo cannot become SQL.
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise ValueError(f"Not a column name: {name!r}")
    return name


def _alias(parent: type[models.Model]) -> str:
    return parent.__name__[0].lower()


def rows_frozen_with_parent(
    name: str,
    *,
    parent: type[models.Model],
    fk: str,
    draft_value: str = "draft",
    message: str,
    nullable: bool = False,
    field: str = "status",
) -> pgtrigger.Trigger:
    """A row trigger for the rows that belong to a draft (its answers, its persons, its
    places): they are inserted, changed or deleted only while the parent's `field` is
    `draft_value`. A row trigger, because the rule needs the parent row (a pgtrigger.Q
    condition sees only the row itself).

    `fk` is the column of the foreign key to `parent` (e.g. "screening_id"). With
    `nullable=True`, rows whose foreign key is NULL are not this trigger's business.
    """
    table, a, fk, field = parent._meta.db_table, _alias(parent), _column(fk), _column(field)
    raise_ = f"RAISE EXCEPTION {_sql_text(message)};"
    draft = _sql_text(draft_value)
    old_null = f" AND OLD.{fk} IS NOT NULL" if nullable else ""
    new_null = f"NEW.{fk} IS NOT NULL AND " if nullable else ""
    func = f"""
    IF TG_OP <> 'INSERT'{old_null} THEN
        IF EXISTS (SELECT 1 FROM {table} {a}
                   WHERE {a}.id = OLD.{fk} AND {a}.{field} <> {draft}) THEN
            {raise_}
        END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    IF {new_null}EXISTS (
            SELECT 1 FROM {table} {a}
            WHERE {a}.id = NEW.{fk} AND {a}.{field} <> {draft}) THEN
        {raise_}
    END IF;
    RETURN NEW;
    """  # noqa: S608 -- built from names in the code (checked by _column), texts quoted
    return pgtrigger.Trigger(
        name=name,
        when=pgtrigger.Before,
        operation=pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete,
        func=func,
    )


def insert_requires_parent(
    name: str,
    *,
    parent: type[models.Model],
    fk: str,
    field: str = "status",
    value: str = "submitted",
    message: str,
) -> pgtrigger.Trigger:
    """A row is inserted only against a parent whose `field` is `value` (e.g. CSC's response
    to a sent referral, never to a draft). `fk` is the foreign key's column."""
    table, a, fk, field = parent._meta.db_table, _alias(parent), _column(fk), _column(field)
    func = f"""
    IF NOT EXISTS (SELECT 1 FROM {table} {a}
                   WHERE {a}.id = NEW.{fk} AND {a}.{field} = {_sql_text(value)}) THEN
        RAISE EXCEPTION {_sql_text(message)};
    END IF;
    RETURN NEW;
    """  # noqa: S608 -- built from names in the code (checked by _column), texts quoted
    return pgtrigger.Trigger(
        name=name, when=pgtrigger.Before, operation=pgtrigger.Insert, func=func
    )


# --- Who may open which records -------------------------------------------------------------


def openable_by[M: models.Model](
    officer: Officer | AnonymousUser,
    queryset: models.QuerySet[M],
    *,
    agency_field: str,
    final_values: Iterable[str] = ("submitted",),
    draft_value: str = "draft",
    status_field: str = "status",
) -> models.QuerySet[M]:
    """The records the officer may open: final ones (any agency's), and drafts of the
    officer's own agency (`agency_field` names the record's agency, e.g. "referring_agency").

    Not yet filtered by child: pass the result through the access layer
    (`cse_portal.access.case_objects_visible_to` / `get_case_object_for`).
    """
    agency_id = getattr(officer, "agency_id", None)
    visible = Q(**{f"{status_field}__in": list(final_values)})
    if agency_id is not None:
        visible |= Q(**{status_field: draft_value, f"{agency_field}_id": agency_id})
    return queryset.filter(visible)
