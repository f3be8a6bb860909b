"""Writes of the CSE1 referral itself: starting it, writing its details and places, sending it.

The referring agency's officers write a draft and send it. Who may act is checked on the
referral's locked row (`common`), so two requests cannot both act on one state.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from cse_portal import services as core_services
from cse_portal.lifecycle import ConcurrentEditError, attributed, claim_version, touch
from cse_portal.models import Child, Involvement, Officer
from cse_portal.themes_summary import records_changed
from cse_portal.working_days import acknowledgement_due, decision_due
from referrals.models import (
    Consent,
    LawfulBasis,
    Referral,
    ReferralIndicator,
    ReferralPlace,
    YesNoNotKnown,
)
from referrals.services.common import (
    FORM_USED,
    lock_creation_key,
    locked,
    require_draft,
    require_referrer,
)
from screening.models import Screening
from screening.selectors import present_answers

# The referral's own fields a draft's form may write.
DETAIL_FIELDS = (
    "basis_of_concern",
    "parents_know",
    "parents_not_informed_reason",
    "young_person_knows",
    "young_person_consents",
    "lawful_basis",
    "lawful_basis_detail",
    "looked_after_confirmed",
    "placement_details",
    "other_agencies",
)
PLACE_FIELDS = ("name", "address", "description")


def _clean_details(data: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(data) - set(DETAIL_FIELDS)
    if unknown:
        raise ValueError(f"Not fields of a referral's details: {sorted(unknown)}")
    cleaned = {k: v.strip() if isinstance(v, str) else v for k, v in data.items()}
    # Answers that no longer apply are not kept: a reason for not informing the parents when
    # they have been informed would read as though they had not.
    if "parents_know" in cleaned and cleaned["parents_know"] != YesNoNotKnown.NO:
        cleaned["parents_not_informed_reason"] = ""
    if "young_person_consents" in cleaned and cleaned["young_person_consents"] == Consent.GIVEN:
        cleaned["lawful_basis"] = ""
        cleaned["lawful_basis_detail"] = ""
    # The explanation is asked for "Another basis" only (the page hides it otherwise).
    if "lawful_basis" in cleaned and cleaned["lawful_basis"] != LawfulBasis.OTHER:
        cleaned["lawful_basis_detail"] = ""
    return cleaned


def details_problems(details: Mapping[str, Any]) -> dict[str, str]:
    """The answers of a referral's details that are missing or do not agree, field → message:
    the concern, the reason the parents were not told, and the lawful basis for sharing
    without the young person's agreement. The details page saves a draft only without these;
    `submission_problems` includes them."""

    def text(name: str) -> str:
        return str(details.get(name) or "").strip()

    problems: dict[str, str] = {}
    if not text("basis_of_concern"):
        problems["basis_of_concern"] = "Describe the concern: why you are making this referral"
    if details.get("parents_know") == YesNoNotKnown.NO and not text("parents_not_informed_reason"):
        problems["parents_not_informed_reason"] = (
            "Give the reason the parents or carers have not been told"
        )
    consents = details.get("young_person_consents")
    if consents and consents != Consent.GIVEN:
        if not details.get("lawful_basis"):
            problems["lawful_basis"] = (
                "Select the lawful basis for sharing information without the young person's "
                "agreement"
            )
        elif details.get("lawful_basis") == LawfulBasis.OTHER and not text("lawful_basis_detail"):
            problems["lawful_basis_detail"] = "Explain the lawful basis for sharing"
    return problems


# --- Starting a referral ------------------------------------------------------------------


def _already_started(
    *, child: Child, by: Officer, creation_key: uuid.UUID, screening: Screening | None
) -> Referral | None:
    """The referral this form (or this screening) already started, if any."""
    existing = Referral.objects.filter(creation_key=creation_key).first()
    if existing is not None:
        if existing.child_id != child.pk or existing.referring_agency_id != by.agency_id:
            raise ValidationError("This form has already been used. Start the referral again.")
        return existing
    if screening is not None:
        if screening.child_id != child.pk:
            raise ValidationError("The screening is of another child.")
        if screening.agency_id != by.agency_id:
            raise PermissionDenied("Only the agency that screened the child can refer from it.")
        return Referral.objects.filter(screening=screening).first()
    return None


@transaction.atomic
def referral_create(
    *,
    child: Child,
    by: Officer,
    creation_key: uuid.UUID | None = None,
    data: dict[str, Any] | None = None,
    screening: Screening | None = None,
) -> tuple[Referral, bool]:
    """Start a draft referral of `child` for the officer's agency. Returns (referral, created).

    The same `creation_key` twice (a re-posted form) returns the first referral. A screening
    that concluded "refer" starts one referral, with its present indicators copied (G06); a
    second start from the same screening returns that referral.
    """
    if by.agency_id is None:
        raise PermissionDenied("Only an officer of an agency can make a referral.")
    creation_key = creation_key or uuid.uuid4()
    existing = _already_started(child=child, by=by, creation_key=creation_key, screening=screening)
    if existing is not None:
        return existing, False
    with attributed(by):
        try:
            with transaction.atomic():
                referral = Referral.objects.create(
                    child=child,
                    screening=screening,
                    referring_agency_id=by.agency_id,
                    referred_by=by,
                    creation_key=creation_key,
                    **_clean_details(data or {}),
                )
        except IntegrityError:
            # Two posts of the same form at once: the other one made it.
            existing = Referral.objects.filter(creation_key=creation_key).first() or (
                Referral.objects.filter(screening=screening).first() if screening else None
            )
            if existing is None:
                raise
            return existing, False
        if screening is not None:
            _copy_indicators(referral, screening)
    return referral, True


def _copy_indicators(referral: Referral, screening: Screening) -> None:
    rows = []
    for position, answer in enumerate(present_answers(screening), start=1):
        indicator = answer.indicator
        heading = indicator.heading
        rows.append(
            ReferralIndicator(
                referral=referral,
                position=position,
                code=indicator.code,
                heading=f"{heading.letter} — {heading.title}",
                text=indicator.text,
                kind=indicator.kind,
                kind_label=indicator.get_kind_display(),
                note=answer.note,
            )
        )
    ReferralIndicator.objects.bulk_create(rows)


@transaction.atomic
def referral_create_for_unidentified_child(
    *, by: Officer, child_data: dict[str, Any], creation_key: uuid.UUID
) -> tuple[Referral, bool]:
    """Record a child whose identity is not yet known, with what is known, and start a draft
    referral about them (G10). A re-posted form returns the first referral, and makes no
    second child: posts of the same form wait for each other on the key (the child is made
    before the referral that holds the key)."""
    lock_creation_key(creation_key)
    existing = Referral.objects.filter(creation_key=creation_key).first()
    if existing is not None:
        if existing.referring_agency_id != by.agency_id:
            raise ValidationError("This form has already been used. Start the referral again.")
        return existing, False
    child = core_services.child_create(by=by, data={**child_data, "is_identified": False})
    return referral_create(child=child, by=by, creation_key=creation_key)


# --- Writing the draft ----------------------------------------------------------------------


@transaction.atomic
def referral_update(
    *, referral: Referral, by: Officer, data: dict[str, Any], expected_version: int
) -> Referral:
    """Save a draft's details unless someone else saved it since `expected_version`: the check
    and the write are one UPDATE … WHERE version = expected, so nothing is overwritten."""
    require_referrer(referral, by)
    cleaned = _clean_details(data)
    with attributed(by):
        try:
            claim_version(
                referral, expected_version, where=Q(status=Referral.Status.DRAFT), **cleaned
            )
        except ConcurrentEditError:
            referral.refresh_from_db()
            require_draft(referral)
            raise
    referral.refresh_from_db()
    return referral


def place_problems(data: Mapping[str, Any]) -> dict[str, str]:
    """What a place of concern lacks, field → message."""
    if not (str(data.get("name") or "").strip() or str(data.get("address") or "").strip()):
        return {"name": "Enter the name of the place or its address"}
    return {}


@transaction.atomic
def referral_place_add(
    *,
    referral: Referral,
    by: Officer,
    data: dict[str, Any],
    creation_key: uuid.UUID | None = None,
) -> ReferralPlace:
    """Name a place of concern in a draft. The same `creation_key` twice (a re-posted form)
    returns the place the first post added."""
    referral = locked(referral)
    require_referrer(referral, by)
    require_draft(referral)
    unknown = set(data) - set(PLACE_FIELDS)
    if unknown:
        raise ValueError(f"Not fields of a place: {sorted(unknown)}")
    if creation_key is not None:
        # The referral's row is locked: posts to this referral come one at a time.
        existing = ReferralPlace.objects.filter(creation_key=creation_key).first()
        if existing is not None:
            if existing.referral_id != referral.pk:
                raise ValidationError(FORM_USED)
            return existing
    problems = place_problems(data)
    if problems:
        raise ValidationError(problems)
    with attributed(by):
        try:
            with transaction.atomic():
                place = ReferralPlace.objects.create(
                    referral=referral,
                    creation_key=creation_key,
                    **{k: (v or "").strip() for k, v in data.items()},
                )
        except IntegrityError:
            # The same key posted to another referral at the same moment.
            if not ReferralPlace.objects.filter(creation_key=creation_key).exists():
                raise
            raise ValidationError(FORM_USED) from None
        touch(referral)
    return place


@transaction.atomic
def referral_place_remove(*, place: ReferralPlace, by: Officer) -> None:
    referral = locked(place.referral)
    require_referrer(referral, by)
    require_draft(referral)
    with attributed(by):
        place.delete()
        touch(referral)


# --- Sending --------------------------------------------------------------------------------


def submission_problems(referral: Referral) -> dict[str, str]:
    """What must be answered before the referral can be sent, field → message (in the order
    of the form)."""
    problems = details_problems({name: getattr(referral, name) for name in DETAIL_FIELDS})
    if not referral.parents_know:
        problems["parents_know"] = "Say whether the parents or carers know about the concern"
    if not referral.young_person_knows:
        problems["young_person_knows"] = "Say whether the young person knows about the referral"
    if not referral.young_person_consents:
        problems["young_person_consents"] = "Say whether the young person agrees to the referral"
    return {name: problems[name] for name in DETAIL_FIELDS if name in problems}


@dataclass(frozen=True)
class SubmitResult:
    referral: Referral
    newly_sent: bool  # False when it had already been sent (a repeated click or re-POST)


@transaction.atomic
def referral_submit(
    *,
    referral: Referral,
    by: Officer,
    submission_key: uuid.UUID,
    now: datetime | None = None,
) -> SubmitResult:
    """Send a draft to the children's social care of the child's home authority.

    CSC becomes involved with the child (recorded, and access granted) and the decision and
    the acknowledgement fall due one working day after receipt (G07, G08). The row is locked and its status checked
    first, so a double click or a re-posted form sends the referral once: the second request
    finds it already sent and does nothing.

    `now` is for the demo data set and tests (a referral received last week); pages never
    pass it.
    """
    referral = locked(referral)
    require_referrer(referral, by)
    if referral.is_submitted:
        return SubmitResult(referral, newly_sent=False)
    if Referral.objects.filter(submission_key=submission_key).exists():
        raise ValidationError("This form has already been used. Open the referral again.")
    problems = submission_problems(referral)
    if problems:
        raise ValidationError(problems)
    child = Child.objects.select_related("home_authority").get(pk=referral.child_id)
    csc = child.home_authority.childrens_social_care
    if csc is None:
        raise ValidationError(
            f"No children's social care is set up for {child.home_authority} on the portal. "
            "Contact them by phone and ask your system administrator to add them."
        )
    now = now or timezone.now()
    with attributed(by):
        # The row is locked and a draft: no version to claim, but the version moves on so a
        # form opened before sending is stale.
        Referral.objects.filter(pk=referral.pk, status=Referral.Status.DRAFT).update(
            status=Referral.Status.SUBMITTED,
            to_agency=csc,
            submitted_by=by,
            received_at=now,
            decision_due=decision_due(now),
            acknowledgement_due=acknowledgement_due(now),
            submission_key=submission_key,
            child_identified_at_submission=child.is_identified,
            looked_after_status_at_submission=child.looked_after_status,
            updated_at=now,
            version=F("version") + 1,
        )
        core_services.involvement_grant(
            child=child,
            agency=csc,
            reason=Involvement.Reason.REFERRAL,
            by=by,
            note=f"CSE1 referral {referral.reference} from {by.agency}.",
        )
    referral.refresh_from_db()
    records_changed([child.pk])
    return SubmitResult(referral, newly_sent=True)
