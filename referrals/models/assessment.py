"""The CSE2 risk assessment of a child (G12–G16, G40): answers to the indicators of the tool its
child's home authority uses, the tool's suggestion, the assessor's judged level, the agencies
that contributed, and, for "not enough information", each missing piece of information with
who will get it and by when.

An assessment is a draft of the assessing agency (only it, and the agencies it asks for a
contribution, can open it) until it is finalised; then the database keeps it as it was: the
assessment row, its answers, its contributions and its requests for contributions are frozen
(triggers), and its information tasks can only be marked done, once, by someone named.
"""

from __future__ import annotations

import uuid

import pghistory
import pgtrigger
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from cse_portal.lifecycle import append_only, frozen_once, rows_frozen_with_parent
from cse_portal.models import Agency, Child, Officer
from referrals.models.assessment_tool import (
    AssessmentTool,
    ToolIndicator,
    ToolOutcome,
    ToolPrefillMap,
)
from referrals.models.referral import Referral
from referrals.scoring import AnswerState


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    FINALISED = "finalised", "Finalised"


# The rules of an assessment that need other rows (a check constraint sees only its own row).
_ASSESSMENT_RULES = """
    IF NEW.judged_outcome_id IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM referrals_tooloutcome o
            WHERE o.id = NEW.judged_outcome_id AND o.tool_id = NEW.tool_id) THEN
        RAISE EXCEPTION 'The judged level must be an outcome of the assessment''s tool'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF NEW.suggested_outcome_id IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM referrals_tooloutcome o
            WHERE o.id = NEW.suggested_outcome_id AND o.tool_id = NEW.tool_id) THEN
        RAISE EXCEPTION 'The suggested level must be an outcome of the assessment''s tool'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF NEW.referral_id IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM referrals_referral r
            WHERE r.id = NEW.referral_id AND r.child_id = NEW.child_id
              AND r.status = 'submitted') THEN
        RAISE EXCEPTION 'An assessment starts from a sent referral about the same child'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    -- An answer pre-filled from the referral is a suggestion until the assessor confirms it.
    IF NEW.status = 'finalised' AND EXISTS (
            SELECT 1 FROM referrals_assessmentanswer a
            WHERE a.assessment_id = NEW.id AND a.awaiting_check) THEN
        RAISE EXCEPTION 'Every answer suggested from the referral must be confirmed or changed'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    -- G14: "not enough information" names each missing piece of information.
    IF NEW.status = 'finalised' AND EXISTS (
            SELECT 1 FROM referrals_tooloutcome o
            WHERE o.id = NEW.judged_outcome_id AND o.kind = 'not_enough_information')
       AND NOT EXISTS (
            SELECT 1 FROM referrals_assessmentinformationtask t
            WHERE t.assessment_id = NEW.id) THEN
        RAISE EXCEPTION 'Not enough information needs the missing information, who will get it and by when'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
"""


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), append_only=True)
class RiskAssessment(models.Model):
    """One CSE2 risk assessment of one child by one agency, with one version of a tool."""

    Status = AssessmentStatus

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="risk_assessments")
    tool = models.ForeignKey(AssessmentTool, on_delete=models.PROTECT, related_name="assessments")
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="risk_assessments",
        verbose_name="assessing agency",
    )
    referral = models.ForeignKey(
        Referral,
        on_delete=models.PROTECT,
        related_name="risk_assessments",
        null=True,
        blank=True,
        help_text="The sent referral the assessment started from, if any.",
    )
    # The links from the referral's SAFEGUARD indicators that pre-answered it, if any.
    prefill_map = models.ForeignKey(
        ToolPrefillMap, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    # G16: the child's latest finalised assessment when this one started (a reassessment).
    previous = models.ForeignKey(
        "self", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_by = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1, editable=False)
    # The start form's hidden key: the same form posted twice starts one assessment.
    creation_key = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    status = models.CharField(
        max_length=10, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )

    # Set when finalised. The suggestion as the assessor saw it is kept (`suggestion_detail`:
    # the indicators that drove it and the reasons), so a later engine does not rewrite it.
    suggested_outcome = models.ForeignKey(
        ToolOutcome, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    suggestion_detail = models.JSONField(default=dict, blank=True)
    judged_outcome = models.ForeignKey(
        ToolOutcome,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="judged level",
    )
    judgement_reason = models.TextField("reason for the judged level", blank=True)
    summary = models.TextField("what the assessment found", blank=True)
    finalised_by = models.ForeignKey(
        Officer, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    finalised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        default_permissions = ()
        triggers = [
            frozen_once("finalised_assessment_immutable", value=AssessmentStatus.FINALISED),
            pgtrigger.Trigger(
                name="risk_assessment_rules",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.Update,
                func=_ASSESSMENT_RULES,
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=AssessmentStatus.values), name="assessment_status_known"
            ),
            models.CheckConstraint(
                condition=Q(
                    status="draft",
                    judged_outcome__isnull=True,
                    suggested_outcome__isnull=True,
                    finalised_by__isnull=True,
                    finalised_at__isnull=True,
                )
                | Q(
                    status="finalised",
                    judged_outcome__isnull=False,
                    suggested_outcome__isnull=False,
                    finalised_by__isnull=False,
                    finalised_at__isnull=False,
                ),
                name="finalised_assessment_is_complete",
            ),
            # G13: a judged level that differs from the suggestion has a reason.
            models.CheckConstraint(
                condition=Q(status="draft")
                | Q(judged_outcome=F("suggested_outcome"))
                | ~Q(judgement_reason=""),
                name="differing_judgement_has_reason",
            ),
            # One draft per agency per child: a second would split the agency's work.
            models.UniqueConstraint(
                fields=["child", "agency"],
                condition=Q(status="draft"),
                name="one_draft_assessment_per_agency",
            ),
        ]
        indexes = [models.Index(fields=["child", "status", "finalised_at"])]

    def __str__(self) -> str:
        return f"Risk assessment {self.reference}"

    def get_absolute_url(self) -> str:
        return reverse(
            "referrals:assessment_detail", kwargs={"child_pk": self.child_id, "pk": self.pk}
        )

    @property
    def reference(self) -> str:
        return f"A-{self.pk:05d}" if self.pk else "A-new"

    @property
    def is_draft(self) -> bool:
        return self.status == AssessmentStatus.DRAFT

    @property
    def is_finalised(self) -> bool:
        return self.status == AssessmentStatus.FINALISED


def _rows_of_a_draft(name: str) -> pgtrigger.Trigger:
    return rows_frozen_with_parent(
        name,
        parent=RiskAssessment,
        fk="assessment_id",
        message="A finalised assessment cannot be changed",
    )


# An answer is to an indicator of its assessment's tool, in a recency band the indicator takes.
_ANSWERS_TO_TOOL_INDICATORS = """
IF NOT EXISTS (SELECT 1 FROM referrals_riskassessment a
               JOIN referrals_toolindicator i ON i.tool_id = a.tool_id
               WHERE a.id = NEW.assessment_id AND i.id = NEW.indicator_id
                 AND (NEW.recency = '' OR NEW.recency = ANY(i.recency_bands))) THEN
    RAISE EXCEPTION 'An answer must be to an indicator of the assessment''s tool, in a recency it takes'
        USING ERRCODE = 'integrity_constraint_violation';
END IF;
RETURN NEW;
"""


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), append_only=True)
class AssessmentAnswer(models.Model):
    """The assessor's answer to one indicator: present / not present / not known, how recently
    when present (one of the bands the indicator takes), and a note."""

    State = AnswerState

    assessment = models.ForeignKey(RiskAssessment, on_delete=models.PROTECT, related_name="answers")
    indicator = models.ForeignKey(ToolIndicator, on_delete=models.PROTECT, related_name="+")
    # "" while a draft has a note but no answer yet; a finalised assessment answers everything.
    state = models.CharField(max_length=20, choices=AnswerState.choices, blank=True)
    recency = models.SlugField(max_length=30, blank=True)
    note = models.TextField(blank=True)
    # Pre-answered from the referral the assessment started from: what was suggested
    # ("Present, from the CSE1 referral of …: …"), kept; and whether the assessor has yet to
    # confirm or change it (finalising is refused until they have).
    referral_suggestion = models.TextField(blank=True)
    awaiting_check = models.BooleanField(default=False)

    class Meta:
        ordering = ["indicator__domain__position", "indicator__position"]
        default_permissions = ()
        triggers = [
            _rows_of_a_draft("assessment_answers_of_drafts_only"),
            # Named to fire after the trigger above (PostgreSQL fires them in name order).
            pgtrigger.Trigger(
                name="assessment_answers_to_tool",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.Update,
                func=_ANSWERS_TO_TOOL_INDICATORS,
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "indicator"], name="one_assessment_answer_per_indicator"
            ),
            models.CheckConstraint(
                condition=Q(state__in=["", *AnswerState.values]),
                name="assessment_answer_state_known",
            ),
            models.CheckConstraint(
                condition=Q(recency="") | Q(state=AnswerState.PRESENT),
                name="recency_only_when_present",
            ),
            models.CheckConstraint(
                condition=Q(awaiting_check=False) | ~Q(referral_suggestion=""),
                name="only_a_referral_suggestion_awaits_check",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code}: {self.get_state_display() or 'not answered'}"

    @property
    def from_referral(self) -> bool:
        return bool(self.referral_suggestion)

    @property
    def referral_suggestion_kept(self) -> bool:
        """The assessor kept the referral's "present" (else they changed it)."""
        return self.from_referral and self.state == AnswerState.PRESENT


