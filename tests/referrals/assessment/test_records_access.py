"""Who opens which assessment: every assessment URL answers 404 to an uninvolved officer; a
draft is its agency's (and the agencies it asks); every view is logged; the access history
leaves no trace of a draft the viewer cannot open (G36, G37)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from cse_portal.models import AccessLog
from referrals import services
from referrals.urls_assessment import urlpatterns
from tests.conftest import sign_in
from tests.factories import OfficerFactory
from tests.referrals.assessment.records import (
    make_assessment,
    shipped_tools,  # noqa: F401  (autouse)
)
from tests.referrals.assessment.route_kwargs import BUILDERS

pytestmark = pytest.mark.django_db

DRAFT_PAGES = ["detail", "answers", "finalise", "invite", "contribute", "information"]


def _routes():
    return [*sorted(BUILDERS), "referrals:assessment_start"]


def test_every_assessment_route_has_a_kwargs_builder():
    names = {f"referrals:{p.name}" for p in urlpatterns}
    assert names - {"referrals:assessment_start"} == set(BUILDERS)


@pytest.mark.guidance("G36")
@pytest.mark.parametrize("name", _routes())
def test_an_uninvolved_officer_gets_404_on_every_assessment_url(uninvolved_client, world, name):
    extra = BUILDERS.get(name, lambda w: {})(world)
    target = reverse(name, kwargs={"child_pk": world.child.pk, **extra})
    assert uninvolved_client.get(target).status_code == 404
    assert uninvolved_client.post(target, {"anything": "x"}).status_code in {404, 405}


@pytest.mark.guidance("G36")
@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_another_involved_agency_gets_404_on_a_draft_it_was_not_asked_about(
    involved_client, world, name
):
    target = reverse(name, kwargs={"child_pk": world.child.pk, **BUILDERS[name](world)})
    assert involved_client.get(target).status_code == 404
    assert involved_client.post(target, {"text": "x"}).status_code in {404, 405}


@pytest.mark.parametrize("page", DRAFT_PAGES)
def test_an_assessment_of_another_child_answers_404(owner_client, world, page):
    from tests.factories import make_child

    other = make_child(by=world.owner, first_name="Other")
    assessment = services.assessment_create(child=world.child, by=world.owner)
    target = reverse(
        f"referrals:assessment_{page}", kwargs={"child_pk": other.pk, "pk": assessment.pk}
    )
    assert owner_client.get(target).status_code == 404


def test_a_finalised_assessment_is_seen_by_every_involved_agency_and_changed_by_none(
    involved_client, world
):
    assessment = make_assessment(child=world.child, by=world.owner, judged="no_signals")
    assert involved_client.get(assessment.get_absolute_url()).status_code == 200
    for page in ["answers", "finalise"]:
        target = reverse(
            f"referrals:assessment_{page}", kwargs={"child_pk": world.child.pk, "pk": assessment.pk}
        )
        response = involved_client.get(target)
        assert response.status_code == 302
        assert response["Location"] == assessment.get_absolute_url()


@pytest.mark.guidance("G37")
def test_every_view_of_an_assessment_is_logged_with_its_id(owner_client, world):
    assessment = services.assessment_create(child=world.child, by=world.owner)
    for page in DRAFT_PAGES:
        owner_client.get(
            reverse(
                f"referrals:assessment_{page}",
                kwargs={"child_pk": world.child.pk, "pk": assessment.pk},
            )
        )
    rows = AccessLog.objects.filter(child=world.child, object_type__startswith="assessment")
    assert rows.filter(object_id=str(assessment.pk), action="view").count() == len(DRAFT_PAGES)


def _audit(client: Client, child) -> tuple[str, list[tuple[str, str]]]:
    response = client.get(reverse("children:audit", kwargs={"child_pk": child.pk}))
    assert response.status_code == 200
    changes = " | ".join(entry["what"] for entry in response.context["history"])
    views = [(row.object_type, row.object_id) for row in response.context["page_obj"]]
    return changes, views


@pytest.mark.guidance("G36")
def test_the_access_history_leaves_no_trace_of_a_draft_the_viewer_cannot_open(world):
    """The police draft an assessment of the school's child; the school's lead officer reads
    the child's history: nothing about the draft until the police ask the school."""
    police = sign_in(Client(), world.involved)
    police.post(reverse("referrals:assessment_start", kwargs={"child_pk": world.child.pk}), {})
    assessment = services.assessment_create(child=world.child, by=world.involved)
    police.get(assessment.get_absolute_url())
    lead = sign_in(Client(), world.lead)
    changes, views = _audit(lead, world.child)
    assert assessment.reference not in changes
    assert not [v for v in views if v[0].startswith("assessment")]

    services.assessment_invite(assessment=assessment, by=world.involved, agencies=[world.school])
    changes, views = _audit(lead, world.child)
    assert f"Risk assessment {assessment.reference} started by Northdale Police" in changes
    assert (
        f"Brookfield Academy asked to contribute to risk assessment {assessment.reference}"
        in changes
    )
    assert ("assessment", str(assessment.pk)) in views
    # The start page's row names no assessment: on no one's history.
    assert not [v for v in views if v[0] == "assessment (start)"]


def test_the_history_tells_of_a_finalised_assessment_in_plain_english(world):
    make_assessment(
        child=world.child, by=world.owner, contributors=[world.involved], judged="no_signals"
    )
    csc = OfficerFactory(agency=world.csc)
    from cse_portal import services as core

    core.child_share(child=world.child, agency=world.csc, by=world.owner, reason="CSC")
    changes, _ = _audit(sign_in(Client(), csc), world.child)
    assert "finalised: judged “No risk signal present”" in changes
    assert "Contribution of Northdale Police added to risk assessment" in changes
