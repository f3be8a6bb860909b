"""Reads of persons of concern across children (G30–G32), through the one door.

What an officer may see of a person follows the children: a person's link to a child is
visible when the officer's agency may see the child (`children_visible_to`) and the link is
not part of another agency's draft referral or draft risk assessment (a draft is its agency's
alone). A person is
visible when at least one of their links is. Of the other children linked to a person, the
officer sees by name only those they may see; children's social care and police (the
agencies that convene strategy meetings) are told, in words that identify no one, that
there are others — never a name, age, school, reference or date of such a child.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from cse_portal.access import children_visible_to, get_child_for
from cse_portal.models import Agency, Child, Officer
from referrals.models import (
    AssessmentStatus,
    DisruptionAction,
    DisruptionAddendum,
    PersonLink,
    PersonMerge,
    PersonOfConcern,
    Referral,
)

SEARCH_LIMIT = 20
# Below this many, the number of children an officer cannot see is not given exactly: a
# count of one or two, with what the officer knows of the person, can point to a child.
EXACT_COUNT_FROM = 5
CONVENING_KINDS = (Agency.Kind.CHILDRENS_SOCIAL_CARE, Agency.Kind.POLICE)


def is_convening(officer: Officer | AnonymousUser) -> bool:
    """Children's social care and police: they convene strategy meetings, so they are told
    that a person is linked to children whose records they cannot see (and may merge)."""
    agency = getattr(officer, "agency", None)
    return bool(officer.is_authenticated and agency is not None and agency.kind in CONVENING_KINDS)


def hidden_phrase(count: int, show: bool) -> str:
    """Children the officer may not see, without who or when (to the convening agencies
    only): exact only from EXACT_COUNT_FROM."""
    if not show or not count:
        return ""
    if count < EXACT_COUNT_FROM:
        return "fewer than five other children"
    return f"{count} other children"


def not_others_draft_referral(officer: Officer | AnonymousUser) -> Q:
    """Rows (links, places) not of another agency's draft referral."""
    agency_id = getattr(officer, "agency_id", None)
    return (
        Q(referral__isnull=True)
        | Q(referral__status=Referral.Status.SUBMITTED)
        | Q(referral__referring_agency_id=agency_id)
    )


def not_others_draft(officer: Officer | AnonymousUser) -> Q:
    """Links not made by a draft referral or a draft assessment of another agency."""
    agency_id = getattr(officer, "agency_id", None)
    return not_others_draft_referral(officer) & (
        Q(assessment__isnull=True)
        | Q(assessment__status=AssessmentStatus.FINALISED)
        | Q(assessment__agency_id=agency_id)
    )


def links_visible_to(officer: Officer | AnonymousUser) -> QuerySet[PersonLink]:
    """Links to a child the officer may see, and not in another agency's draft."""
    return PersonLink.objects.filter(
        not_others_draft(officer), child__in=children_visible_to(officer)
    )


def persons_visible_to(officer: Officer | AnonymousUser) -> QuerySet[PersonOfConcern]:
    """Persons linked to at least one child the officer may see."""
    return PersonOfConcern.objects.filter(pk__in=links_visible_to(officer).values("person_id"))


def pickable_by(officer: Officer | AnonymousUser) -> QuerySet[PersonOfConcern]:
    """Persons the officer may name or merge: visible, and not merged into another record."""
    return persons_visible_to(officer).filter(merged_record__isnull=True)


def person_search(officer: Officer, text: str) -> list[PersonOfConcern]:
    """Persons the officer may pick whose name or nickname has every word of `text`."""
    words = text.split()
    if not words:
        return []
    found = pickable_by(officer)
    for word in words[:5]:
        found = found.filter(Q(full_name__icontains=word) | Q(nicknames__icontains=word))
    return list(found.order_by("full_name", "nicknames", "pk")[:SEARCH_LIMIT])


def get_person_for(
    officer: Officer, child_pk: str, person_pk: int
) -> tuple[Child, PersonOfConcern]:
    """The child (through the door) and a person linked to it by a link the officer may see:
    404 for anything else."""
    child = get_child_for(officer, child_pk, "view")
    person = (
        PersonOfConcern.objects.filter(
            pk=person_pk, pk__in=links_visible_to(officer).filter(child=child).values("person_id")
        )
        .select_related(
            "recorded_by_agency",
            "merged_record__survivor",
            "merged_record__merged_by",
            "merged_record__merged_by_agency",
        )
        .first()
    )
    if person is None:
        raise Http404("No such person linked to this child.")
    return child, person


def absorbed_ids(person_ids: Iterable[int]) -> dict[int, int]:
    """Every record merged (directly or through a chain) into one of `person_ids`: its id →
    the id among `person_ids` it now belongs to. One query per level of merging."""
    owner_of: dict[int, int] = {}
    frontier = {pk: pk for pk in person_ids}
    while frontier:
        rows = PersonMerge.objects.filter(survivor_id__in=frontier).values_list(
            "duplicate_id", "survivor_id"
        )
        frontier = {dup: frontier[surv] for dup, surv in rows if dup not in owner_of}
        owner_of.update(frontier)
    return owner_of


