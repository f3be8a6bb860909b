"""Writes of a child's CSE case status: children's social care closes the case, and reopens it
(`referrals.models.case_status`). Keyword-only, the acting officer passed in as `by`.

- Only children's social care involved with the child closes or reopens
  (`cse_portal.access.can_close_or_reopen_case`; PermissionDenied otherwise).
- A case is not closed while a risk assessment of the child is in progress (a draft, of any
  agency): the assessment is finalised, or removed, first. Closing refuses with a message that
  names the assessing agency, so children's social care knows whom to ask.
- Closing twice: the same form sent again finds its closure (its hidden key); two officers
  closing at once close the case once (the database's unique constraint on an open closure),
  the second told who closed it.
- Reopening names the closure it reopens (the one the page showed): the reopening is one
  UPDATE … WHERE reopened_at IS NULL, so of two reopenings at once one wins, the other is told.

Each rule on the answers is written once, in a `*_problems` function the page asks too.
`now` is for the demo data set and tests; pages never pass it.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cse_portal.access import can_close_or_reopen_case
from cse_portal.lifecycle import attributed
from cse_portal.models import Child, Officer
from referrals.models import CaseClosure, ClosureReason, ReopenReason
from referrals.selectors_case import drafts_in_progress

NOTE_REQUIRED = "Enter a note saying why, when the reason is Other"


def _require_csc(child: Child, by: Officer) -> int:
    if by.agency_id is None or not can_close_or_reopen_case(by, child):
        raise PermissionDenied("Only children's social care closes or reopens a child's case.")
    return by.agency_id


def _when(closure: CaseClosure, reopened: bool = False) -> str:
    at = timezone.localtime(closure.reopened_at if reopened else closure.closed_at)
    return f"{at:%d/%m/%Y %H:%M}"


def close_problems(*, reason: str, note: str) -> dict[str, str]:
    if reason not in ClosureReason.values:
        return {"reason": "Select why the case is being closed"}
    if reason == ClosureReason.OTHER and not note.strip():
        return {"note": NOTE_REQUIRED}
    return {}


def reopen_problems(*, reason: str, note: str) -> dict[str, str]:
    if reason not in ReopenReason.values:
        return {"reason": "Select why the case is being reopened"}
    if reason == ReopenReason.OTHER and not note.strip():
        return {"note": NOTE_REQUIRED}
    return {}


@transaction.atomic
def case_close(
    *,
    child: Child,
    by: Officer,
    reason: str,
    note: str = "",
    creation_key: uuid.UUID | None = None,
    now: datetime | None = None,
) -> CaseClosure:
    """Close the child's case; the closure (the same one if this form was sent already)."""
    agency_id = _require_csc(child, by)
    if creation_key is not None:
        sent = CaseClosure.objects.filter(creation_key=creation_key, child=child).first()
        if sent is not None:
            return sent
    problems = close_problems(reason=reason, note=note)
    if problems:
        raise ValidationError(problems)
    # Serialise with other writes about the child's case (a second closing waits here).
    Child.objects.select_for_update().filter(pk=child.pk).first()
    already = CaseClosure.objects.filter(child=child, reopened_at__isnull=True).first()
    if already is not None:
        raise ValidationError(_closed_already(already))
    drafts = list(drafts_in_progress(child))
    if drafts:
        agencies = sorted({str(d.agency) for d in drafts})
        raise ValidationError(
            "A risk assessment of the child is in progress (a draft by "
            f"{' and '.join(agencies)}). The case can be closed once it is finalised or "
            "removed: ask the assessing agency to finish it first."
        )
    try:
        with transaction.atomic(), attributed(by):
            return CaseClosure.objects.create(
                child=child,
                closed_at=now or timezone.now(),
                closed_by=by,
                closing_agency_id=agency_id,
                reason=reason,
                note=note.strip(),
                creation_key=creation_key or uuid.uuid4(),
            )
    except IntegrityError:
        # Another officer's closing went in between (without the lock: a session that
        # did not take it). The unique constraint keeps the case closed once.
        already = CaseClosure.objects.filter(child=child, reopened_at__isnull=True).first()
        if already is None:
            raise
        raise ValidationError(_closed_already(already)) from None


def _closed_already(closure: CaseClosure) -> str:
    return (
        f"The case was closed already, by {closure.closed_by} on {_when(closure)}. "
        "Nothing more has been recorded."
    )


@transaction.atomic
def case_reopen(
    *,
    closure: CaseClosure,
    by: Officer,
    reason: str,
    note: str = "",
    now: datetime | None = None,
) -> CaseClosure:
    """Reopen the case closed by `closure`; the closure, reopened."""
    agency_id = _require_csc(closure.child, by)
    problems = reopen_problems(reason=reason, note=note)
    if problems:
        raise ValidationError(problems)
    at = now or timezone.now()
    if at < closure.closed_at:
        raise ValidationError("A case is reopened after it was closed.")
    with attributed(by):
        changed = CaseClosure.objects.filter(pk=closure.pk, reopened_at__isnull=True).update(
            reopened_at=at,
            reopened_by=by,
            reopening_agency_id=agency_id,
            reopen_reason=reason,
            reopen_note=note.strip(),
        )
    closure.refresh_from_db()
    if changed == 0:
        raise ValidationError(
            f"The case was reopened already, by {closure.reopened_by} on "
            f"{_when(closure, reopened=True)}. Nothing more has been recorded."
        )
    return closure
