"""The lead officer's caseload (G34): the children of their agency (for children's social
care, of their authority) with what each app registers about them (`cse_portal.caseload`).

One query fetches a page of children with every column and counts them all; the filter's
choices cost a fixed few. Filtering, sorting and paging happen in SQL. The filter is a GET
form of codes only, so a URL never holds a child's name. Listing is logged, as the
children's list is."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Window
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from cse_portal import caseload
from cse_portal.audit import log_access
from cse_portal.caseload_forms import CaseloadFilterForm
from cse_portal.models import AccessLog, ChildQuerySet, Officer
from cse_portal.scope import caseload_children, is_lead_officer, scope_for
from cse_portal.types import AuthenticatedRequest

CHILDREN_PER_PAGE = 25


class CountingPaginator(Paginator):
    """Pages of children whose one query also counts them all (`COUNT(*) OVER ()`, worked out
    before the LIMIT): the scope's children are read once, not once to count them and again
    to sort them (at 200k children, 6,227 children read twice). A page with no rows (none
    match, or a page beyond the last) is found as Paginator finds it, by counting first."""

    TOTAL = "caseload_total"

    def get_page(self, number: Any) -> Page[Any]:
        try:
            wanted = int(number)
        except (TypeError, ValueError):
            wanted = 1
        if wanted >= 1:
            bottom = (wanted - 1) * self.per_page
            rows = list(
                self.object_list.annotate(**{self.TOTAL: Window(Count("*"))})[  # type: ignore[attr-defined]
                    bottom : bottom + self.per_page
                ]
            )
            if rows:
                self.__dict__["count"] = getattr(rows[0], self.TOTAL)
                return Page(rows, wanted, self)
        return super().get_page(number)


def require_lead_officer(officer: Officer) -> None:
    if not is_lead_officer(officer):
        raise PermissionDenied


def _sorted(children: ChildQuerySet, form: CaseloadFilterForm) -> ChildQuerySet:
    columns = {c.key: c for c in caseload.registry.ordered() if c.sort}
    key = form.cleaned_data.get("sort") or "child"
    field = columns[key].sort if key in columns else "last_name"
    descending = form.cleaned_data.get("order") == "desc"
    expression = F(field).desc(nulls_last=True) if descending else F(field).asc(nulls_last=True)
    return children.order_by(expression, "last_name", "first_name", "pk")


def _filtered(children: ChildQuerySet, form: CaseloadFilterForm) -> tuple[ChildQuerySet, list[str]]:
    applied = []
    for f in caseload.registry.filters():
        code = form.cleaned_data.get(f.param)
        if code:
            children = children.filter(f.condition(code))
            applied.append(f"{f.param}={code}")
    return children, applied


def _form(request: AuthenticatedRequest) -> CaseloadFilterForm:
    sorts = [(c.key, c.label) for c in caseload.registry.ordered() if c.sort]
    form = CaseloadFilterForm(
        {k: v for k, v in request.GET.items() if k != "page"} or None,
        filters=caseload.registry.filters(),
        sorts=sorts,
    )
    form.is_valid()  # an unknown code is ignored (it is not one of the choices): no filter
    if form.is_bound:
        form.cleaned_data = {k: v for k, v in form.cleaned_data.items() if k not in form.errors}
    else:
        form.cleaned_data = {}
    return form


@login_required
@require_http_methods(["GET"])
def caseload_page(request: AuthenticatedRequest) -> HttpResponse:
    officer = request.user
    require_lead_officer(officer)
    scope = scope_for(officer)
    form = _form(request)
    children = caseload_children(officer, scope)  # the page shows no relation of the child
    children = children.annotate(**caseload.registry.annotations(scope))
    children, applied = _filtered(children, form)
    page = CountingPaginator(_sorted(children, form), CHILDREN_PER_PAGE).get_page(
        request.GET.get("page")
    )
    columns = caseload.registry.ordered()
    rows: list[dict[str, Any]] = [
        {"child": child, "cells": [column.cell(child) for column in columns]} for child in page
    ]
    log_access(
        request,
        AccessLog.Action.LIST,
        object_type="caseload",
        detail=f"page {page.number}" + (f", filter {' '.join(applied)}" if applied else ""),
    )
    return render(
        request,
        "caseload/caseload.html",
        {
            "form": form,
            "scope": scope,
            "columns": columns,
            "rows": rows,
            "page_obj": page,
            "total": page.paginator.count,
            "filtered": bool(applied),
        },
    )
