"""The SMART action plan of a meeting (G22), every attendee's sign-up to it (G23), the review
date (G24), the progress of the actions after the minutes are final (G26), and the digest of
the finalised record printed on its PDF (G27).

- `ActionPlan`: one per meeting, made when the plan is first written. Its `version` goes up
  with every change to the plan (an action added, changed or removed; the review date); a
  sign-up names the version it agreed to, so a sign-up to an earlier version no longer counts
  and the attendee signs the changed plan (the earlier sign-up stays, as history).
- `Action`: what will be done, by whom (an officer, or a named person, and their agency), by
  when, and how we will know it is done; its status as the meeting agreed it.
- `SignUp`: an attendee's agreement to one version of the plan: by the attendee themselves,
  signed in, or — for an attendee with no portal account — "agreed at the meeting, recorded by
  the chair".
- `ActionUpdate`: after the minutes are final, a change of an action's status is its own
  attributed row; the plan itself is frozen. The current status is the latest update's.
- `FinalisedDigest`: the canonical JSON of the finalised record and its SHA-256, written in
  the transaction that makes the minutes final (the database checks the digest matches).

The plan, its actions and sign-ups change only while the meeting is a draft (triggers). The
rules the database asks of a meeting as it becomes final — the review date (G24) and every
attendee signed up to the current plan (G23) — need these tables, so their trigger on the
meeting table is created by this app's migration 0002 (`PLAN_RULES_WHEN_FINAL_SQL`).
"""

from __future__ import annotations

import calendar
from datetime import date

import pghistory
import pgtrigger
from django.db import models
from django.db.models import Q
from django.utils import timezone

from cse_portal.lifecycle import (
    append_only,
    insert_requires_parent,
    rows_frozen_with_parent,
)
from cse_portal.models import Agency, Officer
from strategy_meetings.models.meeting import Invitation, Meeting

# G24 [002 §6]: "a date for a review meeting should be agreed, to take place no later than
# three months after the initial meeting" — unless these outcomes.
NO_REVIEW_OUTCOMES = ("nfa", "s47")
REVIEW_WITHIN_MONTHS = 3


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    NO_LONGER_NEEDED = "no_longer_needed", "No longer needed"


CLOSED_STATUSES = (ActionStatus.DONE, ActionStatus.NO_LONGER_NEEDED)


def _frozen_with_meeting(name: str, what: str) -> pgtrigger.Trigger:
    return rows_frozen_with_parent(
        name,
        parent=Meeting,
        fk="meeting_id",
        message=f"The minutes are final: {what} cannot be changed",
    )


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), append_only=True)
class ActionPlan(models.Model):
    """A meeting's action plan: its version (what a sign-up agrees to) and the review date."""

    meeting = models.OneToOneField(Meeting, on_delete=models.PROTECT, related_name="plan")
    version = models.PositiveIntegerField(default=1)
    review_date = models.DateField("review meeting date", null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+")

    class Meta:
        default_permissions = ()
        triggers = [_frozen_with_meeting("plan_of_draft_meetings_only", "the action plan")]

    def __str__(self) -> str:
        return f"Action plan of {self.meeting.reference} (version {self.version})"


@pghistory.track(
    pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(), append_only=True
)
class Action(models.Model):
    """One SMART action (G22): specific (what), owned (person and agency), measurable (how we
    will know it is done) and time-bound (due)."""

    Status = ActionStatus

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="actions")
    what = models.TextField("what will be done")
    owner_officer = models.ForeignKey(
        Officer,
        on_delete=models.PROTECT,
        related_name="meeting_actions",
        null=True,
        blank=True,
    )
    owner_name = models.CharField(
        max_length=200, blank=True, help_text="When the owner is not an officer on the portal."
    )
    owner_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    due = models.DateField("due date")
    measure = models.TextField("how we will know it is done")
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    created_by = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1, editable=False)
    # The add form's hidden key: sent twice, it adds one action.
    creation_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["meeting", "due", "created_at", "id"]
        default_permissions = ()
        triggers = [_frozen_with_meeting("actions_of_draft_meetings_only", "the action plan")]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner_officer__isnull=False, owner_name="")
                | Q(owner_officer__isnull=True) & ~Q(owner_name=""),
                name="action_owned_by_an_officer_or_a_named_person",
            ),
            models.CheckConstraint(
                condition=~Q(what="") & ~Q(measure=""), name="action_says_what_and_how_known"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ActionStatus.values), name="action_status_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.what[:60]} ({self.owner_display})"

    @property
    def owner_display(self) -> str:
        person = str(self.owner_officer) if self.owner_officer_id else self.owner_name
        return f"{person} ({self.owner_agency})"

    @property
    def owner_person(self) -> str:
        return str(self.owner_officer) if self.owner_officer_id else self.owner_name

    @property
    def status_now(self) -> str:
        """The current status: the latest update's (G26), else the plan's. Read from the
        annotation of `action_selectors.with_progress` when the action was read through it."""
        annotated = getattr(self, "current_status", None)
        if annotated:
            return str(annotated)
        latest = ActionUpdate.objects.filter(action=self).order_by("-at", "-id").first()
        return latest.status if latest else self.status

    @property
    def status_now_label(self) -> str:
        return ActionStatus(self.status_now).label


