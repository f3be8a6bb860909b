"""Persons of concern and their links to children: the network across children (G30).

A person belongs to no single referral: `PersonLink` links a person to a child (by a referral,
by a risk assessment, or by neither: carried over by a merge), so the same person can be
linked to several children.
"""

from __future__ import annotations

import pghistory
import pgtrigger
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q
from django.utils import timezone

from cse_portal.lifecycle import rows_frozen_with_parent
from cse_portal.models import AgeFromBirthOrEstimate, Agency, Child, Officer
from referrals.models.assessment import RiskAssessment
from referrals.models.referral import Referral, rows_of_a_draft


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
    # The registrations alone, normalised (upper case, letters and digits only), so the same
    # vehicle is recognised across persons and children (G30); `vehicles` keeps the rest.
    vehicle_registrations = ArrayField(models.CharField(max_length=10), default=list, blank=True)
    addresses = models.TextField(blank=True)
    recorded_by = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+")
    recorded_by_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)
    # Optimistic locking: a change names the version it started from; a stale one is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    # The hidden key of the form that added the person: the same form posted twice (a double
    # click, two tabs) adds one person. Empty for persons added otherwise (the demo data).
    creation_key = models.UUIDField(unique=True, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["full_name", "nicknames", "id"]
        verbose_name_plural = "persons of concern"
        default_permissions = ()
        indexes = [GinIndex(fields=["vehicle_registrations"], name="person_vehicle_regs")]
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
    """A person of concern linked to a child, by a referral or a risk assessment (never
    both), or by neither (a link carried over by a merge)."""

    person = models.ForeignKey(PersonOfConcern, on_delete=models.PROTECT, related_name="links")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="person_links")
    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, related_name="person_links", null=True, blank=True
    )
    assessment = models.ForeignKey(
        RiskAssessment,
        on_delete=models.PROTECT,
        related_name="person_links",
        null=True,
        blank=True,
    )
    relationship_to_child = models.CharField(max_length=300, blank=True)
    linked_by = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+")
    linked_by_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    linked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["linked_at", "id"]
        default_permissions = ()
        triggers = [
            # A link made by a referral is fixed with it; other links are not its business.
            rows_of_a_draft("person_links_of_drafts_only", nullable=True),
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
            # A link made by an assessment is fixed once the assessment is finalised.
            rows_frozen_with_parent(
                "person_links_of_draft_assessments",
                parent=RiskAssessment,
                fk="assessment_id",
                message="A finalised assessment cannot be changed",
                nullable=True,
            ),
            pgtrigger.Trigger(
                name="link_child_matches_assessment",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.Update,
                func="""
                IF NEW.assessment_id IS NOT NULL AND NOT EXISTS (
                        SELECT 1 FROM referrals_riskassessment a
                        WHERE a.id = NEW.assessment_id AND a.child_id = NEW.child_id) THEN
                    RAISE EXCEPTION 'An assessment links persons to its own child only';
                END IF;
                RETURN NEW;
                """,
            ),
            # A record merged into another takes no new link: new links go to the survivor.
            pgtrigger.Trigger(
                name="link_to_unmerged_person",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.Update,
                func="""
                IF (TG_OP = 'INSERT' OR NEW.person_id <> OLD.person_id) AND EXISTS (
                        SELECT 1 FROM referrals_personmerge m
                        WHERE m.duplicate_id = NEW.person_id) THEN
                    RAISE EXCEPTION 'This person was merged into another record';
                END IF;
                RETURN NEW;
                """,
            ),
        ]
        constraints = [
            # A link is made by one record at most: a referral or an assessment.
            models.CheckConstraint(
                condition=Q(referral__isnull=True) | Q(assessment__isnull=True),
                name="link_made_by_one_record",
            ),
            models.UniqueConstraint(
                fields=["person", "assessment"],
                condition=Q(assessment__isnull=False),
                name="person_once_per_assessment",
            ),
            models.UniqueConstraint(
                fields=["person", "referral"],
                condition=Q(referral__isnull=False),
                name="person_once_per_referral",
            ),
            # A link made by no record (carried over by a merge) is made once per child.
            models.UniqueConstraint(
                fields=["person", "child"],
                condition=Q(referral__isnull=True, assessment__isnull=True),
                name="person_once_per_child_without_record",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.relationship_to_child or 'linked'}"
