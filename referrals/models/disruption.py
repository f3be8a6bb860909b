"""Persons of concern across children: merging duplicate records (G30) and the disruption
actions taken against a person (G32).

Both are kept as they were recorded: a merge is a row of its own (the merged record stays,
marked merged into the survivor), a disruption action is frozen once recorded, and what
was wrong or is new about an action is an attributed addendum.
"""

from __future__ import annotations

import uuid

import pghistory
import pgtrigger
from django.db import models
from django.db.models import Q
from django.utils import timezone

from cse_portal.lifecycle import append_only
from cse_portal.models import Agency, Officer
from referrals.models.persons import PersonOfConcern


@pghistory.track(pghistory.InsertEvent(), append_only=True)
class PersonMerge(models.Model):
    """Two records found to be the same person: `duplicate` is merged into `survivor`.

    The duplicate is not deleted: it keeps the links its referrals made (a sent referral says
    what it said) and is marked merged; the survivor is linked to every child the duplicate
    was, and new links go to the survivor only (a trigger on PersonLink).
    """

    duplicate = models.OneToOneField(
        PersonOfConcern, on_delete=models.PROTECT, related_name="merged_record"
    )
    survivor = models.ForeignKey(
        PersonOfConcern, on_delete=models.PROTECT, related_name="merges_absorbed"
    )
    reason = models.TextField()
    merged_by = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+")
    merged_by_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    merged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["merged_at", "id"]
        default_permissions = ()
        triggers = [
            append_only("person_merge_is_immutable"),
            pgtrigger.Trigger(
                name="survivor_is_not_merged",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert,
                func="""
                IF EXISTS (SELECT 1 FROM referrals_personmerge m
                           WHERE m.duplicate_id = NEW.survivor_id) THEN
                    RAISE EXCEPTION 'A person merged into another cannot take a merge';
                END IF;
                RETURN NEW;
                """,
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(duplicate=models.F("survivor")), name="merge_of_two_records"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="merge_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.duplicate} merged into {self.survivor}"


class DisruptionKind(models.TextChoices):
    """The disruption tools of the guidance [002 §8, Appendix 2]."""

    WARNING_LETTER = "warning_letter", "Warning letter (harbouring or abduction offences)"
    CAWN = "cawn", "Child Abduction Warning Notice"
    SHPO = "shpo", "Sexual Harm Prevention Order"
    RSHO = "rsho", "Risk of Sexual Harm Order"
    SEARCH = "search", "Search of premises"
    ARREST = "arrest", "Arrest"
    OTHER = "other", "Other action"


@pghistory.track(pghistory.InsertEvent(), append_only=True)
class DisruptionAction(models.Model):
    """An action taken to disrupt a person of concern (G32): frozen once recorded."""

    person = models.ForeignKey(
        PersonOfConcern, on_delete=models.PROTECT, related_name="disruption_actions"
    )
    kind = models.CharField(max_length=20, choices=DisruptionKind.choices)
    other_kind = models.CharField(max_length=200, blank=True)
    action_date = models.DateField()
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    outcome = models.TextField(blank=True)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    creation_key = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)

    class Meta:
        ordering = ["-action_date", "-recorded_at", "-id"]
        default_permissions = ()
        triggers = [append_only("disruption_action_is_immutable")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="other") | ~Q(other_kind=""),
                name="other_disruption_is_described",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=DisruptionKind.values), name="disruption_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind_label} on {self.action_date:%d %b %Y}"

    @property
    def kind_label(self) -> str:
        if self.kind == DisruptionKind.OTHER:
            return self.other_kind
        return str(DisruptionKind(self.kind).label)


class DisruptionAddendum(models.Model):
    """A correction or addition to a disruption action, attributed and dated; never changed."""

    action = models.ForeignKey(DisruptionAction, on_delete=models.PROTECT, related_name="addenda")
    text = models.TextField()
    added_by = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)
    creation_key = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)

    class Meta:
        ordering = ["action", "added_at", "id"]
        default_permissions = ()
        triggers = [append_only("disruption_addendum_is_immutable")]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="disruption_addendum_has_text")
        ]

    def __str__(self) -> str:
        return f"Addendum to {self.action}"