class SignUpMethod(models.TextChoices):
    SIGNED_IN = "signed_in", "Signed up, signed in"
    RECORDED_BY_CHAIR = (
        "recorded_by_chair",
        "Agreed at the meeting, recorded by the chair",
    )


# The sign-up is the attendee's own: signed in, only the invited officer signs; an attendee
# with no portal account is recorded by the chair. A row trigger: the rule needs the
# invitation's and the meeting's rows.
_SIGN_UP_RULES = """
    IF NEW.method = 'signed_in' AND NOT EXISTS (
            SELECT 1 FROM strategy_meetings_invitation i
            WHERE i.id = NEW.invitation_id AND i.officer_id = NEW.signed_by_id
              AND i.meeting_id = NEW.meeting_id AND i.attendance = 'attended') THEN
        RAISE EXCEPTION 'Only the attendee signs up to the plan, signed in (G23)'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF NEW.method = 'recorded_by_chair' AND NOT EXISTS (
            SELECT 1 FROM strategy_meetings_invitation i
            JOIN strategy_meetings_meeting m ON m.id = i.meeting_id
            WHERE i.id = NEW.invitation_id AND i.officer_id IS NULL
              AND i.meeting_id = NEW.meeting_id AND i.attendance = 'attended'
              AND m.chair_id = NEW.recorded_by_id) THEN
        RAISE EXCEPTION 'Only the chair records the agreement of an attendee with no portal account (G23)'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
"""


