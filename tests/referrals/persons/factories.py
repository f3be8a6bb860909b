"""Builders for the persons-of-concern tests: persons linked to children through referrals,
a sent referral (so the link is everyone's to see), disruption actions, and the kwargs of the
persons routes for tests/security/test_child_url_access.py."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.utils import timezone

from cse_portal.models import Child, Officer
from referrals import services
from referrals.models import (
    DisruptionAction,
    PersonLink,
    PersonOfConcern,
    Referral,
    ReferralPlace,
)

DETAILS = {
    "basis_of_concern": "Seen with older men.",
    "parents_know": "yes",
    "young_person_knows": "yes",
    "young_person_consents": "given",
}


def draft_for(child: Child, by: Officer) -> Referral:
    referral, _ = services.referral_create(child=child, by=by, data=DETAILS)
    return referral


def send(referral: Referral, by: Officer) -> Referral:
    return services.referral_submit(
        referral=Referral.objects.get(pk=referral.pk), by=by, submission_key=uuid.uuid4()
    ).referral


def named_person(child: Child, by: Officer, *, sent: bool = True, **data: Any) -> PersonOfConcern:
    """A new person named in a referral about `child` by `by` (sent, unless told)."""
    referral = draft_for(child, by)
    link = services.referral_person_add(
        referral=referral, by=by, data=data or {"full_name": "Adult Person"}
    )
    if sent:
        send(referral, by)
    return link.person


def link_known(
    person: PersonOfConcern, child: Child, by: Officer, *, sent: bool = True
) -> PersonLink:
    """The same person named on a referral about another child (G30)."""
    referral = draft_for(child, by)
    link = services.referral_person_link_existing(
        referral=referral, by=by, person_pk=person.pk, relationship_to_child="Seen with the child"
    )
    if sent:
        send(referral, by)
    return link


def action_against(person: PersonOfConcern, by: Officer, **data: Any) -> DisruptionAction:
    return services.disruption_record(
        person=person,
        by=by,
        data={
            "kind": "cawn",
            "action_date": timezone.localdate() - timedelta(days=3),
            "outcome": "Notice served.",
            **data,
        },
        creation_key=None,
    )


def _person(world: Any) -> PersonOfConcern:
    link = PersonLink.objects.filter(child=world.child).select_related("person").first()
    if link is not None:
        return link.person
    return named_person(world.child, world.owner, sent=False, full_name="Adult Person")


def _person_kwargs(world: Any) -> dict[str, Any]:
    return {"person_pk": _person(world).pk}


def _action_kwargs(world: Any) -> dict[str, Any]:
    person = _person(world)
    action = person.disruption_actions.first() or action_against(person, world.owner)
    return {"person_pk": person.pk, "action_pk": action.pk}


def _referral_kwargs(world: Any) -> dict[str, Any]:
    referral = Referral.objects.filter(child=world.child, status="draft").first()
    return {"pk": (referral or draft_for(world.child, world.owner)).pk}


BUILDERS: dict[str, Callable[[Any], dict[str, Any]]] = {
    "referrals:person_detail": _person_kwargs,
    "referrals:person_merge": _person_kwargs,
    "referrals:disruption_add": _person_kwargs,
    "referrals:disruption_addendum": _action_kwargs,
    "referrals:person_pick": _referral_kwargs,
}


ADDRESS = "14 Canal Street\nNorthdale NE9 4ZZ"


def place_on(child: Child, by: Officer, *, sent: bool = True, **data: str) -> ReferralPlace:
    referral = draft_for(child, by)
    place = services.referral_place_add(referral=referral, by=by, data=data)
    if sent:
        send(referral, by)
    return place
