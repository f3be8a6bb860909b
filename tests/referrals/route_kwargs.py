"""Kwargs builders for the referral routes, for tests/security/test_child_url_access.py.

The lead adds them with:
    from tests.referrals.route_kwargs import BUILDERS as REFERRAL_BUILDERS
    BUILDERS.update(REFERRAL_BUILDERS)
in tests/security/child_route_kwargs.py. Each builds objects of world.child.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from referrals import services
from referrals.models import PersonLink, Referral, ReferralPlace

_DETAILS = {
    "basis_of_concern": "Seen with older men.",
    "parents_know": "yes",
    "young_person_knows": "yes",
    "young_person_consents": "given",
}


def _referral(world: Any) -> Referral:
    referral = Referral.objects.filter(child=world.child).first()
    if referral is None:
        referral, _ = services.referral_create(child=world.child, by=world.owner, data=_DETAILS)
    return referral


def _link(world: Any) -> PersonLink:
    referral = _referral(world)
    return referral.person_links.first() or services.referral_person_add(
        referral=referral, by=world.owner, data={"full_name": "Adult Person"}
    )


def _place(world: Any) -> ReferralPlace:
    referral = _referral(world)
    return referral.places.first() or services.referral_place_add(
        referral=referral, by=world.owner, data={"name": "The park"}
    )


def _pk(world: Any) -> dict[str, Any]:
    return {"pk": _referral(world).pk}


BUILDERS: dict[str, Callable[[Any], dict[str, Any]]] = {
    **{
        f"referrals:{name}": _pk
        for name in [
            "detail",
            "edit",
            "persons",
            "places",
            "submit",
            "acknowledge",
            "decide",
            "inform",
        ]
    },
    "referrals:person_edit": lambda world: {"pk": _referral(world).pk, "link_pk": _link(world).pk},
    "referrals:person_remove": lambda world: {
        "pk": _referral(world).pk,
        "link_pk": _link(world).pk,
    },
    "referrals:place_remove": lambda world: {
        "pk": _referral(world).pk,
        "place_pk": _place(world).pk,
    },
    # The child's case: closing and reopening it take only the child.
    "referrals:case_close": lambda world: {},
    "referrals:case_reopen": lambda world: {},
}
