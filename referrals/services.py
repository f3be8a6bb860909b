"""Writes of the referral pathway. Keyword-only; the acting officer is passed in.

Who may do what:
- the referring agency's officers write a draft and send it;
- the receiving children's social care (CSC) agency's officers acknowledge, decide and record
  that the team manager and IRO were informed.
The views fetch the referral through the access layer first (404 when the child is not
visible); these functions then check the officer's part and the referral's state, with the
referral row locked (SELECT … FOR UPDATE) so two requests cannot both act on one state.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import pghistory
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from cse_portal import services as core_services
from cse_portal.models import Child, Involvement, LookedAfterStatus, Officer
from cse_portal.services import ConcurrentEditError
from cse_portal.working_days import decision_due
from referrals.models import (
    Consent,
    LawfulBasis,
    LookedAfterNotice,
    Outcome,
    PersonLink,
    PersonOfConcern,
    Referral,
    ReferralAcknowledgement,
    ReferralDecision,
    ReferralIndicator,
    ReferralPlace,
    YesNoNotKnown,
)

if TYPE_CHECKING:
    from screening.models import Screening

__all__ = [
    "DETAIL_FIELDS",
    "PERSON_FIELDS",
    "PLACE_FIELDS",
    "ConcurrentEditError",
    "SubmitResult",
    "referral_acknowledge",
    "referral_create",
    "referral_create_for_unidentified_child",
    "referral_decide",
    "referral_person_add",
    "referral_person_remove",
    "referral_person_update",
    "referral_place_add",
    "referral_place_remove",
    "referral_record_looked_after_notice",
    "referral_submit",
    "referral_update",
    "submission_problems",
]

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
PLACE_FIELDS = ("name", "address", "description")


def _attributed(by: Officer) -> pghistory.context:  # type: ignore[name-defined]
    return pghistory.context(user=by.pk)


def _agency_id(by: Officer) -> int:
    if by.agency_id is None:
        raise ValidationError("Only an officer of an agency can do this.")
    return by.agency_id


def _locked(referral: Referral) -> Referral:
    """The referral's row, locked until the transaction ends, with its current state."""
    return Referral.objects.select_for_update().get(pk=referral.pk)


def _require_referring_agency(referral: Referral, by: Officer) -> None:
    if by.agency_id is None or by.agency_id != referral.referring_agency_id:
        raise ValidationError("Only an officer of the referring agency can change this referral.")


def _require_draft(referral: Referral) -> None:
    if not referral.is_draft:
        raise ValidationError("This referral has been sent and can no longer be changed.")


def _require_receiving_csc(referral: Referral, by: Officer) -> None:
    if not referral.is_submitted:
        raise ValidationError("This referral has not been sent yet.")
    if by.agency_id is None or by.agency_id != referral.to_agency_id:
        raise ValidationError(
            "Only an officer of the children's social care that received the referral can do this."
        )


def _clean_details(data: dict[str, Any]) -> dict[str, Any]:
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
    return cleaned


# --- Starting a referral ------------------------------------------------------------------


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
        raise ValidationError("Only an officer of an agency can make a referral.")
    creation_key = creation_key or uuid.uuid4()
    existing = Referral.objects.filter(creation_key=creation_key).first()
    if existing is not None:
        if existing.child_id != child.pk or existing.referring_agency_id != by.agency_id:
            raise ValidationError("This form has already been used. Start the referral again.")
        return existing, False
    if screening is not None:
        if screening.child_id != child.pk:
            raise ValidationError("The screening is of another child.")
        if screening.agency_id != by.agency_id:
            raise ValidationError("Only the agency that screened the child can refer from it.")
        from_screening = Referral.objects.filter(screening=screening).first()
        if from_screening is not None:
            return from_screening, False
    with _attributed(by):
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
    from screening.selectors import present_answers

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
    referral about them (G10). A re-posted form returns the first referral."""
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
    _require_referring_agency(referral, by)
    cleaned = _clean_details(data)
    with _attributed(by):
        changed = Referral.objects.filter(
            pk=referral.pk, version=expected_version, status=Referral.Status.DRAFT
        ).update(**cleaned, version=F("version") + 1, updated_at=timezone.now())
        if changed == 0:
            referral.refresh_from_db()
            _require_draft(referral)
            raise ConcurrentEditError
    referral.refresh_from_db()
    return referral


def _touch(referral: Referral) -> None:
    Referral.objects.filter(pk=referral.pk).update(
        version=F("version") + 1, updated_at=timezone.now()
    )


def _clean_person(data: dict[str, Any]) -> dict[str, Any]:
    unknown = set(data) - set(PERSON_FIELDS)
    if unknown:
        raise ValueError(f"Not fields of a person of concern: {sorted(unknown)}")
    cleaned = {k: v.strip() if isinstance(v, str) else v for k, v in data.items()}
    if not any(cleaned.get(f) for f in ("full_name", "nicknames", "description")):
        raise ValidationError(
            {"full_name": "Enter the person's name, a name they are known by, or a description"}
        )
    return cleaned


@transaction.atomic
def referral_person_add(
    *, referral: Referral, by: Officer, data: dict[str, Any], relationship_to_child: str = ""
) -> PersonLink:
    """Name a person of concern in a draft, linked to the referral's child."""
    referral = _locked(referral)
    _require_referring_agency(referral, by)
    _require_draft(referral)
    person_data = _clean_person(data)
    with _attributed(by):
        person = PersonOfConcern(
            recorded_by=by, recorded_by_agency_id=_agency_id(by), **person_data
        )
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
            linked_by_agency_id=_agency_id(by),
        )
        _touch(referral)
    return link


