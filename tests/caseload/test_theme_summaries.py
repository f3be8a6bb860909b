"""The themes' summaries (issue 11): the same figures as counting afresh, never older than the
page says, worked out again after a submission (cse_portal.themes_summary)."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cse_portal import themes_summary
from cse_portal.models import ThemeSummary
from cse_portal.replica import AsOf
from cse_portal.scope import children_in_scope, scope_for
from cse_portal.themes import Period
from tests.caseload.conftest import school_child, screened
from tests.caseload.test_query_counts import bulk_children

pytestmark = pytest.mark.django_db

SUMMARIES = override_settings(CSE_THEMES_REFRESH_MINUTES=15)


def _period() -> Period:
    return Period.last_twelve_months(timezone.localdate())


def _page_counts(client) -> dict[tuple[str, str], str]:
    response = client.get(reverse("themes"))
    assert response.status_code == 200
    return {
        (shown.theme.key, row.code): row.text
        for shown in response.context["themes"]
        for row in shown.rows
    } | {
        (shown.theme.key, f"month {m.month:%Y-%m}"): m.text
        for shown in response.context["themes"]
        for m in shown.months
    }


def _some_cases(world) -> None:
    for i in range(6):
        screened(
            school_child(world, first_name=f"Child{i}", gender=["male", "female"][i % 2]),
            world.owner,
            "A1-01",
            *(["S-01"] if i % 3 == 0 else []),
        )
    bulk_children(world, 7)  # with a missing episode each


def _age(summary_minutes: float) -> None:
    ThemeSummary.objects.update(computed_at=timezone.now() - timedelta(minutes=summary_minutes))


@SUMMARIES
def test_the_summary_holds_exactly_what_counting_afresh_gives(world, lead_client):
    _some_cases(world)
    assert themes_summary.refresh_all() >= 1
    scope, period = scope_for(world.lead), _period()
    stored = ThemeSummary.objects.get(agency=world.school, period_start=period.start)
    live = themes_summary.count_all(scope, children_in_scope(world.lead, scope), period)
    assert themes_summary.decode(stored.figures) == live
    # Not an empty comparison: the cases are in it, monthly figures included.
    assert live["children"].rows[0].count == 14
    assert sum(live["missing"].monthly.values()) == 7
    assert live["gender"].total == 14
    # And the page read from the summary shows what the page counting afresh shows.
    from_summary = _page_counts(lead_client)
    with override_settings(CSE_THEMES_REFRESH_MINUTES=0):
        assert _page_counts(lead_client) == from_summary


@SUMMARIES
def test_within_its_promise_the_page_reads_the_summary_and_says_how_old(world, lead_client):
    _some_cases(world)
    themes_summary.refresh_all()
    _age(14)
    made_at = timezone.localtime(ThemeSummary.objects.get(agency=world.school).computed_at)
    school_child(world, first_name="Added", gender="male")  # not in the summary yet
    page = lead_client.get(reverse("themes"))
    assert page.context["themes"][0].rows[0].text == "14"  # as of the summary, not 15
    text = page.content.decode()
    assert f"Figures as of {made_at:%H:%M}: they are worked out ahead" in text
    assert "at least every 15 minutes, and never shown older than that" in text


@SUMMARIES
def test_past_its_promise_the_summary_is_counted_afresh(world, lead_client):
    _some_cases(world)
    themes_summary.refresh_all()
    _age(16)
    school_child(world, first_name="Added", gender="male")
    before = timezone.localtime()
    page = lead_client.get(reverse("themes"))
    assert page.context["themes"][0].rows[0].text == "15"
    assert page.context["figures_as_of"].at >= before - timedelta(seconds=1)
    # ...and stored, so the next reader has it.
    summary = ThemeSummary.objects.get(agency=world.school)
    assert summary.computed_at >= before - timedelta(seconds=1)
    assert summary.figures["children"]["rows"][0][2] == 15


@SUMMARIES
def test_a_submission_works_the_summary_out_again(
    world, lead_client, django_capture_on_commit_callbacks
):
    _some_cases(world)
    themes_summary.refresh_all()
    first = ThemeSummary.objects.get(agency=world.school).computed_at
    assert _page_counts(lead_client)[("safeguard_headings", "S")] == "2"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        screened(school_child(world, first_name="Newly"), world.owner, "S-01")
    assert callbacks  # the refresh was queued once the submission committed
    summary = ThemeSummary.objects.get(agency=world.school)
    assert summary.computed_at > first
    shown = _page_counts(lead_client)
    assert shown[("safeguard_headings", "S")] == "3"
    assert shown[("children", "known")] == "15"


@SUMMARIES
def test_the_exports_give_the_page_s_figures_and_time(world, lead_client):
    _some_cases(world)
    themes_summary.refresh_all()
    _age(5)
    made_at = timezone.localtime(ThemeSummary.objects.get(agency=world.school).computed_at)
    school_child(world, first_name="Added")  # not in the summary: neither page nor export
    shared = lead_client.get(reverse("themes"), {"shared": "1"}).context["themes"]
    response = lead_client.get(reverse("themes_export_csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    exported = {(r[0], r[1]): r[2] for r in rows if len(r) == 3}
    for shown in shared:
        for row in shown.rows:
            assert exported[(shown.theme.title, row.label)] == row.text
    assert ["Figures as of", f"{made_at:%d/%m/%Y %H:%M}"] in rows
    assert exported[("Children", "Children known in the period")] == "14"


@SUMMARIES
def test_the_page_from_its_summary_costs_the_same_few_queries_for_any_number(world, lead_client):
    bulk_children(world, 5)
    themes_summary.refresh_all()

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert lead_client.get(reverse("themes")).status_code == 200
        return len(captured.captured_queries)

    few = queries()
    with override_settings(CSE_THEMES_REFRESH_MINUTES=0):
        counting = queries()
    bulk_children(world, 300)
    themes_summary.refresh_all()
    assert queries() == few
    assert few < counting - 10  # one read of the summary instead of every theme's queries


def test_the_figures_line_says_how_they_were_read():
    at = timezone.localtime()

    def line(**fields) -> str:
        request = SimpleNamespace(figures_as_of=AsOf(**fields))
        html = render_to_string("includes/figures_as_of.html", {"request": request})
        return re.sub(r"\s+", " ", html)

    assert f"Figures as of {at:%H:%M}: read as this page was made." in line(
        at=at, from_replica=False
    )
    on_copy = line(at=at, from_replica=True)
    assert "read from a copy of the database, which can run a little behind" in on_copy
    assert "as this page was made" not in on_copy
    ahead = line(at=at, from_replica=False, refresh_minutes=15)
    assert "worked out ahead, again at least every 15 minutes" in ahead
    assert "as this page was made" not in ahead and "copy" not in ahead
    nothing = SimpleNamespace(figures_as_of=None)
    assert render_to_string("includes/figures_as_of.html", {"request": nothing}).strip() == ""


def test_without_summaries_the_page_says_it_counted_now(world, lead_client):
    text = lead_client.get(reverse("themes")).content.decode()
    assert re.search(r"Figures as of \d\d:\d\d: read as this page was made", text)
    assert not ThemeSummary.objects.exists()
