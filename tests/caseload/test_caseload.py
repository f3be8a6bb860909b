"""The lead officer's caseload (G34)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cse_portal.models import AccessLog
from tests.caseload.conftest import school_child, screened
from tests.conftest import sign_in
from tests.factories import OfficerFactory
from tests.referrals.missing.factories import ago, record

pytestmark = [pytest.mark.django_db, pytest.mark.guidance("G34")]


def rows(client: Client, **params) -> dict[str, dict[str, str]]:
    """{child's name: {column label: cell text}} of the page."""
    response = client.get(reverse("caseload"), params)
    assert response.status_code == 200
    labels = [c.label for c in response.context["columns"]]
    return {
        row["child"].display_name: {
            label: " ".join(filter(None, [cell.text, cell.tag]))
            for label, cell in zip(labels, row["cells"], strict=True)
        }
        for row in response.context["rows"]
    }


def test_the_lead_officer_sees_the_agencys_children_with_their_latest_records(
    lead_client, world, health_child
):
    screened(world.child, world.owner, "A1-01")
    record(world.child, world.owner, reported=ago(days=10))
    record(world.child, world.owner, reported=ago(days=100))
    shown = rows(lead_client)
    assert list(shown) == ["Jamie Testchild"]  # not the health trust's child
    jamie = shown["Jamie Testchild"]
    assert jamie["Latest screening"] == "Concern"
    # The episode of 100 days ago is not counted; both are still open.
    assert jamie["Missing (90 days)"] == "1 Missing now"
    assert jamie["Referral"] == "None sent"
    assert jamie["Latest assessed level"] == "Not assessed"
    assert jamie["Next meeting or review"] == "None planned"
    assert jamie["Our overdue actions"] == "None"


def test_a_practitioner_who_is_not_a_lead_officer_is_refused(owner_client, csc_client):
    assert owner_client.get(reverse("caseload")).status_code == 403
    assert csc_client.get(reverse("caseload")).status_code == 403


def test_the_filter_takes_codes_and_never_a_name(lead_client, world):
    school_child(world, first_name="Girlname", gender="female", looked_after_status="looked_after")
    school_child(world, first_name="Boyname", gender="male")
    assert set(rows(lead_client, gender="female")) == {"Girlname Testchild"}
    assert set(rows(lead_client, gender="male")) == {"Boyname Testchild", "Jamie Testchild"}
    assert set(rows(lead_client, looked_after="looked_after")) == {"Girlname Testchild"}
    assert set(rows(lead_client, age="not_known")) == {
        "Girlname Testchild",
        "Boyname Testchild",
        "Jamie Testchild",
    }
    page = lead_client.get(reverse("caseload"), {"gender": "female"}).content.decode()
    form = re.search(r'<form method="get".*?</form>', page, re.DOTALL)
    assert form and 'method="post"' not in form.group(0)
    for url in re.findall(r'href="([^"]*\?[^"]*)"', page):
        assert "name" not in url.lower() and "Testchild" not in url


def test_an_unknown_filter_code_is_refused_with_a_message_and_filters_nothing(lead_client, world):
    response = lead_client.get(reverse("caseload"), {"gender": "<script>"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert len(response.context["rows"]) == 1


def test_the_caseload_sorts_and_pages(lead_client, world):
    for i in range(26):
        school_child(world, first_name=f"Child{i:02}", last_name=f"Zed{i:02}")
    first = lead_client.get(reverse("caseload"), {"sort": "child", "order": "desc"})
    assert first.context["rows"][0]["child"].last_name == "Zed25"
    assert first.context["page_obj"].paginator.num_pages == 2
    assert 'href="?sort=child&amp;order=desc&amp;page=2"' in first.content.decode()
    second = lead_client.get(reverse("caseload"), {"sort": "child", "order": "desc", "page": 2})
    assert [r["child"].last_name for r in second.context["rows"]] == ["Zed00", "Testchild"]


def test_the_page_and_its_total_are_those_paginator_gives_for_any_page_asked(lead_client, world):
    """The page's one query counts the children too (`CountingPaginator`): the same page,
    total and page count as Django's Paginator for a page in range, beyond the last, not a
    number, below 1, and for a filter that matches no child."""
    for i in range(26):
        school_child(world, first_name=f"Child{i:02}", last_name=f"Zed{i:02}")

    def page(**params):
        response = lead_client.get(reverse("caseload"), params)
        assert response.status_code == 200
        page_obj = response.context["page_obj"]
        names = [r["child"].last_name for r in response.context["rows"]]
        return page_obj.number, page_obj.paginator.num_pages, response.context["total"], names

    last = (2, 2, 27, ["Zed24", "Zed25"])  # after Testchild and Zed00 to Zed23
    assert page(page=2) == last
    assert page(page=9) == last  # beyond the last: the last, as Paginator.get_page
    assert page(page=0) == last and page(page=-1) == last
    first = page()
    assert first[:3] == (1, 2, 27) and len(first[3]) == 25
    assert page(page="two") == first == page(page="1")
    assert page(gender="female", page=3) == (1, 1, 0, [])  # none match
    assert (
        "0 children match the filter"
        in lead_client.get(reverse("caseload"), {"gender": "female"}).content.decode()
    )


def test_missing_episodes_sort_the_most_missing_first(lead_client, world):
    other = school_child(world, first_name="Often")
    for days in (1, 5, 9):
        record(other, world.owner, reported=timezone.now() - timedelta(days=days))
    shown = lead_client.get(reverse("caseload"), {"sort": "missing", "order": "desc"})
    assert shown.context["rows"][0]["child"] == other


def test_listing_the_caseload_is_logged(lead_client, world):
    lead_client.get(reverse("caseload"), {"gender": "male"})
    entry = AccessLog.objects.filter(officer=world.lead, object_type="caseload").get()
    assert entry.action == AccessLog.Action.LIST and "gender=male" in entry.detail


def test_the_lead_officer_of_childrens_social_care_sees_their_authoritys_children(world):
    from cse_portal import services

    services.child_share(child=world.child, agency=world.csc, by=world.owner, reason="Referral.")
    southern = school_child(world, first_name="Southern", home_authority=world.south)
    services.child_share(child=southern, agency=world.csc, by=world.owner, reason="Referral.")
    csc_lead = OfficerFactory(username="csclead", agency=world.csc, is_cse_lead=True)
    client = sign_in(Client(), csc_lead)
    assert set(rows(client)) == {"Jamie Testchild"}
    assert "in Northdale Council" in client.get(reverse("caseload")).content.decode()


def test_the_age_worked_out_in_sql_is_the_age_the_record_shows(world):
    from datetime import date

    from cse_portal.models import Child
    from cse_portal.scope import age_band_of, age_on

    today = timezone.localdate()
    school_child(world, first_name="Born", date_of_birth=date(today.year - 13, today.month, 1))
    school_child(world, first_name="Approx", approximate_age=15)
    school_child(world, first_name="Unknown")
    for day in (today, today + timedelta(days=400), date(today.year + 2, 2, 28)):
        for child in Child.objects.annotate(sql_age=age_on(day)):
            assert child.sql_age == child.age_on(day), child.first_name
    assert age_band_of(None).value == "not_known" and age_band_of(13).value == "13-15"