@pghistory.track(pghistory.InsertEvent(), append_only=True)
class AssessmentInvitation(models.Model):
    """The assessing agency asks another agency involved with the child for its contribution
    to a draft (G15): that agency's officers may then open the draft and add one."""

    assessment = models.ForeignKey(
        RiskAssessment, on_delete=models.PROTECT, related_name="invitations"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    invited_by = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+")
    invited_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["invited_at", "id"]
        default_permissions = ()
        triggers = [
            append_only("assessment_invitation_append_only"),
            _rows_of_a_draft("assessment_invitations_of_drafts"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "agency"], name="one_invitation_per_agency"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency} asked to contribute to {self.assessment}"


@pghistory.track(pghistory.InsertEvent(), append_only=True)
class AssessmentContribution(models.Model):
    """What an agency contributed to a draft assessment: its officer's account. Never changed;
    a further contribution is a further row."""

    assessment = models.ForeignKey(
        RiskAssessment, on_delete=models.PROTECT, related_name="contributions"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    added_at = models.DateTimeField(default=timezone.now)
    creation_key = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)

    class Meta:
        ordering = ["added_at", "id"]
        default_permissions = ()
        triggers = [
            append_only("assessment_contribution_append_only"),
            _rows_of_a_draft("assessment_contributions_of_drafts"),
        ]
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="contribution_has_text")]

    def __str__(self) -> str:
        return f"Contribution of {self.agency} to {self.assessment}"