def disruption_actions_of(person_ids: Iterable[int]) -> dict[int, list[DisruptionAction]]:
    """The disruption actions against each person, with those of records merged into them."""
    ids = list(person_ids)
    owner_of = {pk: pk for pk in ids} | absorbed_ids(ids)
    actions = (
        DisruptionAction.objects.filter(person_id__in=owner_of)
        .select_related("agency", "recorded_by")
        .prefetch_related(
            Prefetch("addenda", DisruptionAddendum.objects.select_related("added_by", "agency"))
        )
    )
    found: dict[int, list[DisruptionAction]] = {pk: [] for pk in ids}
    for action in actions:
        found[owner_of[action.person_id]].append(action)
    return found


@dataclass
class PersonNetwork:
    """One person linked to a child, and what the officer may know of the others."""

    person: PersonOfConcern
    links: list[PersonLink]
    other_children: list[Child] = field(default_factory=list)
    hidden_children: int = 0
    show_hidden: bool = False
    actions: list[DisruptionAction] = field(default_factory=list)

    @property
    def hidden_phrase(self) -> str:
        """The others, without who or when: exact only from EXACT_COUNT_FROM."""
        return hidden_phrase(self.hidden_children, self.show_hidden)

    @property
    def several_children(self) -> bool:
        """002 §8: the person poses a risk to more than one child, as far as the officer may
        be told (the others are counted only for the convening agencies)."""
        return bool(self.other_children) or (self.show_hidden and self.hidden_children > 0)


# Rows of final records only: of a sent referral (or of none); for links, also of a
# finalised assessment (or of none: a merge's).
FINAL_REFERRAL = Q(referral__isnull=True) | Q(referral__status=Referral.Status.SUBMITTED)
FINAL = FINAL_REFERRAL & (
    Q(assessment__isnull=True) | Q(assessment__status=AssessmentStatus.FINALISED)
)


def networks(
    officer: Officer,
    child: Child,
    persons: list[PersonOfConcern] | None = None,
    *,
    final_only: bool = False,
    related: tuple[str, ...] = ("person", "referral", "assessment", "linked_by_agency"),
) -> list[PersonNetwork]:
    """The persons linked to the child that the officer may see (not merged; each with the
    child's links to them), or just `persons`, with their other children and their actions.
    `final_only` leaves out every draft's links (the whole file holds final records only).
    A fixed number of queries however many children and persons there are. `related`: what
    the page shows of the links (the person's page shows where each was named)."""
    visible = links_visible_to(officer).filter(FINAL if final_only else Q())
    links = list(
        visible.filter(child=child, person__merged_record__isnull=True)
        .select_related(*related)
        .order_by("person__full_name", "person__nicknames", "person_id", "linked_at")
        if persons is None
        else visible.filter(child=child, person__in=persons).select_related(*related)
    )
    by_person: dict[int, PersonNetwork] = {}
    for link in links:
        entry = by_person.setdefault(link.person_id, PersonNetwork(person=link.person, links=[]))
        entry.links.append(link)
    if persons is not None:
        for person in persons:
            by_person.setdefault(person.pk, PersonNetwork(person=person, links=[]))
    if not by_person:
        return []
    _fill_others(officer, child, by_person, FINAL if final_only else Q())
    for pk, actions in disruption_actions_of(by_person).items():
        by_person[pk].actions = actions
    return list(by_person.values())


def _fill_others(
    officer: Officer, child: Child, by_person: dict[int, PersonNetwork], only: Q
) -> None:
    pairs = set(
        PersonLink.objects.filter(not_others_draft(officer), only, person_id__in=by_person)
        .exclude(child=child)
        .values_list("person_id", "child_id")
    )
    child_ids = {child_id for _, child_id in pairs}
    seen = {
        c.pk: c
        for c in children_visible_to(officer)
        .filter(pk__in=child_ids)
        .order_by("last_name", "first_name", "pk")
    }
    convening = is_convening(officer)
    for person_id, child_id in sorted(pairs, key=lambda p: str(p[1])):
        entry = by_person[person_id]
        entry.show_hidden = convening
        if child_id in seen:
            entry.other_children.append(seen[child_id])
        else:
            entry.hidden_children += 1
    for entry in by_person.values():
        entry.other_children.sort(key=lambda c: (c.last_name, c.first_name, str(c.pk)))
        entry.show_hidden = convening


def merge_candidates(officer: Officer, person: PersonOfConcern, text: str) -> list[PersonOfConcern]:
    """Records the officer may merge with `person`: visible, not merged, not the same."""
    return [p for p in person_search(officer, text) if p.pk != person.pk]


def persons_section(child: Child, officer: Officer) -> dict[str, object]:
    """The child's record section (strategy-meeting consideration 10): the persons linked to
    the child, the other children linked to each that the officer may see, and the others
    told of without who they are (to the convening agencies only)."""
    # The section shows each person (their name, whether under 18), not the links' records.
    return {
        "networks": networks(officer, child, related=("person",)),
        "convening": is_convening(officer),
    }


def persons_pdf_section(child: Child, officer: Officer) -> dict[str, object]:
    return {
        "networks": networks(officer, child, final_only=True),
        "convening": is_convening(officer),
    }
