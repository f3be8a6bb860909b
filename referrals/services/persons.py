"""Writes of persons of concern named in a draft referral, and their links to its child.

A person belongs to no single referral (G30): a draft changes only a person it recorded and
no other record links, and removing a person from a draft removes a person recorded only
for it.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cse_portal.lifecycle import attributed, claim_version, touch
from cse_portal.models import Officer
from referrals.models import PersonLink, PersonOfConcern, Referral, RiskAssessment
from referrals.services.common import (
    FORM_USED,
    locked,
    locked_referral_of,
    require_draft,
    require_referrer,
)

PERSON_FIELDS = (
    "full_name",
    "nicknames",
    "date_of_birth",
    "approximate_age",
    "description",
    "phone_numbers",
    "vehicles",
    "vehicle_registrations",
    "addresses",
)


def normalise_registration(text: str) -> str:
    """A vehicle registration as recorded and matched (G30): upper case, letters and digits
    only, so "ab12 cde" and "AB12CDE" are the same vehicle."""
    return "".join(ch for ch in text.upper() if ch.isascii() and ch.isalnum())


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


def clean_person(data: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(data) - set(PERSON_FIELDS)
    if unknown:
        raise ValueError(f"Not fields of a person of concern: {sorted(unknown)}")
    problems = person_problems(data)
    if problems:
        raise ValidationError(problems)
    return {k: v.strip() if isinstance(v, str) else v for k, v in data.items()}


def link_added_by_key(
    creation_key: uuid.UUID | None, *, used: str, **record: Referral | RiskAssessment
) -> PersonLink | None:
    """The link the form with this key added to the record (`referral=` or `assessment=`)
    already, if any; `used` is the error when the key added a person to another record."""
    if creation_key is None:
        return None
    person = PersonOfConcern.objects.filter(creation_key=creation_key).first()
    if person is None:
        return None
    link = person.links.filter(**record).select_related("person").first()
    if link is None:
        raise ValidationError(used)
    return link


def new_person(
    *,
    by: Officer,
    agency_id: int,
    person_data: dict[str, Any],
    creation_key: uuid.UUID | None,
) -> PersonOfConcern:
    """Save a new person of concern (details cleaned by `clean_person`), inside the caller's
    transaction and attribution. A key already used (the same form posted elsewhere at the
    same moment) is refused with FORM_USED."""
    person = PersonOfConcern(
        recorded_by=by,
        recorded_by_agency_id=agency_id,
        creation_key=creation_key,
        **person_data,
    )
    if person.approximate_age is not None:
        person.approximate_age_recorded_on = timezone.localdate()
    person.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError:
        if (
            creation_key is None
            or not PersonOfConcern.objects.filter(creation_key=creation_key).exists()
        ):
            raise
        raise ValidationError(FORM_USED) from None
    return person


@transaction.atomic
def referral_person_add(
    *,
    referral: Referral,
    by: Officer,
    data: dict[str, Any],
    relationship_to_child: str = "",
    creation_key: uuid.UUID | None = None,
) -> PersonLink:
    """Name a person of concern in a draft, linked to the referral's child. The same
    `creation_key` twice (a re-posted form) returns the link the first post made."""
    referral = locked(referral)
    agency_id = require_referrer(referral, by)
    require_draft(referral)
    # The referral's row is locked: posts to this referral come one at a time.
    existing = link_added_by_key(creation_key, used=FORM_USED, referral=referral)
    if existing is not None:
        return existing
    person_data = clean_person(data)
    with attributed(by):
        person = new_person(
            by=by, agency_id=agency_id, person_data=person_data, creation_key=creation_key
        )
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


def _dated_age(person: PersonOfConcern, changes: dict[str, Any]) -> dict[str, Any]:
    """The changes with the approximate age dated. An estimate is "about N" on the day it was
    recorded and grows a year a year; the form shows today's figure, so the same figure back
    is no change (the estimate keeps its date and does not drift), and another is re-dated."""
    if "approximate_age" not in changes:
        return changes
    age = changes["approximate_age"]
    today_estimate = person.age if person.approximate_age is not None else None
    if age is not None and age == today_estimate:
        return {k: v for k, v in changes.items() if k != "approximate_age"}
    return {
        **changes,
        "approximate_age_recorded_on": timezone.localdate() if age is not None else None,
    }


@transaction.atomic
def referral_person_update(
    *,
    link: PersonLink,
    by: Officer,
    data: dict[str, Any],
    expected_version: int,
    relationship_to_child: str = "",
) -> PersonLink:
    """Change a person named in a draft, unless someone else saved the person since
    `expected_version` (ConcurrentEditError: the check and the write are one UPDATE … WHERE
    version = expected, so nothing is overwritten). Only a person this draft recorded can be
    changed here; a person also linked elsewhere belongs to more than this referral."""
    referral = locked_referral_of(link)
    require_referrer(referral, by)
    require_draft(referral)
    person = PersonOfConcern.objects.get(pk=link.person_id)
    if person.links.exclude(pk=link.pk).exists():
        raise ValidationError(
            "This person is linked to other records too, so their details cannot be changed "
            "from this referral."
        )
    changes = _dated_age(person, clean_person(data))
    with attributed(by):
        for field, value in changes.items():
            setattr(person, field, value)
        person.full_clean(validate_unique=False)
        claim_version(person, expected_version, **changes)
        link.person.refresh_from_db()
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
