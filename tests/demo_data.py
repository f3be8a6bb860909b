"""The demo data set for tests, loaded through `manage.py load_demo` once per test process and
put back from a snapshot after that.

`load()` does what `call_command("load_demo", "--quiet")` does to a database that holds only
the reference data (the migrations' rows: content types, the SAFEGUARD catalogue, the
assessment tools): the first time in a process it runs the command itself, then copies every
table Django manages (the change-history event tables and the access log included) and their
sequences into memory. Each later call on a database in that same starting state empties those
tables and copies the rows back with COPY, under `session_replication_role = replica` (as
cse_portal/volume.py's bulk load: the change-history and freeze triggers do not fire again for
rows that already are their result), and sets the sequences where they were. That takes well
under a second; the command takes many.

The snapshot is used only when it would give what the command gives:
- the database starts as the snapshot's did (the same row count in every table);
- the same day, the same demo password and password hasher (the demo's dates of birth and
  "n days ago" are counted from today; officers get the hash of the password);
- taken in the last few minutes (the demo's times are relative to now: "overdue" stays so).
Otherwise the command runs, and its result becomes the snapshot. tests/test_demo_snapshot.py
proves a restored demo is row for row the loaded one, and has what a fresh load has.
"""

from __future__ import annotations

import io
import os
import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

# A snapshot older than this is taken again: the demo's times are counted back from "now".
MAX_AGE_SECONDS = 15 * 60


@dataclass(frozen=True)
class Snapshot:
    key: tuple[object, ...]
    taken: float  # time.monotonic()
    before: dict[str, int]  # row counts of the database the command ran on
    tables: tuple[str, ...]
    rows: dict[str, bytes]  # COPY … TO STDOUT (FORMAT binary) of each table that has rows
    sequences: dict[str, tuple[int, bool]]  # name: (last_value, is_called)
    output: str  # what the command wrote (with --quiet: the apps' loaders' lines)


_snapshot: Snapshot | None = None
# How each call was served, for the tests of this module (and a curious reader): "loaded" or
# "restored".
last_load = ""


def _key() -> tuple[object, ...]:
    return (
        connection.settings_dict["NAME"],
        timezone.localdate(),
        os.environ.get("CSE_DEMO_PASSWORD"),
        tuple(settings.PASSWORD_HASHERS),
        settings.CSE_ENV,
    )


def tables() -> tuple[str, ...]:
    """The tables Django empties after a transactional test (`flush`): every model's table."""
    return tuple(sorted(connection.introspection.django_table_names(only_existing=True)))


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def row_counts(names: tuple[str, ...]) -> dict[str, int]:
    """Every table's row count, in one query."""
    if not names:
        return {}
    columns = ", ".join(f"(SELECT count(*) FROM {_q(t)})" for t in names)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}")
        counts = cursor.fetchone()
    return dict(zip(names, counts, strict=True))


def sequences(names: tuple[str, ...]) -> dict[str, tuple[int, bool]]:
    """The sequences owned by the tables' columns (serial and identity), where they stand."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT quote_ident(n.nspname) || '.' || quote_ident(s.relname)
            FROM pg_class s
            JOIN pg_namespace n ON n.oid = s.relnamespace
            JOIN pg_depend d ON d.objid = s.oid AND d.classid = 'pg_class'::regclass
            JOIN pg_class t ON t.oid = d.refobjid
            WHERE s.relkind = 'S' AND d.deptype IN ('a', 'i') AND t.relname = ANY(%s)
              AND n.nspname = current_schema()
            ORDER BY 1
            """,
            [list(names)],
        )
        found = [row[0] for row in cursor.fetchall()]
        result = {}
        for name in found:
            cursor.execute(f"SELECT last_value, is_called FROM {name}")
            last_value, is_called = cursor.fetchone()
            result[name] = (last_value, is_called)
    return result


def _take(before: dict[str, int], output: str) -> Snapshot:
    names = tables()
    counts = row_counts(names)
    rows = {}
    with connection.cursor() as cursor:
        raw = cursor.cursor
        for table in names:
            if not counts[table]:
                continue
            with raw.copy(f"COPY {_q(table)} TO STDOUT (FORMAT binary)") as copy:
                rows[table] = b"".join(bytes(chunk) for chunk in copy)
    return Snapshot(
        key=_key(),
        taken=time.monotonic(),
        before=before,
        tables=names,
        rows=rows,
        sequences=sequences(names),
        output=output,
    )


def _last_handed_out(state: tuple[int, bool]) -> int:
    """The last id a sequence gave (one less than its next when it has given none yet)."""
    last_value, is_called = state
    return last_value if is_called else last_value - 1


def _restore(snapshot: Snapshot) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        # SET LOCAL lasts to the end of the outermost transaction (a module fixture's, say),
        # not of this savepoint: so the role is set back as soon as the rows are in.
        cursor.execute("SELECT current_setting('session_replication_role')")
        (role,) = cursor.fetchone()
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(f"TRUNCATE {', '.join(_q(t) for t in snapshot.tables)}")
        raw = cursor.cursor
        for table, data in snapshot.rows.items():
            with raw.copy(f"COPY {_q(table)} FROM STDIN (FORMAT binary)") as copy:
                copy.write(data)
        # A sequence is not rolled back with the transaction, so it is only ever moved on:
        # set back to the snapshot's value inside a transaction that is then rolled back (a
        # module fixture's), it would hand out ids that the rows put back by the rollback hold.
        now = sequences(snapshot.tables)
        for name, wanted in snapshot.sequences.items():
            last_value, is_called = max(wanted, now.get(name, wanted), key=_last_handed_out)
            cursor.execute("SELECT setval(%s, %s, %s)", [name, last_value, is_called])
        cursor.execute("SELECT set_config('session_replication_role', %s, true)", [role])
    # The content types came back with the snapshot's ids: forget the ones looked up since.
    ContentType.objects.clear_cache()


def _usable(snapshot: Snapshot | None, before: dict[str, int]) -> bool:
    return (
        snapshot is not None
        and snapshot.key == _key()
        and snapshot.before == before
        and time.monotonic() - snapshot.taken < MAX_AGE_SECONDS
    )


def load() -> str:
    """The demo data, as `call_command("load_demo", "--quiet")` loads it; returns what the
    command wrote. Runs in the caller's transaction if there is one (a test's, or a module
    fixture's that is rolled back), committed otherwise (a transactional test's)."""
    global _snapshot, last_load
    names = tables()
    before = row_counts(names)
    if _usable(_snapshot, before):
        assert _snapshot is not None
        _restore(_snapshot)
        last_load = "restored"
        return _snapshot.output
    out = io.StringIO()
    call_command("load_demo", "--quiet", stdout=out)
    _snapshot = _take(before, out.getvalue())
    last_load = "loaded"
    return out.getvalue()


def forget() -> None:
    """Drop the snapshot: the next `load()` runs the command."""
    global _snapshot
    _snapshot = None
