"""Reads of whether a child's CSE case is open or closed (`referrals.models.case_status`), the
case section of the child's record page, its part of the whole file (PDF) and its chronology.

Every agency involved with the child sees the case's status and its closures (the child is
fetched through the door first); only children's social care closes or reopens it
(`cse_portal.access.can_close_or_reopen_case`).

Nothing reopens a case by itself. A referral sent, or a risk assessment started, after the
case was closed is shown to children's social care on the child's record as a prompt to
decide whether to reopen it: reopening is a decision with a reason, as closing is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet, Subquery

from cse_portal.access import can_close_or_reopen_case
from cse_portal.history import HistoryEntry, HistorySource
from cse_portal.models import Child, Officer
from cse_portal.sections import ChronologyEntry
from referrals.models import AssessmentStatus, CaseClosure, Referral, RiskAssessment


def closures_of(child: Child) -> list[CaseClosure]:
    """The child's closures, oldest first, with who closed and reopened (one query)."""
    return list(
        CaseClosure.objects.filter(child=child)
        .select_related("closed_by", "closing_agency", "reopened_by", "reopening_agency")
        .order_by("closed_at", "id")
    )


@dataclass(frozen=True)
class CaseStatus:
    """The child's case as its closures tell it: closed while the latest is not reopened."""

    closures: list[CaseClosure] = field(default_factory=list)

    @property
    def open_closure(self) -> CaseClosure | None:
        return next((c for c in self.closures if c.reopened_at is None), None)

    @property
    def is_closed(self) -> bool:
        return self.open_closure is not None

    @property
    def reopened_at(self) -> datetime | None:
        """When the case was last reopened (None if it never was)."""
        return max((c.reopened_at for c in self.closures if c.reopened_at), default=None)

    @property
    def last_reopened(self) -> CaseClosure | None:
        reopened = [c for c in self.closures if c.reopened_at is not None]
        return max(reopened, key=lambda c: (c.reopened_at, c.pk)) if reopened else None


def case_status_of(child: Child) -> CaseStatus:
    return CaseStatus(closures_of(child))


def case_status_for_page(child: Child) -> CaseStatus:
    """`case_status_of`, read once for the page: the record page's case section and its
    assessments section (the next assessment due) both show it. Kept on the child object,
    which the page's view fetched through the door for this request alone."""
    status = getattr(child, "_case_status_for_page", None)
    if not isinstance(status, CaseStatus):
        status = case_status_of(child)
        setattr(child, "_case_status_for_page", status)  # noqa: B010 (not a model field)
    return status


# --- Expressions on a child's rows (`OuterRef(child_ref)`), for lists read in one query ------


def open_closure_exists(child_ref: str = "pk") -> Exists:
    """The child's case is closed now."""
    return Exists(CaseClosure.objects.filter(child=OuterRef(child_ref), reopened_at__isnull=True))


def latest_reopening(child_ref: str = "pk") -> Subquery:
    """When the child's case was last reopened (NULL if never)."""
    return Subquery(
        CaseClosure.objects.filter(child=OuterRef(child_ref), reopened_at__isnull=False)
        .order_by("-reopened_at")
        .values("reopened_at")[:1]
    )


# --- What happened after the case was closed: a prompt to children's social care -----------


def activity_since_closure(
    child: Child, officer: Officer, closure: CaseClosure
) -> dict[str, list[Any]]:
    """The referrals sent, and the risk assessments the officer may see that were started,
    since the case was closed (children's social care sees every sent referral)."""
    from referrals.assessment_selectors import assessments_of_child

    referrals: QuerySet[Referral] = Referral.objects.filter(
        child=child, status=Referral.Status.SUBMITTED, received_at__gt=closure.closed_at
    ).select_related("referring_agency")
    assessments: QuerySet[RiskAssessment] = assessments_of_child(child, officer).filter(
        created_at__gt=closure.closed_at
    )
    return {
        "referrals": list(referrals.order_by("received_at", "id")),
        "assessments": list(assessments),
    }


def drafts_in_progress(child: Child) -> QuerySet[RiskAssessment]:
    """The child's draft risk assessments, of any agency (closing waits for them)."""
    return RiskAssessment.objects.filter(child=child, status=AssessmentStatus.DRAFT).select_related(
        "agency"
    )


# --- The record page, the file and its chronology -------------------------------------------


def case_section(child: Child, officer: Officer) -> dict[str, Any]:
    status = case_status_for_page(child)
    may_change = can_close_or_reopen_case(officer, child)
    open_closure = status.open_closure
    since: dict[str, list[Any]] = {"referrals": [], "assessments": []}
    if may_change and open_closure is not None:
        since = activity_since_closure(child, officer, open_closure)
    return {
        "status": status,
        "closures": list(reversed(status.closures)),
        "open_closure": open_closure,
        "last_reopened": status.last_reopened,
        "can_change": may_change,
        "since_closure": since,
    }


def case_pdf_section(child: Child, officer: Officer) -> dict[str, Any]:
    status = case_status_of(child)
    return {"status": status, "closures": status.closures}


def chronology(child: Child, officer: Officer) -> list[ChronologyEntry]:
    entries = []
    for closure in closures_of(child):
        entries.append(
            ChronologyEntry(
                at=closure.closed_at,
                kind="Case",
                event="Case closed by children's social care",
                summary=closure.reason_text
                + (f"\n{closure.note}" if closure.note and closure.reason != "other" else ""),
                by=str(closure.closed_by),
                agency=str(closure.closing_agency),
            )
        )
        if closure.reopened_at is not None:
            entries.append(
                ChronologyEntry(
                    at=closure.reopened_at,
                    kind="Case",
                    event="Case reopened by children's social care",
                    summary=closure.reopen_reason_text
                    + (
                        f"\n{closure.reopen_note}"
                        if closure.reopen_note and closure.reopen_reason != "other"
                        else ""
                    ),
                    by=str(closure.reopened_by),
                    agency=str(closure.reopening_agency),
                )
            )
    return entries


# --- "Who viewed or changed this record" (cse_portal.history) -------------------------------


def history_entries(child: Child, officer: Officer) -> list[HistoryEntry]:
    """Each closing and reopening, by whom (every involved agency sees the case's status)."""
    entries = []
    for closure in closures_of(child):
        entries.append(
            HistoryEntry(
                at=closure.closed_at,
                what=f"Case closed: {closure.get_reason_display()}",
                officer=closure.closed_by,
            )
        )
        if closure.reopened_at is not None:
            entries.append(
                HistoryEntry(
                    at=closure.reopened_at,
                    what=f"Case reopened: {closure.get_reopen_reason_display()}",
                    officer=closure.reopened_by,
                )
            )
    return entries


HISTORY_SOURCE = HistorySource(key="case_status", entries=history_entries)
