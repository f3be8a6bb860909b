"""The one door to case data: every child-related object is fetched through here.

Access follows involvement: an agency involved with a child holds object permissions on the
child (django-guardian, granted to the agency's group by `cse_portal.services`). Nothing is
granted globally, superusers included, so a system administrator sees no case data.

A child that an officer may not see answers 404 — the same as a child that does not exist,
so the existence of a record does not leak.
"""

from __future__ import annotations

import functools
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, Literal

from django.contrib.auth.models import Permission
from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import PermissionDenied
from django.db import connections, models
from django.db.models import Expression, F, Lookup, Subquery
from django.http import Http404
from guardian.shortcuts import get_group_perms

from cse_portal.models import Child, ChildGroupObjectPermission, ChildQuerySet

if TYPE_CHECKING:
    from uuid import UUID

    from django.contrib.auth.models import AnonymousUser

    from cse_portal.models import Agency, Officer

ChildAction = Literal["view", "change", "share", "audit"]

_PERMISSION_FOR_ACTION: dict[str, str] = {
    "view": "view_child",
    "change": "change_child",
    "share": "share_child",
}


def _agency_of(officer: Officer | AnonymousUser) -> Agency | None:
    agency = getattr(officer, "agency", None)
    if not officer.is_authenticated or not officer.is_active or agency is None:
        return None
    return agency


def can_convene(officer: Officer | AnonymousUser) -> bool:
    """Children's social care convenes meetings: a strategy meeting about a child
    (strategy_meetings' `can_convene`, about a child fetched through the door) and a separate
    meeting about a person of concern (`can_convene_about`, about a person the officer may
    see). The one place the rule is written: the convening views ask it through those, and
    the pages ask it before offering a "Convene" link (in templates, the `can_convene` filter
    of `{% load portal_access %}`)."""
    agency = _agency_of(officer)
    return agency is not None and agency.is_csc


def visible_child_rows(agency: Agency) -> models.QuerySet[ChildGroupObjectPermission, Any]:
    """The agency's group's `view_child` rows, one per child it may view, as their child ids:
    read from guardian's table alone (an index-only scan of its unique index on group,
    permission and child). The permission is looked up in the same statement, so no id is
    cached. The door's rule; `visible_child_ids` is this statement's SQL."""
    # One row (a codename is unique in its app's content types), so unordered: Permission's
    # Meta.ordering (its content type's app label and model, its codename) would be sorted in
    # every statement through the door.
    view_child = (
        Permission.objects.filter(content_type__app_label="cse_portal", codename="view_child")
        .order_by()
        .values("id")[:1]
    )
    return ChildGroupObjectPermission.objects.filter(
        group_id=agency.group_id, permission_id=Subquery(view_child)
    ).values("content_object_id")


_NO_GROUP = -7_310_420  # stands for the agency's group while the door's SQL is compiled


@functools.cache
def _visible_rows_sql(alias: str) -> tuple[str, tuple[Any, ...], int]:
    """`visible_child_rows`' SQL for database `alias`, compiled once per process: the SQL, its
    parameters and which of them is the group's id. Only the text is kept; the group and the
    permission are parameters and a sub-select of each statement, as before."""
    placeholder = SimpleNamespace(group_id=_NO_GROUP)
    sql, params = (
        visible_child_rows(placeholder).query.get_compiler(using=alias).as_sql()  # type: ignore[arg-type]
    )
    params = tuple(params)
    if params.count(_NO_GROUP) != 1:  # pragma: no cover - the statement above has one group
        raise AssertionError(f"the door's SQL should take the group once: {sql} {params}")
    return sql, params, params.index(_NO_GROUP)


class VisibleChildIds(Expression):
    """`visible_child_rows(agency)` as a sub-select in another statement (`IN (SELECT …)`), or,
    with `as_array`, read first as one array (`ARRAY(SELECT …)`). Its SQL is compiled once per
    process and the group's id put in its place, so a page that goes through the door a dozen
    times does not build and compile the same sub-select a dozen times in the ORM (it cost
    about a tenth of the child's record's time)."""

    output_field = models.UUIDField()

    def __init__(self, group_id: int, *, as_array: bool = False) -> None:
        super().__init__()
        self.group_id = group_id
        self.as_array = as_array

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        sql, params, at = _visible_rows_sql(connection.alias)
        bound = (*params[:at], self.group_id, *params[at + 1 :])
        return (f"ARRAY({sql})" if self.as_array else f"({sql})"), bound


def visible_child_ids(agency: Agency) -> VisibleChildIds:
    """The ids of the children the agency may view (`visible_child_rows`), for
    `field__in=visible_child_ids(agency)`."""
    return VisibleChildIds(agency.group_id)


def count_visible_children(officer: Officer | AnonymousUser) -> int:
    """How many children the officer's agency may view (`children_visible_to(officer)
    .count()`): its `visible_child_rows`, counted in one statement of the door's compiled
    SQL, without building a queryset (the children list's total, at every page)."""
    agency = _agency_of(officer)
    if agency is None:
        return 0
    alias = ChildGroupObjectPermission.objects.db
    sql, params = VisibleChildIds(agency.group_id).as_sql(None, connections[alias])
    with connections[alias].cursor() as cursor:
        # The door's own compiled SQL; the group and the permission are parameters.
        cursor.execute(f"SELECT count(*) FROM {sql} AS visible", params)  # noqa: S608
        return int(cursor.fetchone()[0])


