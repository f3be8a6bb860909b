"""The CSE1 referral to children's social care (CSC): the referral itself, the indicators
copied from the screening it came from, and the places of concern it names.

A referral is a draft of the referring agency until it is sent; then its content is fixed in
the database (triggers), and so are its indicators, places and person links.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING

import pghistory
import pgtrigger
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import BooleanField, Case, ExpressionWrapper, F, Func, Q, Value, When
from django.db.models.functions import Concat, Upper
from django.urls import reverse
from django.utils import timezone

from cse_portal.lifecycle import frozen_once, rows_frozen_with_parent
from cse_portal.models import Agency, Child, LookedAfterStatus, Officer

if TYPE_CHECKING:  # for the annotations only: responses.py imports this module (FK to Referral)
    from referrals.models.responses import (
        LookedAfterNotice,
        ReferralAcknowledgement,
        ReferralDecision,
    )


class YesNoNotKnown(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_KNOWN = "not_known", "Not known"


class Consent(models.TextChoices):
    GIVEN = "given", "Yes, they agree to the referral and to the information being shared"
    REFUSED = "refused", "No, they do not agree"
    NOT_ASKED = "not_asked", "They have not been asked"


class LawfulBasis(models.TextChoices):
    """Grounds for sharing without the young person's agreement (UK GDPR, DPA 2018)."""

    SAFEGUARDING = (
        "safeguarding",
        "Safeguarding of children and individuals at risk (Data Protection Act 2018, "
        "Schedule 1, paragraph 18)",
    )
    PUBLIC_TASK = "public_task", "Public task (UK GDPR Article 6(1)(e))"
    LEGAL_OBLIGATION = (
        "legal_obligation",
        "Legal obligation (UK GDPR Article 6(1)(c)), for example the Children Act 1989",
    )
    VITAL_INTERESTS = (
        "vital_interests",
        "Vital interests: to protect someone's life (UK GDPR Article 6(1)(d))",
    )
    OTHER = "other", "Another basis (explain below)"


def overdue_condition(now: datetime | None = None) -> Q:
    """The one definition of an overdue referral (G08): sent, no decision yet, and past the
    decision's due time. Lists filter, count and order by it; a row reads it from the
    annotation `with_overdue` puts on it (`Referral.overdue`)."""
    return Q(
        status=Referral.Status.SUBMITTED,
        decision__isnull=True,
        decision_due__lt=now or timezone.now(),
    )


def with_overdue(
    referrals: models.QuerySet[Referral], now: datetime | None = None
) -> models.QuerySet[Referral]:
    """Each row with `overdue_at_read`: whether it was overdue when it was read."""
    return referrals.annotate(
        overdue_at_read=ExpressionWrapper(overdue_condition(now), output_field=BooleanField())
    )


