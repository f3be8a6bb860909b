"""Every screening URL answers 404 to an uninvolved officer, sends an anonymous visitor to sign
in, and answers 404 for a child that does not exist (as tests/security does for every route,
with `screening_route_kwargs` as the kwargs builder)."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from tests.screening.factories import screening_route_kwargs

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