# Information tasks are written while the assessment is a draft; once it is finalised they
# are part of the record: never removed or rewritten, only marked done, once, by someone.
_TASK_RULES = """
IF TG_OP = 'INSERT' THEN
    IF NOT EXISTS (SELECT 1 FROM referrals_riskassessment a
                   WHERE a.id = NEW.assessment_id AND a.status = 'draft') THEN
        RAISE EXCEPTION 'Missing information is recorded while the assessment is a draft';
    END IF;
    RETURN NEW;
END IF;
IF OLD.done_at IS NOT NULL THEN
    RAISE EXCEPTION 'A task marked done cannot be changed';
END IF;
IF EXISTS (SELECT 1 FROM referrals_riskassessment a
           WHERE a.id = OLD.assessment_id AND a.status <> 'draft') THEN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'The tasks of a finalised assessment cannot be removed';
    END IF;
    IF (NEW.assessment_id, NEW.information, NEW.responsible_agency_id,
        NEW.responsible_officer_id, NEW.responsible_name, NEW.due, NEW.created_by_id,
        NEW.created_at, NEW.creation_key)
       IS DISTINCT FROM
       (OLD.assessment_id, OLD.information, OLD.responsible_agency_id,
        OLD.responsible_officer_id, OLD.responsible_name, OLD.due, OLD.created_by_id,
        OLD.created_at, OLD.creation_key) THEN
        RAISE EXCEPTION 'The tasks of a finalised assessment can only be marked done';
    END IF;
END IF;
IF TG_OP = 'DELETE' THEN
    RETURN OLD;
END IF;
RETURN NEW;
"""


@pghistory.track(
    pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(), append_only=True
)
class AssessmentInformationTask(models.Model):
    """G14: one piece of information an assessment of "not enough information" needs, who
    will get it (an officer, an agency or a named person) and by when; marked done later."""

    assessment = models.ForeignKey(
        RiskAssessment, on_delete=models.PROTECT, related_name="information_tasks"
    )
    information = models.TextField("information needed")
    responsible_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    responsible_officer = models.ForeignKey(
        Officer, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    responsible_name = models.CharField("named person", max_length=200, blank=True)
    due = models.DateField("get it by")
    created_by = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    creation_key = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        Officer, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    done_note = models.TextField("what was found out", blank=True)

    class Meta:
        ordering = ["due", "id"]
        default_permissions = ()
        triggers = [
            pgtrigger.Trigger(
                name="assessment_task_rules",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete,
                func=_TASK_RULES,
            )
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(information=""), name="task_names_information"),
            models.CheckConstraint(
                condition=Q(responsible_agency__isnull=False)
                | Q(responsible_officer__isnull=False)
                | ~Q(responsible_name=""),
                name="task_names_who_will_get_it",
            ),
            models.CheckConstraint(
                condition=Q(done_at__isnull=True, done_by__isnull=True, done_note="")
                | Q(done_at__isnull=False, done_by__isnull=False),
                name="done_task_is_attributed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.information[:60]} (by {self.due:%d %b %Y})"

    @property
    def who(self) -> str:
        """Who will get the information, as the record says it."""
        parts = []
        if self.responsible_officer_id:
            parts.append(str(self.responsible_officer))
        if self.responsible_name:
            parts.append(self.responsible_name)
        if self.responsible_agency_id:
            agency = str(self.responsible_agency)
            parts.append(f"({agency})" if parts else agency)
        return " ".join(parts)

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    @property
    def overdue(self) -> bool:
        return not self.is_done and self.due < timezone.localdate()
