"""Writes of persons of concern named in a draft referral, and their links to its child.

A person belongs to no single referral (G30): a draft changes only a person it recorded and
no other record links, and removing a person from a draft removes a person recorded only
for it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cse_portal.lifecycle import attributed, touch
from cse_portal.models import Officer
from referrals.models import PersonLink, PersonOfConcern, Referral
from referrals.services.common import locked, locked_referral_of, require_draft, require_referrer

PERSON_FIELDS = (
    "full_name",
    "nicknames",
    "date_of_birth",
    "approximate_age",
    "description",
    "phone_numbers",
    "vehicles",
    "addresses",
)


def person_problems(data: Mapping[str, Any]) -> dict[str, str]:
    """What a person of concern's details lack or get wrong, field → message."""
    problems: dict[str, str] = {}
    if not any(str(data.get(f) or "").strip() for f in ("full_name", "nicknames", "description")):
        problems["full_name"] = (
            "Enter the person's name, a name they are known by, or a description"
        )
    if data.get("date_of_birth") and data.get("approximate_age") is not None:
        problems["approximate_age"] = "Give either a date of birth or an approximate age, not both"
    return problems


def _clean_person(data: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(data) - set(PERSON_FIELDS)
    if unknown:
        raise ValueError(f"Not fields of a person of concern: {sorted(unknown)}")
    problems = person_problems(data)
    if problems:
        raise ValidationError(problems)
    return {k: v.strip() if isinstance(v, str) else v for k, v in data.items()}


@transaction.atomic
def referral_person_add(
    *, referral: Referral, by: Officer, data: dict[str, Any], relationship_to_child: str = ""
) -> PersonLink:
    """Name a person of concern in a draft, linked to the referral's child."""
    referral = locked(referral)
    agency_id = require_referrer(referral, by)
    require_draft(referral)
    person_data = _clean_person(data)
    with attributed(by):
        person = PersonOfConcern(recorded_by=by, recorded_by_agency_id=agency_id, **person_data)
        if person.approximate_age is not None:
            person.approximate_age_recorded_on = timezone.localdate()
        person.full_clean()
        person.save()
        link = PersonLink.objects.create(
            person=person,
            child_id=referral.child_id,
            referral=referral,
            relationship_to_child=relationship_to_child.strip(),
            linked_by=by,
            linked_by_agency_id=agency_id,
        )
        touch(referral)
    return link


@transaction.atomic
def referral_person_update(
    *, link: PersonLink, by: Officer, data: dict[str, Any], relationship_to_child: str = ""
) -> PersonLink:
    """Change a person named in a draft. Only a person this draft recorded can be changed
    here; a person also linked elsewhere belongs to more than this referral."""
    referral = locked_referral_of(link)
    require_referrer(referral, by)
    require_draft(referral)
    person = link.person
    if person.links.exclude(pk=link.pk).exists():
        raise ValidationError(
            "This person is linked to other records too, so their details cannot be changed "
            "from this referral."
        )
    person_data = _clean_person(data)
    with attributed(by):
        age_changed = person_data.get("approximate_age") != person.approximate_age
        for field, value in person_data.items():
            setattr(person, field, value)
        if age_changed:
            person.approximate_age_recorded_on = (
                timezone.localdate() if person.approximate_age is not None else None
            )
        person.updated_at = timezone.now()
        person.full_clean()
        person.save()
        link.relationship_to_child = relationship_to_child.strip()
        link.save(update_fields=["relationship_to_child"])
        touch(referral)
    return link


@transaction.atomic
def referral_person_remove(*, link: PersonLink, by: Officer) -> None:
    """Take a person out of a draft; a person recorded only for this draft goes too."""
    referral = locked_referral_of(link)
    require_referrer(referral, by)
    require_draft(referral)
    person = link.person
    with attributed(by):
        link.delete()
        if not person.links.exists():
            person.delete()
        touch(referral)