class ReferralQuerySet(models.QuerySet["Referral"]):
    def submitted(self) -> ReferralQuerySet:
        return self.filter(status=Referral.Status.SUBMITTED)

    def overdue(self, now: datetime | None = None) -> ReferralQuerySet:
        return self.filter(overdue_condition(now))


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), append_only=True)
class Referral(models.Model):
    """A CSE1 referral about one child (perhaps not yet identified) to children's social care."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Sent to children's social care"

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="referrals")
    screening = models.ForeignKey(
        "screening.Screening",
        on_delete=models.PROTECT,
        related_name="referrals",
        null=True,
        blank=True,
        help_text="The screening that concluded 'refer', if the referral came from one.",
    )
    referring_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="referrals_made"
    )
    referred_by = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1, editable=False)
    # The hidden key of the form that started the referral: a second POST of the same form
    # (double click, back button) finds this referral instead of making another.
    creation_key = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)

    basis_of_concern = models.TextField(blank=True)
    parents_know = models.CharField(max_length=10, choices=YesNoNotKnown.choices, blank=True)
    parents_not_informed_reason = models.TextField(blank=True)
    young_person_knows = models.CharField(max_length=10, choices=YesNoNotKnown.choices, blank=True)
    young_person_consents = models.CharField(max_length=10, choices=Consent.choices, blank=True)
    lawful_basis = models.CharField(max_length=20, choices=LawfulBasis.choices, blank=True)
    lawful_basis_detail = models.TextField(blank=True)
    looked_after_confirmed = models.BooleanField(default=False)
    placement_details = models.TextField(blank=True)
    other_agencies = models.TextField(blank=True)

    # Set when the referral is sent.
    to_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="referrals_received",
        null=True,
        blank=True,
    )
    submitted_by = models.ForeignKey(
        Officer, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    received_at = models.DateTimeField(null=True, blank=True)
    decision_due = models.DateTimeField(null=True, blank=True)
    # G07: the written acknowledgement falls due with the decision (responses.py).
    acknowledgement_due = models.DateTimeField(null=True, blank=True)
    submission_key = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    # What the child's record said when the referral was sent: the referral is read later
    # as it was at the time.
    child_identified_at_submission = models.BooleanField(null=True, blank=True)
    looked_after_status_at_submission = models.CharField(
        max_length=20, choices=LookedAfterStatus.choices, blank=True
    )

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        default_permissions = ()
        triggers = [frozen_once("sent_referral_is_immutable")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "submitted"]), name="referral_status_known"
            ),
            models.CheckConstraint(
                condition=Q(
                    status="draft",
                    to_agency__isnull=True,
                    submitted_by__isnull=True,
                    received_at__isnull=True,
                    decision_due__isnull=True,
                    submission_key__isnull=True,
                )
                | (
                    Q(
                        status="submitted",
                        to_agency__isnull=False,
                        submitted_by__isnull=False,
                        received_at__isnull=False,
                        decision_due__isnull=False,
                        submission_key__isnull=False,
                        child_identified_at_submission__isnull=False,
                    )
                    & ~Q(basis_of_concern="")
                ),
                name="sent_referral_is_complete",
            ),
            models.CheckConstraint(
                condition=~Q(status="submitted")
                | ~Q(parents_know="no")
                | ~Q(parents_not_informed_reason=""),
                name="parents_not_informed_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="submitted")
                | Q(young_person_consents="given")
                | ~Q(lawful_basis=""),
                name="sharing_without_consent_has_basis",
            ),
            models.CheckConstraint(
                condition=Q(decision_due__isnull=True)
                | Q(decision_due__gt=models.F("received_at")),
                name="decision_due_after_receipt",
            ),
            models.CheckConstraint(
                condition=Q(status="draft", acknowledgement_due__isnull=True)
                | Q(
                    status="submitted",
                    acknowledgement_due__isnull=False,
                    acknowledgement_due__gt=models.F("received_at"),
                ),
                name="acknowledgement_due_after_receipt",
            ),
            # A screening starts at most one referral (G06).
            models.UniqueConstraint(fields=["screening"], name="one_referral_per_screening"),
        ]
        indexes = [
            models.Index(fields=["to_agency", "status", "decision_due"]),
            # The CSC tray's counts (and the navigation's badge): an agency's sent referrals,
            # with the columns the counts need, read from the index alone.
            models.Index(
                fields=["to_agency"],
                include=["id", "child"],
                condition=Q(status="submitted"),
                name="referral_sent_to_agency",
            ),
            models.Index(fields=["referring_agency", "status"]),
        ]

    def __str__(self) -> str:
        return f"Referral {self.reference}"

    def get_absolute_url(self) -> str:
        return reverse("referrals:detail", kwargs={"child_pk": self.child_id, "pk": self.pk})

    @property
    def reference(self) -> str:
        return f"R-{self.pk:05d}" if self.pk else "R-new"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED

    # What CSC has done, read through the one-to-one rows (None when not yet recorded).
    @property
    def acknowledgement_or_none(self) -> ReferralAcknowledgement | None:
        try:
            return self.acknowledgement
        except ObjectDoesNotExist:
            return None

    @property
    def decision_or_none(self) -> ReferralDecision | None:
        try:
            return self.decision
        except ObjectDoesNotExist:
            return None

    @property
    def looked_after_notice_or_none(self) -> LookedAfterNotice | None:
        try:
            return self.looked_after_notice
        except ObjectDoesNotExist:
            return None

    @property
    def stage(self) -> str:
        if self.is_draft:
            return "Draft"
        if self.decision_or_none is not None:
            return "Decided"
        if self.acknowledgement_or_none is not None:
            return "Acknowledged, awaiting decision"
        return "Sent, awaiting acknowledgement"

    @property
    def overdue(self) -> bool:
        """Overdue (G08), by `overdue_condition`: read from the row's annotation when it was
        read through `with_overdue` (every list is), else asked of the database."""
        annotated = getattr(self, "overdue_at_read", None)
        if annotated is not None:
            return bool(annotated)
        return self.pk is not None and Referral.objects.filter(pk=self.pk).overdue().exists()

    @property
    def child_was_unidentified(self) -> bool:
        if self.child_identified_at_submission is not None:
            return not self.child_identified_at_submission
        return not self.child.is_identified

    @property
    def is_about_looked_after_child(self) -> bool:
        status = self.looked_after_status_at_submission or self.child.looked_after_status
        return status == LookedAfterStatus.LOOKED_AFTER

    @property
    def needs_looked_after_notice(self) -> bool:
        """G11: a sent referral about a looked-after child, until the team manager and the
        IRO are recorded as informed."""
        return (
            self.is_submitted
            and self.is_about_looked_after_child
            and self.looked_after_notice_or_none is None
        )

    @property
    def names_identified_person(self) -> bool:
        annotated = getattr(self, "has_identified_person", None)
        if annotated is not None:
            return bool(annotated)
        return self.person_links.exclude(person__full_name="").exists()

    @property
    def meets_strategy_threshold(self) -> bool:
        """G10 [002 §8]: an identified person of concern, "even if" the child is not yet
        identified, meets the threshold; a strategy meeting should be held. For an identified
        child, once CSC has judged the concern about the person well evidenced (the decision)."""
        if self.child_was_unidentified and self.names_identified_person:
            return True
        decision = self.decision_or_none
        return decision is not None and decision.met_threshold


def rows_of_a_draft(name: str, *, nullable: bool = False) -> pgtrigger.Trigger:
    """The trigger of a referral's own rows: changed only while the referral is a draft."""
    return rows_frozen_with_parent(
        name,
        parent=Referral,
        fk="referral_id",
        message="A sent referral cannot be changed",
        nullable=nullable,
    )


