"""tests/demo_data.py: the demo put back from its snapshot is row for row the demo the command
loaded (every table, the change history and the access log included, and the sequences), has
what a fresh `load_demo` gives the same database, and leaves the database's triggers on."""

from __future__ import annotations

import io
import re
from collections import Counter
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import DatabaseError, connection, models, transaction

from cse_portal.models import AccessLog, Child
from tests import demo_data

# Every table's row count and the MD5 of its rows' text in a fixed order.
_CHECKSUM = (
    "SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM {} t"
)


def checksums() -> dict[str, tuple[int, str]]:
    result = {}
    with connection.cursor() as cursor:
        for table in demo_data.tables():
            cursor.execute(_CHECKSUM.format(connection.ops.quote_name(table)))
            result[table] = cursor.fetchone()
    return result


# Values a second load gives differently by nature: keys (new ids, new random UUIDs), times
# (counted back from a later "now"), the password's salted hash, and what is worked out from
# those (JSON copies of rows, digests, tokens).
def _stable(field: models.Field[Any, Any]) -> bool:
    return not (
        field.primary_key
        or field.is_relation
        or isinstance(
            field,
            models.DateTimeField
            | models.UUIDField
            | models.JSONField
            | models.GenericIPAddressField,
        )
        or field.attname == "id"  # an event's copy of its row's key
        or field.attname.endswith("_id")
        or (field.name.startswith("pgh_") and field.name != "pgh_label")
        or field.name in {"password", "digest", "token", "sha256"}
        or field.name.endswith(("_digest", "_hash", "_token", "_key"))
    )


_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_CHILD_REFERENCE = re.compile(r"\bC-[0-9A-F]{6,}\b")  # from the child's UUID
_DIGITS = re.compile(r"\d+")


def _text(value: object) -> str:
    """The value, with the keys and numbered references inside words ("R-00012",
    "/children/<uuid>/meetings/12/", the child's "C-3FA29C1") made alike: they count the database's sequences."""
    if isinstance(value, str):
        value = _CHILD_REFERENCE.sub("C-<ref>", _UUID.sub("<uuid>", value))
        return _DIGITS.sub("#", value)
    return repr(value)


def contents() -> dict[str, Counter[tuple[Any, ...]]]:
    """Every model's rows, without the values that differ from one load to the next."""
    result = {}
    tables = set(demo_data.tables())
    for model in apps.get_models():
        if model._meta.proxy or model._meta.db_table not in tables:
            continue  # a view, or another model's table
        fields = [f.attname for f in model._meta.concrete_fields if _stable(f)]
        rows = model._base_manager.values_list(*fields) if fields else model._base_manager.all()
        result[model._meta.label] = Counter(
            tuple(_text(v) for v in row) if fields else () for row in rows
        )
    return result


@pytest.mark.django_db
def test_a_restored_demo_is_row_for_row_the_loaded_one_and_a_fresh_load_gives_the_same():
    demo_data.forget()
    start = transaction.savepoint_create()
    loaded_output = demo_data.load()
    assert demo_data.last_load == "loaded"
    loaded, loaded_sequences = checksums(), demo_data.sequences(demo_data.tables())
    assert loaded["cse_portal_child"][0] > 40 and loaded["cse_portal_childevent"][0] > 40
    assert loaded["cse_portal_accesslog"][0] >= 0
    transaction.savepoint_rollback(start)
    assert not Child.objects.exists()

    start = transaction.savepoint_create()
    assert demo_data.load() == loaded_output
    assert demo_data.last_load == "restored"
    assert checksums() == loaded
    assert demo_data.sequences(demo_data.tables()) == loaded_sequences
    restored = contents()
    transaction.savepoint_rollback(start)

    call_command("load_demo", "--quiet", stdout=io.StringIO())
    fresh = contents()
    assert set(fresh) == set(restored)
    different = sorted(label for label in fresh if fresh[label] != restored[label])
    assert different == [], {
        label: (
            list((fresh[label] - restored[label]).elements())[:2],
            list((restored[label] - fresh[label]).elements())[:2],
        )
        for label in different
    }


@pytest.mark.django_db
def test_the_triggers_work_again_after_a_restore(module_demo):
    # The access log refuses UPDATE (its trigger): the replica role was set back.
    child = Child.objects.first()
    assert child is not None
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('session_replication_role')")
        assert cursor.fetchone() == ("origin",)
    if not AccessLog.objects.exists():
        AccessLog.objects.create(**_access_log_row(child))
    with pytest.raises(DatabaseError, match="Cannot"), transaction.atomic():
        AccessLog.objects.update(detail="changed")
    # And a new row's change history is still written by the history trigger.
    events = apps.get_model("cse_portal", "ChildEvent")
    before = events.objects.filter(pgh_obj=child).count()
    Child.objects.filter(pk=child.pk).update(known_as="JJ")
    assert events.objects.filter(pgh_obj=child).count() == before + 1


def _access_log_row(child: Child) -> dict[str, Any]:
    officer = apps.get_model("cse_portal", "Officer").objects.exclude(agency=None).first()
    return {
        "officer": officer,
        "agency": officer.agency,
        "child": child,
        "action": AccessLog.Action.values[0],
        "object_type": "child",
    }
