"""Every screening URL answers 404 to an uninvolved officer, sends an anonymous visitor to sign
in, and answers 404 for a child that does not exist (as tests/security does for every route,
with `screening_route_kwargs` as the kwargs builder)."""

from __future__ import annotations

import uuid

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from screening import services
from screening.models import Conclusion
from screening.selectors import can_advise, can_write_draft
from tests.factories import OfficerFactory
from tests.screening.factories import make_screening, screening_route_kwargs

SCREENING_ROUTES = ["screening:detail", "screening:edit", "screening:submit", "screening:advice"]


@pytest.mark.guidance("G36")
@pytest.mark.parametrize("name", [*SCREENING_ROUTES, "screening:new"])
def test_uninvolved_officer_gets_404_on_every_screening_route(
    uninvolved_client, world, catalogue, name
) -> None:
    extra = screening_route_kwargs(world) if name != "screening:new" else {}
    url = reverse(name, kwargs={"child_pk": world.child.pk, **extra})
    assert uninvolved_client.get(url).status_code == 404
    assert uninvolved_client.post(url, {"anything": "x"}).status_code in {404, 405}


@pytest.mark.parametrize("name", [*SCREENING_ROUTES, "screening:new"])
def test_anonymous_visitor_is_sent_to_sign_in(anonymous_client, world, catalogue, name) -> None:
    extra = screening_route_kwargs(world) if name != "screening:new" else {}
    response = anonymous_client.get(reverse(name, kwargs={"child_pk": world.child.pk, **extra}))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign_in"))
    assert anonymous_client.get(reverse("screening:awaiting_advice")).status_code == 302


@pytest.mark.parametrize("name", SCREENING_ROUTES)
def test_a_child_that_does_not_exist_answers_404(lead_client, world, catalogue, name) -> None:
    url = reverse(name, kwargs={"child_pk": uuid.uuid4(), **screening_route_kwargs(world)})
    assert lead_client.get(url).status_code == 404


# --- Who may do what: one predicate per rule, used by views and services alike -------------


def test_the_screening_agencys_officers_write_its_draft_and_only_its_lead_advises(
    world, catalogue
) -> None:
    screening = make_screening(child=world.child, by=world.owner)
    police_lead = OfficerFactory(agency=world.police, is_cse_lead=True)
    assert can_write_draft(world.owner, screening) and can_write_draft(world.lead, screening)
    assert not can_write_draft(world.involved, screening)
    assert can_advise(world.lead, screening)
    assert not can_advise(world.owner, screening)
    assert not can_advise(police_lead, screening)


def test_a_service_refused_for_lack_of_permission_raises_permission_denied(
    world, catalogue
) -> None:
    draft = make_screening(child=world.child, by=world.owner)
    with pytest.raises(PermissionDenied):
        services.screening_save_answers(
            screening=draft, by=world.involved, answers={}, expected_version=draft.version
        )
    with pytest.raises(PermissionDenied):
        services.screening_submit(
            screening=draft,
            by=world.involved,
            conclusion=Conclusion.NO_CONCERN,
            reason="",
            expected_version=draft.version,
        )
    submitted = make_screening(child=world.child, by=world.owner, submit=True)
    with pytest.raises(PermissionDenied):
        services.screening_advise(screening=submitted, by=world.owner, text="Advice")
    draft.refresh_from_db()
    assert draft.is_draft and draft.version == 1
    assert not submitted.advice.exists()