@transaction.atomic
def referral_person_update(
    *, link: PersonLink, by: Officer, data: dict[str, Any], relationship_to_child: str = ""
) -> PersonLink:
    """Change a person named in a draft. Only a person this draft recorded can be changed
    here; a person also linked elsewhere belongs to more than this referral."""
    referral = _locked(link.referral)  # type: ignore[arg-type]
    _require_referring_agency(referral, by)
    _require_draft(referral)
    person = link.person
    if person.links.exclude(pk=link.pk).exists():
        raise ValidationError(
            "This person is linked to other records too, so their details cannot be changed "
            "from this referral."
        )
    person_data = _clean_person(data)
    with _attributed(by):
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
        _touch(referral)
    return link


@transaction.atomic
def referral_person_remove(*, link: PersonLink, by: Officer) -> None:
    """Take a person out of a draft; a person recorded only for this draft goes too."""
    referral = _locked(link.referral)  # type: ignore[arg-type]
    _require_referring_agency(referral, by)
    _require_draft(referral)
    person = link.person
    with _attributed(by):
        link.delete()
        if not person.links.exists():
            person.delete()
        _touch(referral)


@transaction.atomic
def referral_place_add(*, referral: Referral, by: Officer, data: dict[str, Any]) -> ReferralPlace:
    referral = _locked(referral)
    _require_referring_agency(referral, by)
    _require_draft(referral)
    unknown = set(data) - set(PLACE_FIELDS)
    if unknown:
        raise ValueError(f"Not fields of a place: {sorted(unknown)}")
    cleaned = {k: (v or "").strip() for k, v in data.items()}
    if not (cleaned.get("name") or cleaned.get("address")):
        raise ValidationError({"name": "Enter the name of the place or its address"})
    with _attributed(by):
        place = ReferralPlace.objects.create(referral=referral, **cleaned)
        _touch(referral)
    return place


@transaction.atomic
def referral_place_remove(*, place: ReferralPlace, by: Officer) -> None:
    referral = _locked(place.referral)
    _require_referring_agency(referral, by)
    _require_draft(referral)
    with _attributed(by):
        place.delete()
        _touch(referral)


# --- Sending --------------------------------------------------------------------------------


