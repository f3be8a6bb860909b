"""The themes across a lead officer's cases (G35, G39) and the monitoring export."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from cse_portal import themes
from cse_portal.models import AccessLog
from cse_portal.themes import FEWER_THAN, Theme, ThemeCounts, ThemeRow
from tests.caseload.conftest import school_child, screened
from tests.conftest import sign_in
from tests.factories import OfficerFactory, make_child
from tests.pdf_helpers import pdf_text

pytestmark = pytest.mark.django_db


def figures(client, **params) -> dict[tuple[str, str], str]:
    """{(theme key, category code): figure as shown} from the page's context."""
    response = client.get(reverse("themes"), params)
    assert response.status_code == 200
    return {
        (shown.theme.key, row.code): row.text
        for shown in response.context["themes"]
        for row in shown.rows
    } | {(shown.theme.key, "total"): shown.total for shown in response.context["themes"]}


def export_rows(client) -> list[list[str]]:
    response = client.get(reverse("themes_export_csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.mark.guidance("G35")
def test_the_lead_officer_sees_exact_counts_of_headings_and_indicators(lead_client, world):
    for i in range(6):
        screened(school_child(world, first_name=f"Child{i}"), world.owner, "A1-01")
    screened(school_child(world, first_name="Other"), world.owner, "S-01")
    shown = figures(lead_client)
    assert shown[("safeguard_headings", "A1")] == "6"
    assert shown[("safeguard_headings", "S")] == "1"  # the lead's own cases: not suppressed
    assert shown[("safeguard_indicators", "A1-01")] == "6"
    assert shown[("children", "known")] == "8"  # with the world's child


@pytest.mark.guidance("G39")
def test_boys_and_young_men_are_a_row_of_their_own_beside_girls(lead_client, world):
    school_child(world, first_name="Boy", gender="male")
    school_child(world, first_name="Girl", gender="female")
    shown = figures(lead_client)
    # The world's child is a boy too.
    assert shown[("gender", "male")] == "2"
    assert shown[("gender", "female")] == "1"
    assert shown[("gender", "non_binary")] == "0"
    assert shown[("gender", "total")] == "3"
    page = lead_client.get(reverse("themes")).content.decode()
    assert "Boy or young man" in page and "Girl or young woman" in page


@pytest.mark.guidance("G35")
def test_a_child_the_agency_is_not_involved_with_changes_no_figure(
    lead_client, world, health_child
):
    before = figures(lead_client)
    assert before == figures(lead_client)
    # The health trust's child (non-binary, Roma, looked after, D and S indicators present)
    # exists: create another of theirs and screen it, and nothing changes for the school.
    other = make_child(by=world.uninvolved, first_name="Second", gender="non_binary")
    screened(other, world.uninvolved, "D-01")
    assert figures(lead_client) == before
    assert before[("safeguard_headings", "D")] == "0"
    assert before[("gender", "non_binary")] == "0"
    assert ("ethnicity", "white_roma") not in before
    # The health trust's own lead sees them.
    health_lead = OfficerFactory(username="healthlead", agency=world.health, is_cse_lead=True)
    theirs = figures(sign_in(Client(), health_lead))
    assert theirs[("safeguard_headings", "D")] == "2"
    assert theirs[("gender", "non_binary")] == "2"


def test_only_lead_officers_reach_the_themes_and_the_exports(owner_client, anonymous_client):
    for name in ("themes", "themes_export_csv", "themes_export_pdf", "caseload"):
        assert owner_client.get(reverse(name)).status_code == 403
        assert anonymous_client.get(reverse(name)).status_code == 302


@pytest.mark.guidance("G35")
def test_the_export_suppresses_small_numbers_and_names_no_child(lead_client, world):
    for i in range(5):
        screened(
            school_child(world, first_name=f"Child{i}", last_name="Exportname"),
            world.owner,
            "A1-01",
        )
    rows = export_rows(lead_client)
    by_figure = {(r[0], r[1]): r[2] for r in rows if len(r) == 3}
    assert (
        by_figure[("SAFEGUARD headings", "A — Absent from school or repeatedly running away")]
        == "5"
    )
    # Six boys (the world's child too), no girl: the table of genders has no small cell.
    assert by_figure[("Gender", "Boy or young man")] == "6"
    assert by_figure[("Looked-after status", "Not known")] == "6"
    text = "\n".join(",".join(r) for r in rows)
    assert "Exportname" not in text and "Testchild" not in text and "C-" not in text
    assert (
        AccessLog.objects.filter(
            action=AccessLog.Action.EXPORT, object_type="themes export (CSV)", officer=world.lead
        ).count()
        == 1
    )


@pytest.mark.guidance("G35")
def test_a_small_count_in_the_export_shows_as_fewer_than_5(lead_client, world):
    screened(school_child(world, first_name="Only"), world.owner, "S-01")
    rows = export_rows(lead_client)
    by_figure = {(r[0], r[1]): r[2] for r in rows if len(r) == 3}
    assert by_figure[("SAFEGUARD headings", "S — Sexual health and behaviour")] == FEWER_THAN
    assert by_figure[("Children", "Children known in the period")] == FEWER_THAN
    assert "1" not in {v for (theme, _), v in by_figure.items() if theme == "Gender"}


@pytest.fixture
def hostile_theme():
    """A theme whose labels begin like spreadsheet formulas (a catalogue loaded later could
    hold anything)."""

    def counts(scope, children, period):
        labels = ['=HYPERLINK("http://x")', "+1+1", "-2", "@SUM(A1)", "\tTab", "\rReturn", "Plain"]
        return ThemeCounts(rows=[ThemeRow(str(i), label, 7) for i, label in enumerate(labels)])

    themes.register(
        Theme(
            key="zz_hostile",
            title="=Hostile",
            order=999,
            unit="children",
            description="",
            counts=counts,
        )
    )
    yield
    themes.registry.themes.pop("zz_hostile")


def test_csv_cells_that_begin_like_a_formula_are_neutralised(lead_client, hostile_theme):
    rows = [r for r in export_rows(lead_client) if r and r[0] == "'=Hostile"]
    assert [r[1] for r in rows] == [
        '\'=HYPERLINK("http://x")',
        "'+1+1",
        "'-2",
        "'@SUM(A1)",
        "'\tTab",
        "'\rReturn",
        "Plain",
    ]
    assert all(r[2] == "7" for r in rows)


@pytest.mark.guidance("G35")
def test_the_pdf_holds_the_same_figures_and_is_logged(lead_client, world):
    for i in range(5):
        screened(school_child(world, first_name=f"Child{i}"), world.owner, "A1-01")
    response = lead_client.get(reverse("themes_export_pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "CSE monitoring figures" in text
    assert "Boy or young man 6" in " ".join(text.split())
    assert "Testchild" not in text
    assert AccessLog.objects.filter(object_type="themes export (PDF)", officer=world.lead).exists()


def test_the_period_is_chosen_with_dates_and_a_wrong_one_is_explained(lead_client):
    response = lead_client.get(
        reverse("themes"),
        {
            "start_0": "1",
            "start_1": "2",
            "start_2": "2026",
            "end_0": "1",
            "end_1": "1",
            "end_2": "2026",
        },
    )
    assert response.status_code == 200
    assert "The end date must be the same as or after the start date" in response.content.decode()
    ok = lead_client.get(
        reverse("themes"),
        {
            "start_0": "1",
            "start_1": "1",
            "start_2": "2026",
            "end_0": "31",
            "end_1": "3",
            "end_2": "2026",
        },
    )
    assert ok.context["period"].start.month == 1 and len(ok.context["themes"][0].months) == 3


def test_the_shared_view_of_the_page_suppresses_as_the_export_does(lead_client, world):
    screened(school_child(world, first_name="Only"), world.owner, "S-01")
    assert figures(lead_client)[("safeguard_headings", "S")] == "1"
    assert figures(lead_client, shared="1")[("safeguard_headings", "S")] == FEWER_THAN


def test_each_chart_is_an_image_with_a_title_and_a_description(lead_client, world):
    page = lead_client.get(reverse("themes")).content.decode()
    assert page.count('role="img"') >= len(themes.registry.themes)
    assert 'id="theme-gender-title"' in page and 'id="theme-gender-desc"' in page
    assert "Boy or young man: 1" in page  # the description gives the figures in words


@pytest.mark.guidance("G35")
def test_a_person_linked_to_a_child_the_agency_does_not_see_does_not_recur(
    lead_client, world, health_child
):
    from referrals.models import PersonLink, PersonOfConcern

    person = PersonOfConcern.objects.create(
        full_name="Invented Person", recorded_by=world.owner, recorded_by_agency=world.school
    )
    for child, by in ((world.child, world.owner), (health_child, world.uninvolved)):
        PersonLink.objects.create(
            person=person, child=child, linked_by=by, linked_by_agency=by.agency
        )
    assert figures(lead_client)[("recurring", "person_2")] == "0"
    second = school_child(world, first_name="Second")
    PersonLink.objects.create(
        person=person, child=second, linked_by=world.owner, linked_by_agency=world.school
    )
    assert figures(lead_client)[("recurring", "person_2")] == "1"
    page = lead_client.get(reverse("themes")).content.decode()
    assert "Invented Person" not in page
