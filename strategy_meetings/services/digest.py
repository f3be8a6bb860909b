"""The digest of the finalised record (G27): a canonical JSON of what the minutes and the plan
say as they are made final, and its SHA-256, stored in the same transaction and printed on
every page of the PDF, so a printed copy can be checked against the record.

Canonical: keys sorted, no insignificant whitespace, UTF-8, times in UTC (ISO 8601), dates
ISO, lists in a fixed order (by position or id). The JSON names people and agencies as the
record shows them then. Addenda and later progress are not part of it: they come after.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from typing import Any

from cse_portal.lifecycle import attributed
from cse_portal.models import Officer
from strategy_meetings.models import (
    ActionPlan,
    FinalisedDigest,
    Invitation,
    Meeting,
    SignUp,
)

SCHEMA = "cse-portal/strategy-meeting/1"


def _when(value: datetime | date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return value.isoformat()


def _person(officer: Officer | None) -> dict[str, Any] | None:
    if officer is None:
        return None
    return {"id": officer.pk, "name": str(officer), "agency": str(officer.agency or "")}


def _meeting_part(meeting: Meeting) -> dict[str, Any]:
    m = meeting
    return {
        "reference": m.reference,
        "id": m.pk,
        "child": {"id": str(m.child_id), "reference": m.child.reference},
        "origin": m.origin,
        "referral": m.referral.reference if m.referral_id and m.referral else None,
        "review_of": m.review_of.reference if m.review_of_id and m.review_of else None,
        "convening_agency": str(m.convening_agency),
        "convening_authority": str(m.convening_authority),
        "chair": _person(m.chair),
        "minute_taker": _person(m.minute_taker),
        "starts_at": _when(m.starts_at),
        "place": m.place,
        "call_details": m.call_details,
        "child_looked_after": m.child_looked_after,
        "child_host_authority": str(m.child_host_authority or "") or None,
        "host_cp_manager": m.host_cp_manager,
        "host_cp_manager_contacted_at": _when(m.host_cp_manager_contacted_at),
        "host_contact_note": m.host_contact_note,
        "young_person": {
            "invited": m.young_person_invited,
            "not_invited_reason": m.young_person_not_invited_reason,
            "attended": m.young_person_attended,
        },
        "family": {
            "invited": m.family_invited,
            "not_invited_reason": m.family_not_invited_reason,
            "attended": m.family_attended,
        },
        "outcome": m.outcome,
        "planning_forum": m.planning_forum,
        "outcome_notes": m.outcome_notes,
        "parents": {
            "will_be_told": m.parents_will_be_told,
            "told_what": m.parents_told_what,
            "told_by": m.parents_told_by,
            "not_told_reason": m.parents_not_told_reason,
        },
        "finalised_by": _person(m.finalised_by),
        "finalised_by_agency": str(m.finalised_by_agency or "") or None,
        "finalised_at": _when(m.finalised_at),
    }


def _invitation(i: Invitation) -> dict[str, Any]:
    return {
        "id": i.pk,
        "agency": str(i.agency),
        "officer_id": i.officer_id,
        "person": i.person_display,
        "role": i.role,
        "is_iro": i.is_iro,
        "status": i.status,
        "attendance": i.attendance,
    }


def _plan_part(meeting: Meeting) -> dict[str, Any]:
    plan = ActionPlan.objects.filter(meeting=meeting).first()
    version = plan.version if plan else 0
    actions = meeting.actions.select_related("owner_officer", "owner_agency").order_by("id")
    sign_ups = (
        SignUp.objects.filter(meeting=meeting, plan_version=version)
        .select_related("invitation", "signed_by", "recorded_by")
        .order_by("invitation_id")
    )
    return {
        "version": version,
        "review_date": _when(plan.review_date if plan else None),
        "actions": [
            {
                "id": a.pk,
                "what": a.what,
                "owner": a.owner_person,
                "owner_officer_id": a.owner_officer_id,
                "owner_agency": str(a.owner_agency),
                "due": _when(a.due),
                "measure": a.measure,
                "status": a.status,
            }
            for a in actions
        ],
        "sign_ups": [
            {
                "invitation_id": s.invitation_id,
                "person": s.invitation.person_display,
                "method": s.method,
                "signed_by_id": s.signed_by_id,
                "recorded_by_id": s.recorded_by_id,
                "at": _when(s.at),
            }
            for s in sign_ups
        ],
    }


def canonical_record(meeting: Meeting) -> dict[str, Any]:
    """The finalised record as plain data (see the module's docstring)."""
    meeting = (
        Meeting.objects.select_related(
            "child",
            "referral",
            "review_of",
            "convening_agency",
            "convening_authority",
            "chair__agency",
            "minute_taker__agency",
            "child_host_authority",
            "finalised_by__agency",
            "finalised_by_agency",
        )
        .prefetch_related("invitations__agency", "invitations__officer")
        .get(pk=meeting.pk)
    )
    sections = meeting.sections.order_by("position")
    return {
        "schema": SCHEMA,
        "meeting": _meeting_part(meeting),
        "invitations": [_invitation(i) for i in sorted(meeting.invitations.all(), key=_pk)],
        "minutes": [{"key": s.key, "title": s.title, "text": s.text} for s in sections],
        "plan": _plan_part(meeting),
    }


def _pk(invitation: Invitation) -> int:
    return invitation.pk


def canonical_json(meeting: Meeting) -> str:
    return json.dumps(
        canonical_record(meeting), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )


def sha256_of(canonical: str) -> str:
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def digest_store(meeting: Meeting, by: Officer) -> FinalisedDigest:
    """The finalising step (register_finalised_step): the digest of the record just made
    final, stored once."""
    canonical = canonical_json(meeting)
    with attributed(by):
        digest, _ = FinalisedDigest.objects.get_or_create(
            meeting=meeting,
            defaults={"canonical_json": canonical, "sha256": sha256_of(canonical)},
        )
    return digest


def digest_matches_record(meeting: Meeting) -> bool:
    """Whether the stored digest is still the digest of the record as the database holds it
    now (it is, unless the frozen rows were changed around the triggers)."""
    stored = FinalisedDigest.objects.filter(meeting=meeting).first()
    return stored is not None and stored.sha256 == sha256_of(canonical_json(meeting))


__all__ = [
    "SCHEMA",
    "canonical_json",
    "canonical_record",
    "digest_matches_record",
    "digest_store",
    "sha256_of",
]