def submission_problems(referral: Referral) -> dict[str, str]:
    """What must be answered before the referral can be sent, field → message."""
    problems: dict[str, str] = {}
    if not referral.basis_of_concern.strip():
        problems["basis_of_concern"] = "Describe the concern: why you are making this referral"
    if not referral.parents_know:
        problems["parents_know"] = "Say whether the parents or carers know about the concern"
    elif referral.parents_know == YesNoNotKnown.NO and not referral.parents_not_informed_reason:
        problems["parents_not_informed_reason"] = (
            "Give the reason the parents or carers have not been told"
        )
    if not referral.young_person_knows:
        problems["young_person_knows"] = "Say whether the young person knows about the referral"
    if not referral.young_person_consents:
        problems["young_person_consents"] = "Say whether the young person agrees to the referral"
    elif referral.young_person_consents != Consent.GIVEN:
        if not referral.lawful_basis:
            problems["lawful_basis"] = (
                "Select the lawful basis for sharing information without the young person's "
                "agreement"
            )
        elif referral.lawful_basis == LawfulBasis.OTHER and not referral.lawful_basis_detail:
            problems["lawful_basis_detail"] = "Explain the lawful basis for sharing"
    return problems


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

    CSC becomes involved with the child (recorded, and access granted) and the decision falls
    due by the end of the next working day (G08). The row is locked and its status checked
    first, so a double click or a re-posted form sends the referral once: the second request
    finds it already sent and does nothing.

    `now` is for the demo data set and tests (a referral received last week); pages never
    pass it.
    """
    referral = _locked(referral)
    _require_referring_agency(referral, by)
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
    with _attributed(by):
        Referral.objects.filter(pk=referral.pk, status=Referral.Status.DRAFT).update(
            status=Referral.Status.SUBMITTED,
            to_agency=csc,
            submitted_by=by,
            received_at=now,
            decision_due=decision_due(now),
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
    return SubmitResult(referral, newly_sent=True)


# --- Children's social care's response ------------------------------------------------------


def _one_row(create: Any, what: str) -> Any:
    try:
        with transaction.atomic():
            return create()
    except IntegrityError as error:
        raise ValidationError(f"{what} has already been recorded for this referral.") from error


@transaction.atomic
def referral_acknowledge(
    *,
    referral: Referral,
    by: Officer,
    message: str,
    action_being_taken: str,
    now: datetime | None = None,
) -> ReferralAcknowledgement:
    """Record CSC's written confirmation to the referrer (G07): received, and the action
    being taken. Sent now, by the officer recording it."""
    referral = _locked(referral)
    _require_receiving_csc(referral, by)
    message, action_being_taken = message.strip(), action_being_taken.strip()
    errors = {}
    if not message:
        errors["message"] = "Enter the confirmation to send to the referrer"
    if not action_being_taken:
        errors["action_being_taken"] = "Enter the action being taken about the referral"
    if errors:
        raise ValidationError(errors)
    if ReferralAcknowledgement.objects.filter(referral=referral).exists():
        raise ValidationError("The acknowledgement has already been sent.")
    with _attributed(by):
        return _one_row(
            lambda: ReferralAcknowledgement.objects.create(
                referral=referral,
                message=message,
                action_being_taken=action_being_taken,
                sent_by=by,
                sent_by_agency_id=_agency_id(by),
                sent_at=now or timezone.now(),
            ),
            "An acknowledgement",
        )


DECIDING_ROLES = (Officer.Role.SOCIAL_WORKER, Officer.Role.TEAM_MANAGER)


@transaction.atomic
def referral_decide(
    *,
    referral: Referral,
    by: Officer,
    outcome: str,
    rationale: str,
    decided_by: Officer,
    approved_by: Officer,
    now: datetime | None = None,
) -> ReferralDecision:
    """Record the decision: exactly one of the three outcomes (G09), with its rationale, the
    social worker who decided and the team manager who approved."""
    referral = _locked(referral)
    _require_receiving_csc(referral, by)
    errors = {}
    if outcome not in Outcome.values:
        errors["outcome"] = "Select the decision"
    if not rationale.strip():
        errors["rationale"] = "Enter the reasons for the decision"
    if decided_by.agency_id != referral.to_agency_id or decided_by.role not in DECIDING_ROLES:
        errors["decided_by"] = "Select the social worker who made the decision"
    if (
        approved_by.agency_id != referral.to_agency_id
        or approved_by.role != Officer.Role.TEAM_MANAGER
    ):
        errors["approved_by"] = "Select the team manager who approved the decision"
    if errors:
        raise ValidationError(errors)
    if ReferralDecision.objects.filter(referral=referral).exists():
        raise ValidationError("A decision has already been recorded for this referral.")
    with _attributed(by):
        return _one_row(
            lambda: ReferralDecision.objects.create(
                referral=referral,
                outcome=outcome,
                rationale=rationale.strip(),
                decided_by=decided_by,
                approved_by=approved_by,
                recorded_by=by,
                agency_id=_agency_id(by),
                decided_at=now or timezone.now(),
            ),
            "A decision",
        )


@transaction.atomic
def referral_record_looked_after_notice(
    *,
    referral: Referral,
    by: Officer,
    team_manager: Officer,
    informed_at: datetime,
    method: str,
    iro: Officer | None = None,
    iro_name: str = "",
    detail: str = "",
) -> LookedAfterNotice:
    """Record that the team manager and the IRO were informed of a referral about a
    looked-after child (G11)."""
    referral = _locked(referral)
    _require_receiving_csc(referral, by)
    if referral.looked_after_status_at_submission != LookedAfterStatus.LOOKED_AFTER:
        raise ValidationError("The child was not looked after when the referral was sent.")
    errors = {}
    if (
        team_manager.agency_id != referral.to_agency_id
        or team_manager.role != Officer.Role.TEAM_MANAGER
    ):
        errors["team_manager"] = "Select the team manager you informed"
    if iro is not None and iro.role != Officer.Role.IRO:
        errors["iro"] = "Select the independent reviewing officer you informed"
    if iro is None and not iro_name.strip():
        errors["iro"] = "Select the independent reviewing officer, or enter their name"
    if method not in LookedAfterNotice.Method.values:
        errors["method"] = "Select how you informed them"
    if informed_at > timezone.now():
        errors["informed_on"] = "The date and time must be now or in the past"
    elif referral.received_at and informed_at < referral.received_at.replace(
        second=0, microsecond=0
    ):
        errors["informed_on"] = "The date and time must be after the referral was received"
    if errors:
        raise ValidationError(errors)
    if LookedAfterNotice.objects.filter(referral=referral).exists():
        raise ValidationError("This has already been recorded for this referral.")
    with _attributed(by):
        return _one_row(
            lambda: LookedAfterNotice.objects.create(
                referral=referral,
                team_manager=team_manager,
                iro=iro,
                iro_name="" if iro else iro_name.strip(),
                informed_at=informed_at,
                method=method,
                detail=detail.strip(),
                recorded_by=by,
            ),
            "Informing the team manager and the IRO",
        )
