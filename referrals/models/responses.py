"""Children's social care's response to a sent referral: the acknowledgement to the referrer
(G07), the decision within one working day (G08, G09), and, for a looked-after child, the
notice to the team manager and the IRO (G11). One of each per referral, never changed."""

from __future__ import annotations

import pghistory
import pgtrigger
from django.db import models
from django.db.models import Q
from django.utils import timezone

from cse_portal.lifecycle import append_only, insert_requires_parent
from cse_portal.models import Agency, Officer
from referrals.models.referral import Referral


def to_a_sent_referral(name: str) -> pgtrigger.Trigger:
    """CSC's responses are recorded against a sent referral, never a draft."""
    return insert_requires_parent(
        name,
        parent=Referral,
        fk="referral_id",
        message="Only a sent referral can be acknowledged or decided",
    )


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
            append_only("acknowledgement_is_immutable"),
            to_a_sent_referral("acknowledge_sent_referrals_only"),
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
            append_only("decision_is_immutable"),
            to_a_sent_referral("decide_sent_referrals_only"),
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
            append_only("looked_after_notice_is_immutable"),
            to_a_sent_referral("notice_sent_referrals_only"),
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
