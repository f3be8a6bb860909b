"""Children's social care's response to a sent referral: the acknowledgement to the referrer
(G07), the decision within one working day (G08, G09), and, for a looked-after child, the
notice to the team manager and the IRO (G11). One of each per referral, never changed."""

from __future__ import annotations

from datetime import datetime

import pghistory
import pgtrigger
from django.db import models
from django.db.models import F, Q
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


def acknowledgement_overdue_condition(now: datetime | None = None) -> Q:
    """The one definition of an overdue acknowledgement (G07), beside the decision's
    (`referral.overdue_condition`): sent, not yet acknowledged, and past the acknowledgement's
    due time (the decision's, one working day after receipt)."""
    return Q(
        status=Referral.Status.SUBMITTED,
        acknowledgement__isnull=True,
        acknowledgement_due__lt=now or timezone.now(),
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


class ApprovalMethod(models.TextChoices):
    """How the team manager's approval of a decision reached the portal (issue 7)."""

    SIGNED_IN = "signed_in", "Approved by the team manager, signed in"
    VERBAL = "verbal", "Approved verbally, recorded by another officer"


# The rules of a decision that need other rows: a check constraint sees only its own row.
_DECISION_RULES = """
    IF NOT EXISTS (SELECT 1 FROM referrals_referralacknowledgement a
                   WHERE a.referral_id = NEW.referral_id) THEN
        RAISE EXCEPTION 'A decision needs the acknowledgement to the referrer first'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF NOT NEW.met_threshold AND EXISTS (
            SELECT 1 FROM referrals_referral r
            JOIN referrals_personlink l ON l.referral_id = r.id
            JOIN referrals_personofconcern p ON p.id = l.person_id
            WHERE r.id = NEW.referral_id AND r.child_identified_at_submission IS FALSE
              AND p.full_name <> '') THEN
        RAISE EXCEPTION 'This referral meets the strategy-meeting threshold (G10)'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    -- The decision is the receiving CSC's: the tray reads an agency's latest decisions by
    -- the decision's own agency (index decision_agency_latest), which must be the referral's.
    IF NOT EXISTS (SELECT 1 FROM referrals_referral r
                   WHERE r.id = NEW.referral_id AND r.to_agency_id = NEW.agency_id) THEN
        RAISE EXCEPTION 'A decision is recorded by the children''s social care the referral was sent to'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
"""


@pghistory.track(pghistory.InsertEvent(), append_only=True)
class ReferralDecision(models.Model):
    """The social worker's and team manager's decision: exactly one of three (G09), recorded
    once the team manager has approved it — by the team manager signed in, or by another
    officer who records their verbal approval, and the record says which (`approval_method`).

    G10 [002 §8]: where the referral names an identified person of concern, CSC answers
    whether the concern about them is sufficiently well evidenced, and who judged it; if so,
    or if the child was not identified when it was sent, the referral meets the
    strategy-meeting threshold (`met_threshold`), and "threshold not met" then needs a reason
    the referrer sees.
    """

    Outcome = Outcome
    ApprovalMethod = ApprovalMethod

    referral = models.OneToOneField(Referral, on_delete=models.PROTECT, related_name="decision")
    outcome = models.CharField(max_length=30, choices=Outcome.choices)
    rationale = models.TextField()
    decided_by = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+")
    approval_method = models.CharField(max_length=10, choices=ApprovalMethod.choices)
    recorded_by = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)
    person_well_evidenced = models.BooleanField(
        null=True,
        blank=True,
        help_text="Is the concern about an identified person of concern sufficiently well "
        "evidenced? Not asked when the referral names no identified person.",
    )
    evidence_judged_by = models.ForeignKey(
        Officer, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    met_threshold = models.BooleanField(
        default=False, help_text="The referral met the strategy-meeting threshold (G10)."
    )
    threshold_not_met_reason = models.TextField(blank=True)

    class Meta:
        default_permissions = ()
        triggers = [
            append_only("decision_is_immutable"),
            to_a_sent_referral("decide_sent_referrals_only"),
            pgtrigger.Trigger(
                name="decision_rules",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert,
                func=_DECISION_RULES,
            ),
        ]
        indexes = [
            # The CSC tray's decided list: an agency's latest decisions, read in order.
            models.Index(
                fields=["agency", "-decided_at", "-referral"], name="decision_agency_latest"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=Outcome.values), name="decision_is_one_of_three"
            ),
            models.CheckConstraint(condition=~Q(rationale=""), name="decision_has_rationale"),
            # Signed in: the team manager recorded it; verbally: someone else did.
            models.CheckConstraint(
                condition=Q(approval_method="signed_in", approved_by=F("recorded_by"))
                | (Q(approval_method="verbal") & ~Q(approved_by=F("recorded_by"))),
                name="decision_approval_method_matches",
            ),
            models.CheckConstraint(
                condition=Q(person_well_evidenced__isnull=True, evidence_judged_by__isnull=True)
                | Q(person_well_evidenced__isnull=False, evidence_judged_by__isnull=False),
                name="decision_evidence_judged_by_someone",
            ),
            models.CheckConstraint(
                condition=~Q(person_well_evidenced=True) | Q(met_threshold=True),
                name="well_evidenced_person_meets_threshold",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="early_help", met_threshold=True)
                | ~Q(threshold_not_met_reason=""),
                name="threshold_met_but_not_met_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} ({self.referral})"

    @property
    def was_on_time(self) -> bool:
        due = self.referral.decision_due
        return due is None or self.decided_at <= due

    @property
    def approved_verbally(self) -> bool:
        return self.approval_method == ApprovalMethod.VERBAL


class InformMethod(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    PHONE = "phone", "By phone"
    EMAIL = "email", "By email"
    MEETING = "meeting", "At a meeting"
    OTHER = "other", "Another way"


@pghistory.track(pghistory.InsertEvent(), append_only=True)
class LookedAfterNotice(models.Model):
    """For a looked-after child: the allocated social worker informed the team manager and
    the IRO [002 §7] (G11), and the outcome of their discussion: 002, "there should always be
    immediate discussion between the Social Care Team Manager and the Independent Reviewing
    Officer (IRO) about the need to bring forward the LAC Review and if so whether to combine
    it with the Strategy Meeting". Recorded once; never changed.

    The outcome is asked of every notice recorded since issue 7 (a trigger refuses one
    without it); notices recorded before then have none (NULL).
    """

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
    bring_lac_review_forward = models.BooleanField(null=True, blank=True)
    combine_with_strategy_meeting = models.BooleanField(
        null=True, blank=True, help_text="Asked only when the LAC review is brought forward."
    )
    detail = models.TextField(blank=True)
    recorded_by = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        default_permissions = ()
        triggers = [
            append_only("looked_after_notice_is_immutable"),
            to_a_sent_referral("notice_sent_referrals_only"),
            pgtrigger.Protect(
                name="notice_records_the_discussion",
                operation=pgtrigger.Insert,
                condition=pgtrigger.Q(new__bring_lac_review_forward__isnull=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(iro__isnull=False) | ~Q(iro_name=""), name="notice_names_the_iro"
            ),
            models.CheckConstraint(
                condition=Q(method__in=InformMethod.values), name="notice_method_known"
            ),
            # Combining is a question only when the review is brought forward.
            models.CheckConstraint(
                condition=Q(
                    bring_lac_review_forward=True, combine_with_strategy_meeting__isnull=False
                )
                | Q(bring_lac_review_forward=False, combine_with_strategy_meeting__isnull=True)
                | Q(
                    bring_lac_review_forward__isnull=True,
                    combine_with_strategy_meeting__isnull=True,
                ),
                name="notice_combining_only_when_brought_forward",
            ),
        ]

    def __str__(self) -> str:
        return f"Team manager and IRO informed ({self.referral})"

    @property
    def iro_display(self) -> str:
        return str(self.iro) if self.iro_id else self.iro_name

    @property
    def discussion_outcome(self) -> str:
        """The outcome of the team manager's and the IRO's discussion, in a sentence."""
        if self.bring_lac_review_forward is None:
            return "Not recorded"
        if not self.bring_lac_review_forward:
            return "The LAC review will not be brought forward"
        if self.combine_with_strategy_meeting:
            return "The LAC review will be brought forward and combined with the strategy meeting"
        return "The LAC review will be brought forward, separate from the strategy meeting"
