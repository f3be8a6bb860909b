"""Bulk factories for query-count tests: many rows copied from one made through the real
services (so every column is as a service leaves it), inserted with bulk_create. The database's
own rules (constraints, insert triggers) still apply to every copy."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.db import models

from cse_portal.models import Child, ChildGroupObjectPermission, Involvement


def clones[M: models.Model](
    template: M, count: int, vary: Callable[[int], dict[str, Any]]
) -> list[M]:
    """`count` copies of `template`, each with `vary(i)` on top and fresh unique keys."""
    model = type(template)
    values: dict[str, Any] = {}
    fresh: list[models.Field[Any, Any]] = []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            if isinstance(field, models.UUIDField):
                fresh.append(field)
            continue
        if field.unique:
            fresh.append(field)
            continue
        values[field.attname] = getattr(template, field.attname)
    rows = []
    for i in range(count):
        keys = {
            f.attname: (uuid.uuid4() if isinstance(f, models.UUIDField) else None) for f in fresh
        }
        rows.append(model(**{**values, **keys, **vary(i)}))
    return model.objects.bulk_create(rows, batch_size=1000)


def children_like(template: Child, count: int, *, prefix: str = "Bulk") -> list[Child]:
    """`count` children seen by the same agencies as `template` (its permission rows and
    involvements copied)."""
    children = clones(template, count, lambda i: {"first_name": f"{prefix}{i}"})
    permissions = list(ChildGroupObjectPermission.objects.filter(content_object=template))
    involvements = list(Involvement.objects.filter(child=template))
    ChildGroupObjectPermission.objects.bulk_create(
        [
            ChildGroupObjectPermission(
                group_id=p.group_id, permission_id=p.permission_id, content_object=child
            )
            for child in children
            for p in permissions
        ],
        batch_size=2000,
    )
    Involvement.objects.bulk_create(
        [
            Involvement(
                child=child,
                agency_id=i.agency_id,
                reason=i.reason,
                note=i.note,
                granted_by_id=i.granted_by_id,
                granted_at=i.granted_at,
            )
            for child in children
            for i in involvements
            if i.ended_at is None
        ],
        batch_size=2000,
    )
    return children
