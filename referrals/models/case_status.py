"""Whether a child's CSE case is open or closed (G16: "at least every 3 months while the case is
open").

A case is opened by children's social care's decision on a referral; children's social care
(the agency that convenes) closes it, and reopens it, each time with a reason. Each closure is
one row, which the reopening completes: the rows are the case's history, and a child's case is
closed while one of its closures is not reopened (at most one such row: a unique constraint, so
two officers closing at once close the case once).

The database keeps the record honest (a trigger): a closure is never deleted, and the only
change it takes is its reopening, once — the closure's own columns are fixed from the start.
"""

from __future__ import annotations

import uuid

import pgtrigger
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from cse_portal.models import Agency, Child, Officer


class ClosureReason(models.TextChoices):
    """Why the case is closed, in words about the child's safety, not about the child."""

    RISK_REDUCED = (
        "risk_reduced",
        "Risk reduced: no further action agreed by the strategy meeting",
    )
    SUPPORTED_ELSEWHERE = (
        "supported_elsewhere",
        "Risk reduced: the child is supported under another plan (early help or child in need)",
    )
    MOVED = "moved", "Moved to another local authority: case transferred"
    TURNED_18 = "turned_18", "Turned 18: transferred to adult services"
    OTHER = "other", "Other"


class ReopenReason(models.TextChoices):
    NEW_REFERRAL = "new_referral", "A new referral raised concerns about the child"
    NEW_INFORMATION = "new_information", "New information shows the child may be at risk"
    RETURNED = "returned", "The child has come back to the area"
    CLOSED_IN_ERROR = "closed_in_error", "The case was closed in error"
    OTHER = "other", "Other"


# The columns a reopening writes; every other column of a closure is fixed once inserted.
REOPEN_COLUMNS = (
    "reopened_at",
    "reopened_by_id",
    "reopening_agency_id",
    "reopen_reason",
    "reopen_note",
)

_FIXED_BUT_REOPENING = "ARRAY[" + ", ".join(f"'{c}'" for c in REOPEN_COLUMNS) + "]"

# A closure is kept; it is reopened once, and nothing else of it changes.
CLOSURE_TRIGGER = f"""
IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'A case closure is part of the child''s record and cannot be deleted.';
END IF;
IF OLD.reopened_at IS NOT NULL THEN
    RAISE EXCEPTION 'This closure was reopened already: it cannot be changed.';
END IF;
IF (to_jsonb(NEW) - {_FIXED_BUT_REOPENING}) IS DISTINCT FROM
   (to_jsonb(OLD) - {_FIXED_BUT_REOPENING}) THEN
    RAISE EXCEPTION 'A case closure cannot be changed: only its reopening is recorded.';
END IF;
RETURN NEW;
"""


class CaseClosure(models.Model):
    """One closure of a child's case by children's social care, and its reopening if any."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="case_closures")
    closed_at = models.DateTimeField(default=timezone.now)
    closed_by = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+")
    closing_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=30, choices=ClosureReason.choices)
    note = models.TextField(blank=True)
    # The hidden key of the form that closed the case: the same form sent twice closes once.
    creation_key = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)

    reopened_at = models.DateTimeField(null=True, blank=True)
    reopened_by = models.ForeignKey(
        Officer, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    reopening_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    reopen_reason = models.CharField(max_length=30, choices=ReopenReason.choices, blank=True)
    reopen_note = models.TextField(blank=True)

    class Meta:
        ordering = ["closed_at", "id"]
        default_permissions = ()
        triggers = [
            pgtrigger.Trigger(
                name="case_closure_is_kept_and_reopened_once",
                when=pgtrigger.Before,
                operation=pgtrigger.Update | pgtrigger.Delete,
                func=CLOSURE_TRIGGER,
            )
        ]
        constraints = [
            # A case is closed once at a time: of two closures sent at once, one is refused.
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(reopened_at__isnull=True),
                name="one_open_closure_per_child",
            ),
            models.CheckConstraint(
                condition=Q(reason__in=ClosureReason.values), name="case_closure_reason_known"
            ),
            models.CheckConstraint(
                condition=~Q(reason=ClosureReason.OTHER) | ~Q(note=""),
                name="case_closure_other_reason_has_note",
            ),
            models.CheckConstraint(
                condition=Q(
                    reopened_at__isnull=True,
                    reopened_by__isnull=True,
                    reopening_agency__isnull=True,
                    reopen_reason="",
                    reopen_note="",
                )
                | (
                    Q(
                        reopened_at__isnull=False,
                        reopened_by__isnull=False,
                        reopening_agency__isnull=False,
                        reopen_reason__in=ReopenReason.values,
                        reopened_at__gte=F("closed_at"),
                    )
                    & (~Q(reopen_reason=ReopenReason.OTHER) | ~Q(reopen_note=""))
                ),
                name="case_reopening_is_complete",
            ),
        ]
        indexes = [models.Index(fields=["child", "-closed_at"])]

    def __str__(self) -> str:
        return f"Case closed {timezone.localtime(self.closed_at):%d %b %Y}"

    @property
    def is_open_closure(self) -> bool:
        """The case is closed by this row (not reopened since)."""
        return self.reopened_at is None

    @property
    def reason_text(self) -> str:
        """The reason as the record says it: "Other" is its note."""
        if self.reason == ClosureReason.OTHER:
            return self.note
        return self.get_reason_display()

    @property
    def reopen_reason_text(self) -> str:
        if self.reopen_reason == ReopenReason.OTHER:
            return self.reopen_note
        return self.get_reopen_reason_display()
