"""Places and vehicles across children (G30), through the one door, as persons are.

A place is recognised across children by its key (`ReferralPlace.match_key`: the address,
or the name of a place without one, with everything but letters and digits taken out, upper
case); a vehicle by its normalised registration on a person (`vehicle_registrations`). The
child's places are those of its referrals the officer may see (not another agency's draft);
its vehicles those of the persons linked to it by links the officer may see. Of the other
children with the same place or vehicle, the officer sees by name only those they may see;
children's social care and police are told, in the persons section's words, that there are
others — never a name, age, school, reference or date of such a child.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from cse_portal.access import children_visible_to
from cse_portal.models import Child, Officer
from referrals.models import PersonLink, ReferralPlace
from referrals.selectors_persons import (
    FINAL,
    FINAL_REFERRAL,
    hidden_phrase,
    is_convening,
    links_visible_to,
    not_others_draft,
    not_others_draft_referral,
)


@dataclass
class Recurring:
    """A place or a vehicle of the child, and the other children it is recorded for."""

    label: str
    detail: str = ""
    other_children: list[Child] = field(default_factory=list)
    hidden_children: int = 0
    show_hidden: bool = False

    @property
    def hidden_phrase(self) -> str:
        return hidden_phrase(self.hidden_children, self.show_hidden)


def _places(officer: Officer, child: Child, only: Q) -> tuple[dict[str, Recurring], set]:
    mine: dict[str, Recurring] = {}
    rows = ReferralPlace.objects.filter(
        not_others_draft_referral(officer), only, referral__child=child
    )
    for place in rows.order_by("added_at", "pk"):
        first_line = place.address.splitlines()[0] if place.address else ""
        mine.setdefault(
            place.match_key,
            Recurring(label=place.name or first_line, detail=first_line if place.name else ""),
        )
    pairs = set(
        ReferralPlace.objects.filter(not_others_draft_referral(officer), only, match_key__in=mine)
        .exclude(referral__child=child)
        .values_list("match_key", "referral__child_id")
    )
    return mine, pairs


def _vehicles(officer: Officer, child: Child, only: Q) -> tuple[dict[str, Recurring], set]:
    regs = sorted(
        {
            reg
            for regs in links_visible_to(officer)
            .filter(only, child=child, person__merged_record__isnull=True)
            .values_list("person__vehicle_registrations", flat=True)
            for reg in regs
        }
    )
    mine = {reg: Recurring(label=reg) for reg in regs}
    if not regs:
        return mine, set()
    rows = (
        PersonLink.objects.filter(
            not_others_draft(officer), only, person__vehicle_registrations__overlap=regs
        )
        .exclude(child=child)
        .values_list("person__vehicle_registrations", "child_id")
    )
    pairs = {(reg, child_id) for their, child_id in rows for reg in their if reg in mine}
    return mine, pairs


def places_and_vehicles(
    officer: Officer, child: Child, *, final_only: bool = False
) -> dict[str, object]:
    """The child's places and vehicles, each with the other children recorded with it. A
    fixed number of queries (at most five) however many children are linked."""
    places, place_pairs = _places(officer, child, FINAL_REFERRAL if final_only else Q())
    vehicles, vehicle_pairs = _vehicles(officer, child, FINAL if final_only else Q())
    child_ids = {child_id for _, child_id in place_pairs | vehicle_pairs}
    seen = (
        {c.pk: c for c in children_visible_to(officer).filter(pk__in=child_ids)}
        if child_ids
        else {}
    )
    convening = is_convening(officer)
    for found, pairs in ((places, place_pairs), (vehicles, vehicle_pairs)):
        for key, child_id in pairs:
            entry = found[key]
            if child_id in seen:
                entry.other_children.append(seen[child_id])
            else:
                entry.hidden_children += 1
        for entry in found.values():
            entry.show_hidden = convening
            entry.other_children.sort(key=lambda c: (c.last_name, c.first_name, str(c.pk)))
    return {
        "places": list(places.values()),
        "vehicles": list(vehicles.values()),
        "groups": [
            ("Places", list(places.values()), "No places of concern in referrals you can see."),
            (
                "Vehicle registrations",
                list(vehicles.values()),
                "No vehicle registrations recorded on persons linked to this child.",
            ),
        ],
    }


def places_section(child: Child, officer: Officer) -> dict[str, object]:
    return places_and_vehicles(officer, child)


def places_pdf_section(child: Child, officer: Officer) -> dict[str, object]:
    return places_and_vehicles(officer, child, final_only=True)
