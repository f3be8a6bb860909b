"""The CSE1 referral to children's social care (CSC), and CSC's acknowledgement and decision.

A referral is a draft of the referring agency until it is sent; then its content is fixed in
the database (triggers). What CSC does about it — the written acknowledgement to the referrer
(G07), the decision within one working day (G08, G09), informing the team manager and the IRO
about a looked-after child (G11) — are rows of their own, one of each per referral, never
changed once recorded.

Persons of concern belong to no single referral: a person is linked to children through
`PersonLink`, so the same person can later be linked to other children (G30).
"""

from __future__ import annotations

import uuid
from datetime import datetime

import pghistory
import pgtrigger
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from cse_portal.models import AgeFromBirthOrEstimate, Agency, Child, LookedAfterStatus, Officer


def _rows_of_draft_referrals_only(name: str) -> pgtrigger.Trigger:
    """A row trigger: rows belonging to a referral change only while the referral is a draft.

    The rule needs the parent row, which a pgtrigger.Q condition cannot see. Rows with no
    referral (a person linked to a child some other way) are not this trigger's business.
    """
    func = """
    IF TG_OP <> 'INSERT' AND OLD.referral_id IS NOT NULL THEN
        IF EXISTS (SELECT 1 FROM referrals_referral r
                   WHERE r.id = OLD.referral_id AND r.status <> 'draft') THEN
            RAISE EXCEPTION 'A sent referral cannot be changed';
        END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    IF NEW.referral_id IS NOT NULL AND EXISTS (
            SELECT 1 FROM referrals_referral r
            WHERE r.id = NEW.referral_id AND r.status <> 'draft') THEN
        RAISE EXCEPTION 'A sent referral cannot be changed';
    END IF;
    RETURN NEW;
    """
    return pgtrigger.Trigger(
        name=name,
        when=pgtrigger.Before,
        operation=pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete,
        func=func,
    )


def _response_to_sent_referrals_only(name: str) -> pgtrigger.Trigger:
    """CSC's responses are recorded against a sent referral, never a draft."""
    func = """
    IF NOT EXISTS (SELECT 1 FROM referrals_referral r
                   WHERE r.id = NEW.referral_id AND r.status = 'submitted') THEN
        RAISE EXCEPTION 'Only a sent referral can be acknowledged or decided';
    END IF;
    RETURN NEW;
    """
    return pgtrigger.Trigger(
        name=name, when=pgtrigger.Before, operation=pgtrigger.Insert, func=func
    )


def _never_changed(name: str) -> pgtrigger.Protect:
    return pgtrigger.Protect(name=name, operation=pgtrigger.Update | pgtrigger.Delete)


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


class Outcome(models.TextChoices):
    """The three decisions the guidance allows on a referral [002 §6] (G09)."""

    EMERGENCY_ACTION = (
        "emergency_action",
        "Emergency action to protect the child, in discussion with the police",
    )
    INITIAL_ASSESSMENT = (
        "initial_assessment",
        "Initial assessment, then a strategy discussion with the police and other agencies "
        "to decide on and plan section 47 enquiries",
    )
    EARLY_HELP = (
        "early_help",
        "Threshold for children's social care not met: early-help pathway (CAF or EHAF)",
    )


