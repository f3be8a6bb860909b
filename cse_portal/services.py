"""Writes to the shared model that cross rows or carry rules. The acting officer is passed in."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

# ConcurrentEditError is re-exported: callers catch `services.ConcurrentEditError`.
from cse_portal.lifecycle import ConcurrentEditError as ConcurrentEditError
from cse_portal.lifecycle import attributed, claim_version
from cse_portal.models import Agency, Child, ChildGroupObjectPermission, Involvement, Officer

# What an involved agency may do with a child's record.
INVOLVED_AGENCY_PERMISSIONS = ("view_child", "change_child", "share_child")


def _involved_agency_permissions() -> list[Permission]:
    permissions = list(
        Permission.objects.filter(
            content_type__app_label="cse_portal",
            content_type__model="child",
            codename__in=INVOLVED_AGENCY_PERMISSIONS,
        )
    )
    if len(permissions) != len(INVOLVED_AGENCY_PERMISSIONS):
        # Never grant part of an involvement silently: the database is not migrated.
        raise RuntimeError("The child permissions are missing: run manage.py migrate")
    return permissions


@transaction.atomic
def involvement_grant(
    *,
    child: Child,
    agency: Agency,
    reason: Involvement.Reason,
    by: Officer,
    note: str = "",
) -> Involvement:
    """Involve an agency with a child (recorded) and give its group access, in one transaction.

    An agency already involved for the same reason keeps its open involvement.
    """
    with attributed(by):
        involvement = Involvement.objects.filter(
            child=child, agency=agency, reason=reason, ended_at__isnull=True
        ).first()
        if involvement is None:
            involvement = Involvement.objects.create(
                child=child, agency=agency, reason=reason, note=note, granted_by=by
            )
        # guardian's direct foreign-key rows, written in one statement (assign_perm would
        # look the content type and permission up again for each of the three).
        ChildGroupObjectPermission.objects.bulk_create(
            [
                ChildGroupObjectPermission(group=agency.group, permission=p, content_object=child)
                for p in _involved_agency_permissions()
            ],
            ignore_conflicts=True,
        )
    return involvement


@transaction.atomic
def involvement_end(*, involvement: Involvement, by: Officer, reason: str) -> Involvement:
    """End an involvement; the agency loses access when no other involvement remains open."""
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason the involvement is ending."})
    with attributed(by):
        involvement.ended_at = timezone.now()
        involvement.ended_by = by
        involvement.end_reason = reason
        involvement.save(update_fields=["ended_at", "ended_by", "end_reason"])
        still_involved = Involvement.objects.filter(
            child=involvement.child, agency=involvement.agency, ended_at__isnull=True
        ).exists()
        if not still_involved:
            ChildGroupObjectPermission.objects.filter(
                group=involvement.agency.group,
                content_object=involvement.child,
                permission__in=_involved_agency_permissions(),
            ).delete()
    return involvement


@transaction.atomic
def child_create(*, by: Officer, data: dict[str, Any]) -> Child:
    """Record a child; the officer's agency owns the record and becomes involved."""
    if by.agency is None:
        raise ValidationError("Only an officer of an agency can add a child.")
    with attributed(by):
        child = Child(owning_agency=by.agency, created_by=by, **data)
        if child.approximate_age is not None:
            child.approximate_age_recorded_on = timezone.localdate()
        child.full_clean()
        child.save()
        involvement_grant(
            child=child, agency=by.agency, reason=Involvement.Reason.CREATED_RECORD, by=by
        )
    return child


@transaction.atomic
def child_update(
    *, child: Child, by: Officer, data: dict[str, Any], expected_version: int
) -> Child:
    """Save changes to a child's record unless someone else saved it since `expected_version`.

    The check and the write are one UPDATE … WHERE version = expected, so two officers saving
    at the same moment cannot both win: the second gets ConcurrentEditError and nothing is lost.
    """
    with attributed(by):
        for field, value in data.items():
            setattr(child, field, value)
        if "approximate_age" in data and child.approximate_age is not None:
            child.approximate_age_recorded_on = timezone.localdate()
        child.full_clean()
        claim_version(
            child,
            expected_version,
            **{f: getattr(child, f) for f in [*data, "approximate_age_recorded_on"]},
        )
        child.refresh_from_db()
    return child


@transaction.atomic
def child_share(*, child: Child, agency: Agency, by: Officer, reason: str) -> Involvement:
    """Share a child's record with another agency: an explicit, recorded act with a reason."""
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for sharing the record."})
    if not agency.is_active:
        raise ValidationError({"agency": "That agency is no longer active."})
    if Involvement.objects.filter(child=child, agency=agency, ended_at__isnull=True).exists():
        raise ValidationError({"agency": f"{agency} is already involved with this child."})
    return involvement_grant(
        child=child, agency=agency, reason=Involvement.Reason.EXPLICIT_SHARE, by=by, note=reason
    )
