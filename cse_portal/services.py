"""Writes to the shared model that cross rows or carry rules. The acting officer is passed in."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

# ConcurrentEditError is re-exported: callers catch `services.ConcurrentEditError`.
from cse_portal.lifecycle import ConcurrentEditError as ConcurrentEditError
from cse_portal.lifecycle import attributed, claim_version
from cse_portal.models import Agency, Child, ChildGroupObjectPermission, Involvement, Officer
from cse_portal.text import strip_invisible

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
    creation_key: UUID | None = None,
) -> Involvement:
    """Involve an agency with a child (recorded) and give its group access, in one transaction.

    An agency already involved for the same reason keeps its open involvement, also when two
    requests involve it at the same moment.
    """
    with attributed(by):
        involvement = _open_involvement(child, agency, reason)
        if involvement is None:
            try:
                with transaction.atomic():
                    involvement = Involvement.objects.create(
                        child=child,
                        agency=agency,
                        reason=reason,
                        note=note,
                        granted_by=by,
                        creation_key=creation_key,
                    )
            except IntegrityError:
                # one_open_involvement_per_reason: the other request's involvement stands.
                involvement = _open_involvement(child, agency, reason)
                if involvement is None:
                    raise
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


def _open_involvement(child: Child, agency: Agency, reason: str) -> Involvement | None:
    return Involvement.objects.filter(
        child=child, agency=agency, reason=reason, ended_at__isnull=True
    ).first()


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


# Single-line answers of a child's record: no invisible formatting characters (text.py).
CHILD_SINGLE_LINE_FIELDS = (
    "first_name",
    "last_name",
    "known_as",
    "gender_description",
    "school_or_setting",
)


def _child_text_cleaned(data: dict[str, Any]) -> dict[str, Any]:
    return {
        k: strip_invisible(v).strip() if k in CHILD_SINGLE_LINE_FIELDS and isinstance(v, str) else v
        for k, v in data.items()
    }


def _child_created_with(creation_key: UUID, by: Officer) -> Child | None:
    child = Child.objects.filter(creation_key=creation_key).first()
    if child is not None and child.owning_agency_id != by.agency_id:
        raise ValidationError("This form has already been used. Start again from your list.")
    return child


@transaction.atomic
def child_create(*, by: Officer, data: dict[str, Any], creation_key: UUID | None = None) -> Child:
    """Record a child; the officer's agency owns the record and becomes involved.

    With the form's `creation_key`, sending the form twice (even at the same moment) records
    one child: the second answer is the child the first recorded.
    """
    if by.agency is None:
        raise ValidationError("Only an officer of an agency can add a child.")
    if creation_key is not None and (existing := _child_created_with(creation_key, by)):
        return existing
    with attributed(by):
        child = Child(
            owning_agency=by.agency,
            created_by=by,
            creation_key=creation_key,
            **_child_text_cleaned(data),
        )
        if child.approximate_age is not None:
            child.approximate_age_recorded_on = timezone.localdate()
        child.full_clean(exclude=["creation_key"])  # the unique index decides, race-free
        try:
            with transaction.atomic():
                child.save()
        except IntegrityError:
            # The same form was sent twice at once; the other request's child stands.
            existing = _child_created_with(creation_key, by) if creation_key else None
            if existing is None:
                raise
            return existing
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
    data = _approximate_age_kept(child, _child_text_cleaned(data))
    with attributed(by):
        for field, value in data.items():
            setattr(child, field, value)
        child.full_clean()
        claim_version(
            child,
            expected_version,
            **{f: getattr(child, f) for f in [*data, "approximate_age_recorded_on"]},
        )
        child.refresh_from_db()
    return child


def _approximate_age_kept(child: Child, data: dict[str, Any]) -> dict[str, Any]:
    """An approximate age grows a year a year from the day it was recorded, and the edit form
    shows today's. Saved unchanged, the age keeps its date (else "about 14" recorded two years
    ago would become "about 12" again at every edit); a new age is recorded today."""
    if "approximate_age" not in data:
        return data
    new_age = data["approximate_age"]
    # What is stored, not the instance: a ModelForm has already written its values onto it.
    stored = Child(
        **Child.objects.filter(pk=child.pk)
        .values("date_of_birth", "approximate_age", "approximate_age_recorded_on", "created_at")
        .get()
    )
    unchanged = (
        new_age is not None
        and stored.date_of_birth is None
        and stored.approximate_age is not None
        and data.get("date_of_birth") is None
        and new_age == stored.age
    )
    if unchanged:
        return {
            **data,
            "approximate_age": stored.approximate_age,
            "approximate_age_recorded_on": stored.approximate_age_recorded_on,
        }
    recorded_on = timezone.localdate() if new_age is not None else None
    return {**data, "approximate_age_recorded_on": recorded_on}


@transaction.atomic
def child_share(
    *, child: Child, agency: Agency, by: Officer, reason: str, share_key: UUID | None = None
) -> tuple[Involvement, bool]:
    """Share a child's record with another agency: an explicit, recorded act with a reason.
    Returns the share and whether this call made it.

    Shares of one record take turns (a row lock on the child), so of two officers sharing with
    the same agency at once, one shares and the other is told the agency is already involved.
    The same form sent twice (its `share_key`) shares once: the second call answers with the
    first's share and False.
    """
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for sharing the record."})
    if not agency.is_active:
        raise ValidationError({"agency": "That agency is no longer active."})
    # NO KEY UPDATE: the lock two shares contend for, which lets other rows refer to the child.
    Child.objects.select_for_update(no_key=True).filter(pk=child.pk).values_list("pk").get()
    if share_key is not None:
        earlier = Involvement.objects.filter(creation_key=share_key).first()
        if earlier is not None and earlier.child_id == child.pk and earlier.granted_by_id == by.pk:
            return earlier, False
        if earlier is not None:
            raise ValidationError("This form has already been used. Open the record again.")
    if Involvement.objects.filter(child=child, agency=agency, ended_at__isnull=True).exists():
        raise ValidationError({"agency": f"{agency} is already involved with this child."})
    share = involvement_grant(
        child=child,
        agency=agency,
        reason=Involvement.Reason.EXPLICIT_SHARE,
        by=by,
        note=reason,
        creation_key=share_key,
    )
    return share, True
