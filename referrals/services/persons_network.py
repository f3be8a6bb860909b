"""Writes of persons of concern across children (G30–G32): naming a person already known on
another child's record, merging two records of the same person, and recording disruption
actions against a person.

The officer may use only persons linked to children their agency may see
(`referrals.selectors_persons`); the views fetch through that door first and these
functions check again, inside the transaction, on locked rows.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cse_portal.lifecycle import attributed, touch
from cse_portal.models import Officer
from referrals.models import (
    DisruptionAction,
    DisruptionAddendum,
    DisruptionKind,
    PersonLink,
    PersonMerge,
    PersonOfConcern,
    Referral,
    RiskAssessment,
)
from referrals.selectors_persons import is_convening, persons_visible_to
from referrals.services.common import FORM_USED, locked, require_draft, require_referrer

ALREADY_MERGED = (
    "One of these records has just been merged by someone else. Open the person's page again "
    "to see the record as it is now."
)


def _visible_person(by: Officer, person_pk: int, *, lock: bool = False) -> PersonOfConcern:
    persons = persons_visible_to(by)
    if lock:
        persons = PersonOfConcern.objects.select_for_update().filter(pk__in=persons.values("pk"))
    person = persons.filter(pk=person_pk).first()
    if person is None:
        raise ValidationError({"person": "Choose a person from the list"})
    return person


@transaction.atomic
def referral_person_link_existing(
    *, referral: Referral, by: Officer, person_pk: int, relationship_to_child: str = ""
) -> PersonLink:
    """Name, in a draft, a person already linked to a child the officer's agency may see
    (G30). The same person twice on one referral is one link (a re-posted form finds it)."""
    referral = locked(referral)
    agency_id = require_referrer(referral, by)
    require_draft(referral)
    person = _visible_person(by, person_pk)
    if hasattr(person, "merged_record"):
        raise ValidationError({"person": ALREADY_MERGED})
    existing = person.links.filter(referral=referral).first()
    if existing is not None:
        return existing
    with attributed(by):
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


def merge_problems(*, keep: PersonOfConcern, merge: PersonOfConcern, reason: str) -> dict[str, str]:
    problems: dict[str, str] = {}
    if keep.pk == merge.pk:
        problems["other"] = "Choose a different record to merge with this one"
    if not reason.strip():
        problems["reason"] = "Enter why these records are the same person"
    return problems


@transaction.atomic
def person_merge(*, by: Officer, keep_pk: int, merge_pk: int, reason: str) -> PersonMerge:
    """Merge record `merge_pk` into `keep_pk` (G30): children's social care and police only.

    The merged record stays, marked merged; the survivor is linked to every child the merged
    record was linked to; links in drafts (referrals and assessments) move to the survivor (a
    sent referral's or finalised assessment's links are fixed and keep naming the record it
    named). Both rows are locked, so of two merges at once the second is refused."""
    if not is_convening(by) or by.agency_id is None:
        raise PermissionDenied("Only children's social care and police can merge records.")
    records = {
        p.pk: p
        for p in [_visible_person(by, keep_pk, lock=True), _visible_person(by, merge_pk, lock=True)]
    }
    keep, merge = records[keep_pk], records.get(merge_pk, records[keep_pk])
    problems = merge_problems(keep=keep, merge=merge, reason=reason)
    if problems:
        raise ValidationError(problems)
    if PersonMerge.objects.filter(duplicate_id__in=[keep.pk, merge.pk]).exists():
        raise ValidationError(ALREADY_MERGED)
    with attributed(by):
        record = PersonMerge.objects.create(
            duplicate=merge,
            survivor=keep,
            reason=reason.strip(),
            merged_by=by,
            merged_by_agency_id=by.agency_id,
        )
        _move_links(merge, keep, by, by.agency_id)
    return record


def _move_links(merge: PersonOfConcern, keep: PersonOfConcern, by: Officer, agency_id: int) -> None:
    kept_children = set(keep.links.values_list("child_id", flat=True))
    kept_referrals = set(keep.links.exclude(referral=None).values_list("referral_id", flat=True))
    kept_assessments = set(
        keep.links.exclude(assessment=None).values_list("assessment_id", flat=True)
    )
    links = merge.links.select_related("referral", "assessment").order_by("linked_at", "pk")
    for link in links:
        draft = _draft_of(link)
        if draft is not None:
            kept = kept_referrals if link.referral_id is not None else kept_assessments
            if draft.pk in kept:
                link.delete()  # the draft names the survivor already
            else:
                link.person = keep
                link.save(update_fields=["person"])
                touch(draft)
            kept_children.add(link.child_id)
            continue
        # A final record's link is fixed and keeps naming the record it named; the survivor
        # is linked to the child by no record.
        if link.child_id not in kept_children:
            PersonLink.objects.create(
                person=keep,
                child_id=link.child_id,
                relationship_to_child=link.relationship_to_child,
                linked_by=by,
                linked_by_agency_id=agency_id,
            )
            kept_children.add(link.child_id)


def _draft_of(link: PersonLink) -> Referral | RiskAssessment | None:
    """The draft referral or draft assessment that made the link, if it was one."""
    if link.referral is not None and link.referral.is_draft:
        return link.referral
    if link.assessment is not None and link.assessment.is_draft:
        return link.assessment
    return None


def disruption_problems(data: dict[str, Any]) -> dict[str, str]:
    problems: dict[str, str] = {}
    if data.get("kind") not in DisruptionKind.values:
        problems["kind"] = "Select the action taken"
    elif data["kind"] == DisruptionKind.OTHER and not str(data.get("other_kind") or "").strip():
        problems["other_kind"] = "Enter what the action was"
    when = data.get("action_date")
    if not isinstance(when, date):
        problems["action_date"] = "Enter the date of the action"
    elif when > timezone.localdate():
        problems["action_date"] = "The date of the action must be today or in the past"
    return problems


@transaction.atomic
def disruption_record(
    *, person: PersonOfConcern, by: Officer, data: dict[str, Any], creation_key: uuid.UUID | None
) -> DisruptionAction:
    """Record a disruption action against a person the officer may see (G32), attributed to
    the officer and their agency; frozen once recorded. The same form twice records once."""
    if by.agency_id is None:
        raise PermissionDenied("Only an officer of an agency can record an action.")
    person = _visible_person(by, person.pk)
    key = creation_key or uuid.uuid4()
    existing = DisruptionAction.objects.filter(creation_key=key).first()
    if existing is not None:
        if existing.person_id != person.pk:
            raise ValidationError(FORM_USED)
        return existing
    problems = disruption_problems(data)
    if problems:
        raise ValidationError(problems)
    with attributed(by):
        try:
            with transaction.atomic():
                return DisruptionAction.objects.create(
                    person=person,
                    kind=data["kind"],
                    other_kind=str(data.get("other_kind") or "").strip()
                    if data["kind"] == DisruptionKind.OTHER
                    else "",
                    action_date=data["action_date"],
                    agency_id=by.agency_id,
                    outcome=str(data.get("outcome") or "").strip(),
                    note=str(data.get("note") or "").strip(),
                    recorded_by=by,
                    creation_key=key,
                )
        except IntegrityError:  # the same form posted at the same moment
            found = DisruptionAction.objects.filter(creation_key=key, person=person).first()
            if found is None:
                raise
            return found


@transaction.atomic
def disruption_addendum_add(
    *, action: DisruptionAction, by: Officer, text: str, creation_key: uuid.UUID | None
) -> DisruptionAddendum:
    """A correction or addition to a disruption action; the action itself stays as it was."""
    if by.agency_id is None:
        raise PermissionDenied("Only an officer of an agency can add an addendum.")
    _visible_person(by, action.person_id)
    if not text.strip():
        raise ValidationError({"text": "Enter the correction or addition"})
    key = creation_key or uuid.uuid4()
    existing = DisruptionAddendum.objects.filter(creation_key=key).first()
    if existing is not None:
        return existing
    with attributed(by):
        return DisruptionAddendum.objects.create(
            action=action, text=text.strip(), added_by=by, agency_id=by.agency_id, creation_key=key
        )