def children_visible_to(officer: Officer | AnonymousUser) -> ChildQuerySet:
    """The children the officer's agency is involved with, filtered in SQL."""
    agency = _agency_of(officer)
    if agency is None:
        return Child.objects.none()
    return Child.objects.filter(pk__in=visible_child_ids(agency))


def can_see_audit(officer: Officer, child: Child) -> bool:
    """Who viewed or changed a record is for the owning agency's lead officer and for CSC."""
    agency = officer.agency
    if agency is None:
        return False
    if agency.is_csc:
        return True
    return officer.is_cse_lead and child.owning_agency_id == agency.pk


def can_close_or_reopen_case(officer: Officer | AnonymousUser, child: Child) -> bool:
    """Children's social care closes a child's CSE case and reopens it: the agency that
    decides on referrals and convenes the strategy meetings. Any other agency involved with
    the child sees whether the case is open, and is refused the change (403); an agency not
    involved does not see the child (404, `get_child_for`)."""
    agency = _agency_of(officer)
    if agency is None or not agency.is_csc or not agency.is_active:
        return False
    return children_visible_to(officer).filter(pk=child.pk).exists()


def get_child_for(officer: Officer, pk: UUID | str, action: ChildAction) -> Child:
    """The child `pk` if the officer may do `action` to it; 404 if not visible, 403 if visible
    but the action is not the officer's to take. Views call it behind @login_required, so the
    officer is signed in (an AnonymousUser sees no child anyway)."""
    child = (
        children_visible_to(officer)
        .filter(pk=pk)
        .select_related("home_authority", "host_authority", "owning_agency", "created_by")
        .first()
    )
    if child is None:
        raise Http404("No child found.")
    if action == "view":
        return child
    if action == "audit":
        if not can_see_audit(officer, child):
            raise PermissionDenied
        return child
    agency = officer.agency
    if agency is None or _PERMISSION_FOR_ACTION[action] not in get_group_perms(agency.group, child):
        raise PermissionDenied
    return child


def case_objects_visible_to[M: models.Model](
    officer: Officer | AnonymousUser, queryset: models.QuerySet[M], child_field: str = "child"
) -> models.QuerySet[M]:
    """Objects of a child-related model whose child the officer may see (the permission rows
    are compared with the object's child id: no join to the child's table)."""
    agency = _agency_of(officer)
    if agency is None:
        return queryset.none()
    return queryset.filter(**{f"{child_field}__in": visible_child_ids(agency)})


class _InArray(Lookup):
    """`lhs = ANY(rhs)`: the value is one of the array's (the array a subquery's rows)."""

    lookup_name = "in_array"
    prepare_rhs = False

    def as_sql(self, compiler, connection):  # type: ignore[no-untyped-def]
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", (*lhs_params, *rhs_params)


def in_ids_of(field: str, ids: models.QuerySet[Any, Any]) -> _InArray:
    """A condition: `field` is one of the ids `ids` (a queryset of one column) reads, read
    first as one array (`field = ANY(ARRAY(SELECT …))`): an InitPlan the planner cannot flatten
    into a join, so the few rows it finds are looked up by `field`'s index, one by one."""
    return _InArray(F(field), ArraySubquery(ids))


def in_visible_ids(field: str, agency: Agency) -> _InArray:
    """A condition: `field` (a child's id) is one of the agency's visible children's ids, the
    ids read first as one array (`field = ANY(ARRAY(SELECT …))`). The same rows as
    `field__in=visible_child_ids(agency)`; for a list sorted and cut to a few rows, where
    `IN (SELECT …)` lets the planner join the permission rows to every candidate row (a probe
    each, often in parallel, its estimate of the agency's children far too low), while the
    array, an InitPlan it cannot flatten, is looked up in the list's index on the child."""
    return _InArray(F(field), VisibleChildIds(agency.group_id, as_array=True))


def case_objects_of_visible_ids[M: models.Model](
    officer: Officer | AnonymousUser, queryset: models.QuerySet[M], child_field: str = "child"
) -> models.QuerySet[M]:
    """`case_objects_visible_to`, the agency's child ids read first (`in_visible_ids`)."""
    agency = _agency_of(officer)
    if agency is None:
        return queryset.none()
    return queryset.filter(in_visible_ids(f"{child_field}_id", agency))


def children_of_visible_ids(officer: Officer | AnonymousUser) -> ChildQuerySet:
    """`children_visible_to`, the agency's child ids read first (`in_visible_ids`)."""
    agency = _agency_of(officer)
    if agency is None:
        return Child.objects.none()
    return Child.objects.filter(in_visible_ids("pk", agency))


def get_case_object_for[M: models.Model](
    officer: Officer | AnonymousUser,
    queryset: models.QuerySet[M],
    pk: object,
    *,
    child_pk: object,
    child_field: str = "child",
) -> M:
    """One child-related object, which must belong to child `child_pk` and be visible: else 404."""
    obj = (
        case_objects_visible_to(officer, queryset, child_field)
        .filter(pk=pk, **{f"{child_field}_id": child_pk})
        .first()
    )
    if obj is None:
        raise Http404("Not found.")
    return obj