@pghistory.track(pghistory.InsertEvent(), append_only=True)
class ReferralIndicator(models.Model):
    """An indicator present in the screening the referral came from: a copy, so the referral
    says what it said when it was made whatever happens to the catalogue (G06)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="indicators")
    position = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=20)
    heading = models.CharField(max_length=250)
    text = models.TextField()
    kind = models.CharField(max_length=20)
    kind_label = models.CharField(max_length=100)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["referral", "position"]
        default_permissions = ()
        triggers = [rows_of_a_draft("indicators_of_drafts_only")]
        constraints = [
            models.UniqueConstraint(fields=["referral", "code"], name="one_copy_per_indicator")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"


def _alnum_upper(field: str) -> Func:
    return Upper(
        Func(
            F(field),
            Value("[^A-Za-z0-9]+"),
            Value(""),
            Value("g"),
            function="regexp_replace",
            output_field=models.TextField(),
        )
    )


@pghistory.track(
    pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(), append_only=True
)
class ReferralPlace(models.Model):
    """A place of concern named in a referral: an address, a park, a shop, a car park."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="places")
    name = models.CharField(max_length=200, blank=True)
    address = models.TextField(blank=True)
    description = models.TextField(blank=True)
    added_at = models.DateTimeField(default=timezone.now)
    # The hidden key of the form that added the place: posted twice, it adds one place. A
    # place is added or removed, never changed, so it needs no version.
    creation_key = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    # The same place across children (G30): the address with everything but letters and
    # digits taken out, upper case ("14 High St, NE1 4AB" = "14 high st ne1 4ab"); a place
    # named without an address, by its name. Computed by PostgreSQL, so it cannot disagree
    # with the row, and added to frozen rows without touching them.
    match_key = models.GeneratedField(
        expression=Case(
            When(~Q(address=""), then=Concat(Value("A:"), _alnum_upper("address"))),
            default=Concat(Value("N:"), _alnum_upper("name")),
            output_field=models.TextField(),
        ),
        output_field=models.TextField(),
        db_persist=True,
    )

    class Meta:
        ordering = ["referral", "added_at", "id"]
        default_permissions = ()
        triggers = [rows_of_a_draft("places_of_drafts_only")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(name="") | ~Q(address=""), name="place_has_name_or_address"
            )
        ]

    def __str__(self) -> str:
        return self.name or self.address.splitlines()[0]
