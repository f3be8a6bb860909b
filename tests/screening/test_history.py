"""The screenings in "Who viewed or changed this record" (issue 7 §3): in plain English, and
only for the screenings the viewing officer may open; another agency's draft leaves no trace,
neither an entry nor an access-log row."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from cse_portal import services as core_services
from screening import services
from screening.models import Conclusion, Screening
from tests.conftest import sign_in
from tests.factories import OfficerFactory, make_child
from tests.screening.factories import make_screening
from tests.screening.helpers import section_data, section_url, url


def police_child(world):
    """A child recorded by the police, shared with the school."""
    child = make_child(by=world.involved, first_name="Robin", last_name="Policechild")
    core_services.child_share(child=child, agency=world.school, by=world.involved, reason="School")
    return child


def audit(client: Client, child) -> tuple[list[str], list[tuple[str, str]]]:
    """(the change entries' texts, the access-log rows' (object type, object id))."""
    response = client.get(reverse("children:audit", kwargs={"child_pk": child.pk}))
    assert response.status_code == 200
    changes = [entry["what"] for entry in response.context["history"]]
    views = [(row.object_type, row.object_id) for row in response.context["page_obj"]]
    return changes, views


def test_a_screenings_history_is_told_in_plain_english(owner_client, world, catalogue) -> None:
    owner_client.post(
        reverse("screening:new", kwargs={"child_pk": world.child.pk}),
        {"start": "", "creation_key": uuid.uuid4()},
    )
    screening = Screening.objects.get(child=world.child)
    for code in ("S", "A1", "F", "E", "G", "U", "A2", "R", "D"):
        screening.refresh_from_db()
        owner_client.post(url("edit", screening), section_data(screening, code, default="present"))
    screening.refresh_from_db()
    services.screening_submit(
        screening=screening,
        by=world.owner,
        conclusion=Conclusion.DISCUSS,
        reason="Testing the history.",
        expected_version=screening.version,
    )
    services.screening_advise(screening=screening, by=world.lead, text="Refer now.")

    changes, _ = audit(sign_in(Client(), world.lead), world.child)

    # (In a test every row has the transaction's time, so the order is not compared.)
    screening_changes = [c for c in changes if "creening" in c or "dvice" in c]
    assert sorted(screening_changes) == sorted(
        [
            "Advice recorded by the lead officer",
            "Screening submitted: conclusion “Concern: discuss with my agency's CSE lead officer”",
            *["Screening answers saved"] * 9,
            "Screening started",
        ]
    )
    assert not any("Event" in c or "_id" in c for c in changes)


@pytest.mark.guidance("G36")
def test_a_lead_officer_of_another_agency_sees_no_trace_of_a_draft(
    owner_client, world, catalogue
) -> None:
    """Agency A (the school) drafts a screening of a child recorded by agency B (the police,
    whose lead officer reads the record's history): B's lead sees no entry and no log row
    about the draft, though both agencies are involved with the child."""
    police_lead = OfficerFactory(agency=world.police, is_cse_lead=True)
    child = police_child(world)
    new = reverse("screening:new", kwargs={"child_pk": child.pk})
    owner_client.get(new)
    owner_client.post(new, {"start": "", "creation_key": uuid.uuid4()})
    draft = Screening.objects.get(child=child)
    owner_client.get(url("detail", draft))
    owner_client.get(section_url(draft, "s"))
    owner_client.post(url("edit", draft), section_data(draft, "S"))
    owner_client.get(url("submit", draft))
    owner_client.get(child.get_absolute_url())  # a view of the record itself: shown

    changes, views = audit(sign_in(Client(), police_lead), child)

    assert not [c for c in changes if "creening" in c]
    assert not [row for row in views if row[0].startswith("screening")]
    assert str(draft.pk) not in {object_id for _, object_id in views}
    assert ("child record", str(child.pk)) in views


def test_the_drafting_agency_sees_its_drafts_history(owner_client, world, catalogue) -> None:
    new = reverse("screening:new", kwargs={"child_pk": world.child.pk})
    owner_client.post(new, {"start": "", "creation_key": uuid.uuid4()})
    draft = Screening.objects.get(child=world.child)
    owner_client.get(section_url(draft, "s"))
    owner_client.post(url("edit", draft), section_data(draft, "S"))

    changes, views = audit(sign_in(Client(), world.lead), world.child)

    assert "Screening started" in changes and "Screening answers saved" in changes
    assert ("screening (section S)", str(draft.pk)) in views
    assert ("screening (answers saved)", str(draft.pk)) in views


@pytest.mark.guidance("G36")
def test_a_submitted_screening_is_in_every_involved_agencys_history(
    owner_client, world, catalogue
) -> None:
    police_lead = OfficerFactory(agency=world.police, is_cse_lead=True)
    child = police_child(world)
    screening = make_screening(
        child=child, by=world.owner, submit=True, conclusion=Conclusion.NO_CONCERN
    )
    owner_client.get(url("detail", screening))
    changes, views = audit(sign_in(Client(), police_lead), child)
    assert "Screening submitted: conclusion “No CSE concern”" in changes
    assert "Screening started" in changes
    assert ("screening", str(screening.pk)) in views