class ReferralQuerySet(models.QuerySet["Referral"]):
    def submitted(self) -> ReferralQuerySet:
        return self.filter(status=Referral.Status.SUBMITTED)

    def overdue(self, now: datetime | None = None) -> ReferralQuerySet:
        """Sent, no decision yet, and past the decision's due time (G08)."""
        return self.submitted().filter(
            decision__isnull=True, decision_due__lt=now or timezone.now()
        )


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
        triggers = [
            pgtrigger.Protect(
                name="sent_referral_is_immutable",
                operation=pgtrigger.Update | pgtrigger.Delete,
                condition=pgtrigger.Q(old__status="submitted"),
            )
        ]
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
            # A screening starts at most one referral (G06).
            models.UniqueConstraint(fields=["screening"], name="one_referral_per_screening"),
        ]
        indexes = [
            models.Index(fields=["to_agency", "status", "decision_due"]),
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
        except ReferralAcknowledgement.DoesNotExist:
            return None

    @property
    def decision_or_none(self) -> ReferralDecision | None:
        try:
            return self.decision
        except ReferralDecision.DoesNotExist:
            return None

    @property
    def looked_after_notice_or_none(self) -> LookedAfterNotice | None:
        try:
            return self.looked_after_notice
        except LookedAfterNotice.DoesNotExist:
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

    def is_overdue(self, now: datetime | None = None) -> bool:
        """Sent, undecided and past its due time: visible to the team manager (G08)."""
        return (
            self.is_submitted
            and self.decision_due is not None
            and self.decision_or_none is None
            and self.decision_due < (now or timezone.now())
        )

    @property
    def overdue(self) -> bool:
        return self.is_overdue()

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
        """G10 [002 §8]: an identified person of concern, though the child is not yet
        identified, meets the threshold; a strategy meeting should be held."""
        return self.child_was_unidentified and self.names_identified_person


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
        triggers = [_rows_of_draft_referrals_only("indicators_of_drafts_only")]
        constraints = [
            models.UniqueConstraint(fields=["referral", "code"], name="one_copy_per_indicator")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"


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

    class Meta:
        ordering = ["referral", "added_at", "id"]
        default_permissions = ()
        triggers = [_rows_of_draft_referrals_only("places_of_drafts_only")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(name="") | ~Q(address=""), name="place_has_name_or_address"
            )
        ]

    def __str__(self) -> str:
        return self.name or self.address.splitlines()[0]


@pghistory.track(
    pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(), append_only=True
)
class PersonOfConcern(AgeFromBirthOrEstimate, models.Model):
    """An alleged perpetrator or coercer — an adult or a child [002 §8].

    Linked to children through PersonLink, so one person can be linked to several children.
    """

    full_name = models.CharField(
        max_length=200, blank=True, help_text="Leave blank if the name is not known."
    )
    nicknames = models.CharField(max_length=300, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    approximate_age = models.PositiveSmallIntegerField(null=True, blank=True)
    approximate_age_recorded_on = models.DateField(null=True, blank=True, editable=False)
    description = models.TextField(blank=True)
    phone_numbers = models.TextField(blank=True)
    vehicles = models.TextField(blank=True)
    addresses = models.TextField(blank=True)
    recorded_by = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+")
    recorded_by_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["full_name", "nicknames", "id"]
        verbose_name_plural = "persons of concern"
        default_permissions = ()
        constraints = [
            models.CheckConstraint(
                condition=~Q(full_name="") | ~Q(nicknames="") | ~Q(description=""),
                name="person_has_name_nickname_or_description",
            ),
            models.CheckConstraint(
                condition=Q(approximate_age__isnull=True) | Q(approximate_age__lte=120),
                name="person_approximate_age_plausible",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.full_name:
            return self.full_name
        if self.nicknames:
            return f"Name not known, known as {self.nicknames}"
        return f"Person not yet identified (P-{self.pk})"

    @property
    def is_identified(self) -> bool:
        """Identified for G10: the person's name is known."""
        return bool(self.full_name.strip())

    @property
    def is_under_18(self) -> bool | None:
        """None when the age is not known. A person of concern under 18 is likely also a
        victim [002 §8]."""
        age = self.age
        return None if age is None else age < 18


@pghistory.track(
    pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(), append_only=True
)
class PersonLink(models.Model):
    """A person of concern linked to a child, by a referral (or, later, another record)."""

    person = models.ForeignKey(PersonOfConcern, on_delete=models.PROTECT, related_name="links")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="person_links")
    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, related_name="person_links", null=True, blank=True
    )
    relationship_to_child = models.CharField(max_length=300, blank=True)
    linked_by = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+")
    linked_by_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    linked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["linked_at", "id"]
        default_permissions = ()
        triggers = [
            _rows_of_draft_referrals_only("person_links_of_drafts_only"),
            pgtrigger.Trigger(
                name="link_child_matches_referral",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.Update,
                func="""
                IF NEW.referral_id IS NOT NULL AND NOT EXISTS (
                        SELECT 1 FROM referrals_referral r
                        WHERE r.id = NEW.referral_id AND r.child_id = NEW.child_id) THEN
                    RAISE EXCEPTION 'A referral links persons to its own child only';
                END IF;
                RETURN NEW;
                """,
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "referral"],
                condition=Q(referral__isnull=False),
                name="person_once_per_referral",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.relationship_to_child or 'linked'}"


@pghistory.track(pghistory.InsertEvent(), append_only=True)
class ReferralAcknowledgement(models.Model):
    """CSC's written confirmation to the referring agency that the referral was received, and
    what action is being taken [002 §6] (G07). Seen by the referrer; never changed."""

    referral = models.OneToOneField(
        Referral, on_delete=models.PROTECT, related_name="acknowledgement"
    )
    message = models.TextField()
    action_being_taken = models.TextField()
    sent_by = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+")
    sent_by_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        default_permissions = ()
        triggers = [
            _never_changed("acknowledgement_is_immutable"),
            _response_to_sent_referrals_only("acknowledge_sent_referrals_only"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(message="") & ~Q(action_being_taken=""),
                name="acknowledgement_has_message_and_action",
            )
        ]

    def __str__(self) -> str:
        return f"Acknowledgement of {self.referral}"


@pghistory.track(pghistory.InsertEvent(), append_only=True)
class ReferralDecision(models.Model):
    """The social worker's and team manager's decision: exactly one of three (G09)."""

    Outcome = Outcome

    referral = models.OneToOneField(Referral, on_delete=models.PROTECT, related_name="decision")
    outcome = models.CharField(max_length=30, choices=Outcome.choices)
    rationale = models.TextField()
    decided_by = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        default_permissions = ()
        triggers = [
            _never_changed("decision_is_immutable"),
            _response_to_sent_referrals_only("decide_sent_referrals_only"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=Outcome.values), name="decision_is_one_of_three"
            ),
            models.CheckConstraint(condition=~Q(rationale=""), name="decision_has_rationale"),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} ({self.referral})"

    @property
    def was_on_time(self) -> bool:
        due = self.referral.decision_due
        return due is None or self.decided_at <= due


class InformMethod(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    PHONE = "phone", "By phone"
    EMAIL = "email", "By email"
    MEETING = "meeting", "At a meeting"
    OTHER = "other", "Another way"


@pghistory.track(pghistory.InsertEvent(), append_only=True)
class LookedAfterNotice(models.Model):
    """For a looked-after child: the allocated social worker informed the team manager and
    the IRO [002 §7] (G11). Recorded once; never changed."""

    Method = InformMethod

    referral = models.OneToOneField(
        Referral, on_delete=models.PROTECT, related_name="looked_after_notice"
    )
    team_manager = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+")
    iro = models.ForeignKey(
        Officer, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    iro_name = models.CharField(
        max_length=200, blank=True, help_text="When the IRO is not an officer on the portal."
    )
    informed_at = models.DateTimeField()
    method = models.CharField(max_length=20, choices=InformMethod.choices)
    detail = models.TextField(blank=True)
    recorded_by = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        default_permissions = ()
        triggers = [
            _never_changed("looked_after_notice_is_immutable"),
            _response_to_sent_referrals_only("notice_sent_referrals_only"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(iro__isnull=False) | ~Q(iro_name=""), name="notice_names_the_iro"
            ),
            models.CheckConstraint(
                condition=Q(method__in=InformMethod.values), name="notice_method_known"
            ),
        ]

    def __str__(self) -> str:
        return f"Team manager and IRO informed ({self.referral})"

    @property
    def iro_display(self) -> str:
        return str(self.iro) if self.iro_id else self.iro_name
