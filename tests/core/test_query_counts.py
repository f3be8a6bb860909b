"""A page's query count does not grow with its rows."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cse_portal import services
from tests.factories import AgencyFactory, make_child


def _queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_children_list_costs_the_same_queries_for_5_or_25_children(owner_client, world):
    for i in range(4):
        make_child(by=world.owner, first_name=f"Few{i}")
    few = _queries_for(owner_client, reverse("children:list"))
    for i in range(20):
        make_child(by=world.owner, first_name=f"Many{i}")
    many = _queries_for(owner_client, reverse("children:list"))
    assert many == few
    # The session, the officer (with the agency and the device ids), the count, the access
    # log's row, the navigation (one statement) and the page.
    assert few <= 6, few


def test_the_record_page_costs_the_same_queries_for_2_or_12_involvements(owner_client, world):
    url = world.child.get_absolute_url()
    few = _queries_for(owner_client, url)
    for i in range(10):
        agency = AgencyFactory(name=f"Extra agency {i}", local_authority=world.north)
        services.child_share(child=world.child, agency=agency, by=world.owner, reason=f"Reason {i}")
    many = _queries_for(owner_client, url)
    assert many == few