@pghistory.track(pghistory.InsertEvent(), append_only=True)
class SignUp(models.Model):
    """An attendee's sign-up to one version of the plan (G23). Never changed: a changed plan
    is signed again."""

    Method = SignUpMethod

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="sign_ups")
    invitation = models.ForeignKey(Invitation, on_delete=models.PROTECT, related_name="sign_ups")
    plan_version = models.PositiveIntegerField()
    method = models.CharField(max_length=20, choices=SignUpMethod.choices)
    signed_by = models.ForeignKey(
        Officer, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    recorded_by = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["meeting", "at", "id"]
        default_permissions = ()
        triggers = [
            append_only("sign_up_is_immutable"),
            insert_requires_parent(
                "sign_ups_to_draft_plans_only",
                parent=Meeting,
                fk="meeting_id",
                value="draft",
                message="The minutes are final: the plan can no longer be signed",
            ),
            pgtrigger.Trigger(
                name="sign_up_is_the_attendees_own",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert,
                func=_SIGN_UP_RULES,
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["invitation", "plan_version"], name="one_sign_up_per_attendee_and_version"
            ),
            models.CheckConstraint(
                condition=Q(method="signed_in", signed_by__isnull=False)
                & Q(signed_by=models.F("recorded_by"))
                | Q(method="recorded_by_chair", signed_by__isnull=True),
                name="sign_up_by_the_attendee_or_recorded_by_the_chair",
            ),
        ]

    def __str__(self) -> str:
        return f"Sign-up of {self.invitation} to version {self.plan_version}"


# After finalising, an update is added only to an action of a final meeting.
_UPDATES_OF_FINAL_PLANS = """
    IF NOT EXISTS (SELECT 1 FROM strategy_meetings_action a
                   JOIN strategy_meetings_meeting m ON m.id = a.meeting_id
                   WHERE a.id = NEW.action_id AND m.status = 'final') THEN
        RAISE EXCEPTION 'Progress is recorded on the actions of final minutes: change a draft plan instead'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
"""


@pghistory.track(pghistory.InsertEvent(), append_only=True)
class ActionUpdate(models.Model):
    """A change of an action's status after the minutes are final (G26): who, when, and a
    note. Never changed; the latest is the action's current status."""

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="updates")
    status = models.CharField(max_length=20, choices=ActionStatus.choices)
    note = models.TextField(blank=True)
    by = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+")
    by_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    creation_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["action", "at", "id"]
        default_permissions = ()
        triggers = [
            append_only("action_update_is_immutable"),
            pgtrigger.Trigger(
                name="updates_of_final_plans_only",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert,
                func=_UPDATES_OF_FINAL_PLANS,
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ActionStatus.values), name="action_update_status_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} ({self.by}, {self.at:%Y-%m-%d})"


# The stored digest is the SHA-256 of the stored canonical JSON: asked of the database.
_DIGEST_MATCHES = """
    IF NEW.sha256 <> encode(sha256(convert_to(NEW.canonical_json, 'UTF8')), 'hex') THEN
        RAISE EXCEPTION 'The digest must be the SHA-256 of the canonical record'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
"""


@pghistory.track(pghistory.InsertEvent(), append_only=True)
class FinalisedDigest(models.Model):
    """The finalised record as canonical JSON, and its SHA-256 (G27): computed once, as the
    minutes are made final, printed on every page of the PDF, so a printed copy can be
    checked against the record. Addenda and later progress are not part of it."""

    meeting = models.OneToOneField(
        Meeting, on_delete=models.PROTECT, related_name="finalised_digest"
    )
    canonical_json = models.TextField()
    sha256 = models.CharField("SHA-256", max_length=64)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        default_permissions = ()
        triggers = [
            append_only("finalised_digest_is_immutable"),
            insert_requires_parent(
                "digest_of_final_minutes_only",
                parent=Meeting,
                fk="meeting_id",
                value="final",
                message="The digest is of final minutes",
            ),
            pgtrigger.Trigger(
                name="digest_matches_the_record",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert,
                func=_DIGEST_MATCHES,
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="digest_is_sha256_hex"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting.reference}: {self.sha256}"


def review_latest(meeting_day: date) -> date:
    """The latest review date for a meeting on `meeting_day`: three months after, on the same
    day of the month or, where that month is shorter, its last day (as PostgreSQL's
    `date + interval '3 months'`, which the database's rule uses)."""
    index = meeting_day.month - 1 + REVIEW_WITHIN_MONTHS
    year, month = meeting_day.year + index // 12, index % 12 + 1
    return date(year, month, min(meeting_day.day, calendar.monthrange(year, month)[1]))


# G23 and G24 asked of the meeting as it becomes final (migration 0002 creates the trigger).
PLAN_RULES_WHEN_FINAL_SQL = """
CREATE OR REPLACE FUNCTION strategy_meetings_plan_rules_when_final() RETURNS trigger AS $$
DECLARE
    plan RECORD;
    meeting_day date := (NEW.starts_at AT TIME ZONE 'Europe/London')::date;
BEGIN
    IF NEW.status <> 'final' OR OLD.status = 'final' THEN
        RETURN NEW;
    END IF;
    SELECT p.version, p.review_date INTO plan
        FROM strategy_meetings_actionplan p WHERE p.meeting_id = NEW.id;
    IF NEW.outcome NOT IN ('nfa', 's47') AND (plan.review_date IS NULL
            OR plan.review_date <= meeting_day
            OR plan.review_date > (meeting_day + interval '3 months')::date) THEN
        RAISE EXCEPTION 'A review meeting no later than three months after this one is required (G24)'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF EXISTS (SELECT 1 FROM strategy_meetings_invitation i
               WHERE i.meeting_id = NEW.id AND i.attendance = 'attended'
                 AND NOT EXISTS (SELECT 1 FROM strategy_meetings_signup s
                                 WHERE s.invitation_id = i.id
                                   AND s.plan_version = COALESCE(plan.version, 0))) THEN
        RAISE EXCEPTION 'Every attendee must sign up to the action plan before the minutes are final (G23)'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS strategy_meetings_plan_rules_when_final ON strategy_meetings_meeting;
CREATE TRIGGER strategy_meetings_plan_rules_when_final
    BEFORE UPDATE OF status ON strategy_meetings_meeting
    FOR EACH ROW EXECUTE FUNCTION strategy_meetings_plan_rules_when_final();
"""

PLAN_RULES_WHEN_FINAL_REVERSE_SQL = """
DROP TRIGGER IF EXISTS strategy_meetings_plan_rules_when_final ON strategy_meetings_meeting;
DROP FUNCTION IF EXISTS strategy_meetings_plan_rules_when_final();
"""

__all__ = [
    "CLOSED_STATUSES",
    "NO_REVIEW_OUTCOMES",
    "PLAN_RULES_WHEN_FINAL_REVERSE_SQL",
    "PLAN_RULES_WHEN_FINAL_SQL",
    "REVIEW_WITHIN_MONTHS",
    "Action",
    "ActionPlan",
    "ActionStatus",
    "ActionUpdate",
    "FinalisedDigest",
    "SignUp",
    "SignUpMethod",
    "review_latest",
]
