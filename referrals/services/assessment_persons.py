"""Writes of the persons of concern a draft risk assessment names (G30): a person already
linked to a child the assessing agency may see (`referrals.selectors_persons.pickable_by`),
or a new one, linked to the assessment's child; the connection to the child changed, or the
link removed, while the assessment is a draft. Once it is finalised the database keeps its
links as they were (a trigger on PersonLink).

As in `assessment`: the acting officer is passed in, every write is attributed, a refusal for
lack of permission is PermissionDenied and one for the record's state or the rules is
ValidationError. Each write bumps the draft's version (optimistic locking): a save begun
from the draft as it was is then stale.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError, Q

from cse_portal.lifecycle import attributed, claim_version, touch
from cse_portal.models import Officer
from referrals.models import AssessmentStatus, PersonLink, PersonOfConcern, RiskAssessment
from referrals.selectors_persons import pickable_by
from referrals.services.assessment import USED_FORM, locked, require_draft_writer
from referrals.services.persons import clean_person, link_added_by_key, new_person

CHOOSE_FROM_LIST = "Choose a person from the list"


def _link(
    current: RiskAssessment, person: PersonOfConcern, by: Officer, relationship: str
) -> PersonLink:
    return PersonLink.objects.create(
        person=person,
        child_id=current.child_id,
        assessment=current,
        relationship_to_child=relationship.strip(),
        linked_by=by,
        linked_by_agency_id=current.agency_id,
    )


@transaction.atomic
def assessment_person_add(
    *,
    assessment: RiskAssessment,
    by: Officer,
    data: dict[str, Any],
    relationship_to_child: str = "",
    creation_key: uuid.UUID | None = None,
) -> PersonLink:
    """Name a new person of concern in a draft assessment, linked to its child. The same
    `creation_key` twice (a re-posted form) returns the link the first post made."""
    current = locked(assessment)
    require_draft_writer(current, by)
    # The assessment's row is locked: posts to it come one at a time.
    existing = link_added_by_key(creation_key, used=USED_FORM, assessment=current)
    if existing is not None:
        return existing
    person_data = clean_person(data)
    with attributed(by):
        person = new_person(
            by=by, agency_id=current.agency_id, person_data=person_data, creation_key=creation_key
        )
        link = _link(current, person, by, relationship_to_child)
        touch(current)
    return link


@transaction.atomic
def assessment_person_link_existing(
    *,
    assessment: RiskAssessment,
    by: Officer,
    person_pk: int,
    relationship_to_child: str = "",
) -> PersonLink:
    """Name, in a draft assessment, a person already linked to a child the officer's agency
    may see (G30). The same person twice is one link (a re-posted form finds it)."""
    current = locked(assessment)
    require_draft_writer(current, by)
    person = pickable_by(by).filter(pk=person_pk).first()
    if person is None:
        raise ValidationError({"person": CHOOSE_FROM_LIST})
    existing = person.links.filter(assessment=current).first()
    if existing is not None:
        return existing
    with attributed(by):
        link = _link(current, person, by, relationship_to_child)
        touch(current)
    return link


@transaction.atomic
def assessment_persons_from_referral(
    *, assessment: RiskAssessment, by: Officer, person_pks: list[int]
) -> list[PersonLink]:
    """Name in a draft the persons the referral it started from named (each of `person_pks`
    must be one of them, and pickable), with the connection the referral gave. A person
    named already is not named twice."""
    current = locked(assessment)
    require_draft_writer(current, by)
    if current.referral_id is None or not person_pks:
        raise ValidationError({"person": CHOOSE_FROM_LIST})
    offered = {
        link.person_id: link
        for link in PersonLink.objects.filter(
            referral_id=current.referral_id,
            person__in=pickable_by(by),
            person_id__in=person_pks,
        )
    }
    if set(person_pks) - set(offered):
        raise ValidationError({"person": CHOOSE_FROM_LIST})
    named = set(current.person_links.values_list("person_id", flat=True))
    links = []
    with attributed(by):
        for person_pk, from_referral in offered.items():
            if person_pk in named:
                continue
            links.append(
                _link(current, from_referral.person, by, from_referral.relationship_to_child)
            )
        if links:
            touch(current)
    return links


def _locked_draft_of(link: PersonLink, by: Officer) -> RiskAssessment:
    if link.assessment_id is None:
        raise ValidationError("This person was not named in this assessment.")
    current = RiskAssessment.objects.select_for_update().get(pk=link.assessment_id)
    require_draft_writer(current, by)
    return current


@transaction.atomic
def assessment_person_change(
    *, link: PersonLink, by: Officer, relationship_to_child: str, expected_version: int
) -> PersonLink:
    """Change how a person named in a draft is connected to the child, unless someone saved
    the draft since `expected_version` (ConcurrentEditError: nothing is overwritten). The
    person's own details belong to every record that names them, so they are not changed
    here."""
    current = _locked_draft_of(link, by)
    with attributed(by):
        claim_version(current, expected_version, where=Q(status=AssessmentStatus.DRAFT))
        link.relationship_to_child = relationship_to_child.strip()
        link.save(update_fields=["relationship_to_child"])
    return link


@transaction.atomic
def assessment_person_remove(*, link: PersonLink, by: Officer) -> None:
    """Take a person out of a draft assessment; a person recorded only for it goes too."""
    current = _locked_draft_of(link, by)
    person = link.person
    with attributed(by):
        link.delete()
        if not person.links.exists():
            try:
                with transaction.atomic():
                    person.delete()
            except ProtectedError:
                pass  # an action or a merge names the person: the record stays
        touch(current)
