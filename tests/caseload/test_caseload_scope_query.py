"""The caseload reads its scope's ids first (`scope.caseload_children`, `id = ANY(ARRAY(…))`)
instead of `id IN (SELECT …)`, for the planner's sake: the same children, in the same order, as
the straightforward query of the scope (`children_in_scope`), for the school's lead and for
children's social care's lead (whose scope is also cut to its authority)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cse_portal import services
from cse_portal.models import Child
from cse_portal.scope import caseload_children, children_in_scope, scope_for
from tests.caseload.conftest import school_child
from tests.conftest import sign_in
from tests.factories import OfficerFactory, make_child
from tests.referrals.missing.factories import ago, record

pytestmark = [pytest.mark.django_db, pytest.mark.guidance("G34")]

ORDER = ("last_name", "first_name", "pk")


def _children(world: Any) -> None:
    """Children the school sees (some of them also shared with Northdale's CSC), in Northdale
    and placed there from Southmere, with names that tie; and children neither may see."""
    names = [("Able", "Zoe"), ("Able", "Zoe"), ("Baker", "Ann"), ("Baker", "Amy"), ("Cole", "Al")]
    for i in range(14):
        last, first = names[i % len(names)]
        fields: dict[str, Any] = {"first_name": first, "last_name": f"{last}{i % 7}"}
        if i % 4 == 1:
            fields["home_authority"] = world.south
        if i % 8 == 1:
            fields["host_authority"] = world.north  # placed in Northdale from Southmere
        child = school_child(world, **fields)
        if i % 3 != 2:
            services.child_share(child=child, agency=world.csc, by=world.owner, reason="Referral.")
        if i % 5 == 0:
            record(child, world.owner, reported=ago(days=i + 1))
    for i in range(2):  # the health trust's alone: in no one else's scope
        make_child(by=world.uninvolved, first_name="Hidden", last_name=f"Able{i}")


def _csc_lead(world: Any):
    return OfficerFactory(username="csclead", agency=world.csc, is_cse_lead=True)


@pytest.mark.parametrize("who", ["school", "csc"])
def test_the_scope_read_by_its_ids_is_the_scope_in_the_same_order(world, who):
    _children(world)
    officer = world.lead if who == "school" else _csc_lead(world)
    scope = scope_for(officer)
    expected = list(children_in_scope(officer, scope).order_by(*ORDER).values_list("pk", flat=True))
    got = list(caseload_children(officer, scope).order_by(*ORDER).values_list("pk", flat=True))
    assert got == expected
    # Not a vacuous comparison: the scopes differ, and each leaves children out.
    assert 5 < len(expected) < Child.objects.count()
    if who == "csc":
        assert len(expected) < children_in_scope(world.lead, scope_for(world.lead)).count()


def _page(client: Client, **params: Any) -> list[Any]:
    response = client.get(reverse("caseload"), params)
    assert response.status_code == 200
    return [row["child"].pk for row in response.context["rows"]]


def _straight_page_order(officer: Any, sort: str, order: str) -> list[Any]:
    """The page's rows as the view ordered them before, from `children_in_scope`: every
    column annotated, sorted as the view sorts (`caseload_views._sorted`)."""
    from types import SimpleNamespace

    from cse_portal import caseload
    from cse_portal.caseload_views import _sorted

    scope = scope_for(officer)
    children = children_in_scope(officer, scope).annotate(**caseload.registry.annotations(scope))
    form = SimpleNamespace(cleaned_data={"sort": sort, "order": order})
    return list(_sorted(children, form).values_list("pk", flat=True))  # type: ignore[arg-type]


def _all_pages(client: Client, **params: Any) -> list[Any]:
    first = client.get(reverse("caseload"), params)
    pages = first.context["page_obj"].paginator.num_pages
    return [pk for n in range(1, pages + 1) for pk in _page(client, **params, page=n)]


@pytest.mark.parametrize("who", ["school", "csc"])
def test_the_pages_list_the_children_of_the_straightforward_query(world, who, monkeypatch):
    from cse_portal import caseload_views

    monkeypatch.setattr(caseload_views, "CHILDREN_PER_PAGE", 4)
    _children(world)
    officer = world.lead if who == "school" else _csc_lead(world)
    client = sign_in(Client(), officer)
    for sort, order in [("child", ""), ("child", "desc"), ("missing", "desc")]:
        params = {"sort": sort, "order": order} if order else {}
        expected = _straight_page_order(officer, sort, order)
        assert len(expected) > 4 * 2  # three pages or more
        assert _all_pages(client, **params) == expected, (sort, order)


def test_the_csc_leads_caseload_costs_the_same_queries_for_few_or_many(world):
    officer = _csc_lead(world)
    client = sign_in(Client(), officer)
    services.child_share(child=world.child, agency=world.csc, by=world.owner, reason="Referral.")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("caseload")).status_code == 200
        return len(captured.captured_queries)

    few = queries()
    _children(world)
    many = queries()
    assert client.get(reverse("caseload")).context["total"] > 5
    assert many == few


def test_an_officer_of_no_agency_has_no_caseload_children(world):
    scope = scope_for(world.lead)
    admin = OfficerFactory(username="sysadmin", agency=None, role="sysadmin")
    assert not caseload_children(admin, scope).exists()
