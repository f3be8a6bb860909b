"""A strategy meeting about one child, its invitations (with attendance) and the kinds of the
notifications (core `Notification`) that tell invitees of them.

A meeting is a draft ("not yet final") from the moment it is convened until the chair
finalises the minutes; then the meeting row, its sections and its invitations are frozen in
the database (triggers) and corrections are addenda (`minutes.Addendum`).
"""

from __future__ import annotations

import uuid

import pghistory
import pgtrigger
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from cse_portal.lifecycle import frozen_once, rows_frozen_with_parent
from cse_portal.models import Agency, Child, Involvement, LocalAuthority, Officer

# G17: "chaired by a Child Protection Coordinator (County) or Independent Reviewing Officer
# (City)" [002 §6].
CHAIR_ROLES = (Officer.Role.CP_COORDINATOR, Officer.Role.IRO)


class Origin(models.TextChoices):
    REFERRAL_DECISION = (
        "referral_decision",
        "Children's social care's decision on a referral: initial assessment, then a strategy "
        "discussion",
    )
    REFERRAL_THRESHOLD = (
        "referral_threshold",
        "A referral that meets the strategy-meeting threshold",
    )
    REVIEW = "review", "A review of an earlier strategy meeting"
    ASSESSMENT = "assessment", "A CSE2 risk assessment that judged the risk medium or high"
    DIRECT = "direct", "Convened directly by children's social care"


class MeetingOutcome(models.TextChoices):
    """The strategy meeting "will result in one of the following outcomes" [002 §6] (G21)."""

    S47 = (
        "s47",
        "Enquiries under section 47 of the Children Act 1989 or emergency action",
    )
    CHILD_IN_NEED = "child_in_need", "A Children in Need plan"
    CAF = "caf", "Initiation of a CAF"
    NFA = "nfa", "No further action"


class PlanningForum(models.TextChoices):
    """After s47 enquiries or emergency action, the planning forum [002 §6] (G21)."""

    CP_CONFERENCE = "cp_conference", "A Child Protection Conference"
    LAC_PLACEMENT_PLANNING = (
        "lac_placement_planning",
        "A Looked After Child Placement Planning Meeting (sometimes referred to as a 72 hour "
        "review)",
    )


# Rules that need other rows (a check constraint sees only its own row): the chair's role
# (G17), and that children's social care convenes.
_MEETING_RULES = """
    IF NOT EXISTS (SELECT 1 FROM cse_portal_officer o WHERE o.id = NEW.chair_id
                   AND o.role IN ('cp_coordinator', 'iro')) THEN
        RAISE EXCEPTION 'The chair must be a child protection coordinator or an independent reviewing officer (G17)'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF NEW.source_assessment_id IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM referrals_riskassessment r WHERE r.id = NEW.source_assessment_id
            AND r.child_id = NEW.child_id AND r.status = 'finalised') THEN
        RAISE EXCEPTION 'A meeting is convened from a finalised assessment of the same child'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM cse_portal_agency a WHERE a.id = NEW.convening_agency_id
                   AND a.kind = 'csc') THEN
        RAISE EXCEPTION 'A strategy meeting is convened by children''s social care'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
"""

# Final minutes address every section (G19, G20): asked of the database when the meeting is
# made final, whatever wrote it.
_FINAL_MINUTES_COMPLETE = """
    IF NEW.status = 'final' AND OLD.status <> 'final' AND EXISTS (
            SELECT 1 FROM strategy_meetings_minutessection s
            WHERE s.meeting_id = NEW.id AND btrim(s.text) = '') THEN
        RAISE EXCEPTION 'Every section of the minutes must be addressed before they are final (G19)'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
"""


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), append_only=True)
class Meeting(models.Model):
    """A multi-agency strategy meeting about one child, convened by children's social care.

    API for the other parts of the app (the action plan, sign-ups, reviews, PDFs):
    - `status`: DRAFT until the chair finalises, then FINAL (frozen: `frozen_once`);
    - `sections` (MinutesSection), `invitations` (Invitation, with attendance), `addenda`;
    - `attendees()`: the invitations recorded as attended (who signs up to the plan, G23);
    - `outcome` (MeetingOutcome) and `planning_forum`; `review_of` (the earlier meeting this
      one reviews) and `reviews` (the meetings reviewing this one);
    - `child_looked_after`: whether the child was looked after when the meeting was convened
      (the placement factors and the IRO's invitation, G20).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Not yet final"
        FINAL = "final", "Final"

    Origin = Origin
    Outcome = MeetingOutcome
    PlanningForum = PlanningForum

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="strategy_meetings")
    origin = models.CharField(max_length=30, choices=Origin.choices)
    referral = models.ForeignKey(
        "referrals.Referral",
        on_delete=models.PROTECT,
        related_name="strategy_meetings",
        null=True,
        blank=True,
    )
    review_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, related_name="reviews", null=True, blank=True
    )
    # Convened from a finalised CSE2 assessment of the child (G12: medium or high, or the
    # tool's equivalent, leads to a CSE risk strategy meeting).
    source_assessment = models.ForeignKey(
        "referrals.RiskAssessment",
        on_delete=models.PROTECT,
        related_name="strategy_meetings",
        null=True,
        blank=True,
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)

    convening_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    convened_by = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+")
    convened_at = models.DateTimeField(default=timezone.now)
    chair = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+")
    minute_taker = models.ForeignKey(
        Officer, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    starts_at = models.DateTimeField("date and time")
    place = models.TextField(blank=True, help_text="Where the meeting is held.")
    call_details = models.TextField(blank=True, help_text="How to join by phone or video.")

    # What the child's record said when the meeting was convened (kept: the minutes are read
    # later as they were at the time).
    child_looked_after = models.BooleanField(default=False)
    child_host_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    # G29 [002 §7]: which authority convenes, and, for a child placed in another area, that
    # the other authority's child protection manager was contacted (who, when).
    convening_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="+"
    )
    host_cp_manager = models.CharField(
        "host authority's child protection manager", max_length=200, blank=True
    )
    host_cp_manager_contacted_at = models.DateTimeField(null=True, blank=True)
    host_contact_note = models.TextField(blank=True)

    # G18: whether the young person and the family are invited, with a reason when not, and
    # whether they attended (recorded with the attendance).
    young_person_invited = models.BooleanField()
    young_person_not_invited_reason = models.TextField(blank=True)
    young_person_attended = models.BooleanField(null=True, blank=True)
    family_invited = models.BooleanField()
    family_not_invited_reason = models.TextField(blank=True)
    family_attended = models.BooleanField(null=True, blank=True)

    # G21: the outcome, and after s47 or emergency action, the planning forum.
    outcome = models.CharField(max_length=20, choices=MeetingOutcome.choices, blank=True)
    planning_forum = models.CharField(max_length=30, choices=PlanningForum.choices, blank=True)
    outcome_notes = models.TextField(blank=True)
    # G25: what parents and carers will be told and by whom, or the decision not to tell
    # them, with reasons.
    parents_will_be_told = models.BooleanField(null=True, blank=True)
    parents_told_what = models.TextField(blank=True)
    parents_told_by = models.CharField(max_length=200, blank=True)
    parents_not_told_reason = models.TextField(blank=True)

    # G37: the finalised record is dated and attributed to a person and agency.
    finalised_by = models.ForeignKey(
        Officer, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    finalised_by_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    finalised_at = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1, editable=False)
    # The hidden key of the convening form: sent twice, it convenes one meeting.
    creation_key = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)

    class Meta:
        ordering = ["-starts_at", "-id"]
        default_permissions = ()
        triggers = [
            frozen_once("final_meeting_is_immutable", value="final"),
            pgtrigger.Trigger(
                name="meeting_rules",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.Update,
                func=_MEETING_RULES,
            ),
            pgtrigger.Trigger(
                name="final_minutes_complete",
                when=pgtrigger.Before,
                operation=pgtrigger.Update,
                func=_FINAL_MINUTES_COMPLETE,
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "final"]), name="meeting_status_known"
            ),
            models.CheckConstraint(
                condition=Q(origin__in=Origin.values), name="meeting_origin_known"
            ),
            models.CheckConstraint(
                condition=~Q(origin__in=["referral_decision", "referral_threshold"])
                | Q(referral__isnull=False),
                name="meeting_from_referral_names_it",
            ),
            models.CheckConstraint(
                condition=~Q(origin="assessment") | Q(source_assessment__isnull=False),
                name="meeting_from_assessment_names_it",
            ),
            models.CheckConstraint(
                condition=Q(origin="review", review_of__isnull=False)
                | (~Q(origin="review") & Q(review_of__isnull=True)),
                name="review_names_the_earlier_meeting",
            ),
            models.CheckConstraint(
                condition=~Q(review_of=F("id")), name="meeting_does_not_review_itself"
            ),
            models.CheckConstraint(
                condition=~Q(place="") | ~Q(call_details=""), name="meeting_has_place_or_call"
            ),
            # G18
            models.CheckConstraint(
                condition=Q(young_person_invited=True) | ~Q(young_person_not_invited_reason=""),
                name="young_person_not_invited_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(family_invited=True) | ~Q(family_not_invited_reason=""),
                name="family_not_invited_has_reason",
            ),
            # G29: a child placed in another area — the host's child protection manager was
            # contacted (who, when), and the convening authority is the home or the host.
            models.CheckConstraint(
                condition=Q(child_host_authority__isnull=True)
                | (~Q(host_cp_manager="") & Q(host_cp_manager_contacted_at__isnull=False)),
                name="out_of_area_host_cp_manager_contacted",
            ),
            # G21: exactly one outcome; the planning forum with s47 / emergency action only.
            models.CheckConstraint(
                condition=Q(outcome="", planning_forum="")
                | Q(outcome="s47", planning_forum__in=PlanningForum.values)
                | Q(outcome__in=["child_in_need", "caf", "nfa"], planning_forum=""),
                name="meeting_outcome_is_one_of_four",
            ),
            # G25
            models.CheckConstraint(
                condition=Q(parents_will_be_told__isnull=True)
                | (Q(parents_will_be_told=True) & ~Q(parents_told_what="") & ~Q(parents_told_by=""))
                | (Q(parents_will_be_told=False) & ~Q(parents_not_told_reason="")),
                name="parents_told_what_and_by_whom_or_why_not",
            ),
            # Final: complete and attributed (G21, G25, G37).
            models.CheckConstraint(
                condition=Q(
                    status="draft",
                    finalised_by__isnull=True,
                    finalised_by_agency__isnull=True,
                    finalised_at__isnull=True,
                )
                | (
                    Q(
                        status="final",
                        finalised_by__isnull=False,
                        finalised_by_agency__isnull=False,
                        finalised_at__isnull=False,
                        parents_will_be_told__isnull=False,
                    )
                    & ~Q(outcome="")
                ),
                name="final_meeting_is_complete",
            ),
        ]
        indexes = [models.Index(fields=["child", "-starts_at"])]

    def __str__(self) -> str:
        return f"Strategy meeting {self.reference}"

    def get_absolute_url(self) -> str:
        return reverse(
            "strategy_meetings:detail", kwargs={"child_pk": self.child_id, "pk": self.pk}
        )

    @property
    def reference(self) -> str:
        return f"SM-{self.pk:05d}" if self.pk else "SM-new"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_final(self) -> bool:
        return self.status == self.Status.FINAL

    @property
    def placed_out_of_area(self) -> bool:
        return self.child_host_authority_id is not None

    def attendees(self) -> models.QuerySet[Invitation]:
        """The invitees recorded as having attended (G17): who signs up to the plan (G23)."""
        return self.invitations.filter(attendance=Attendance.ATTENDED)


class InvitationStatus(models.TextChoices):
    INVITED = "invited", "Invited"
    DECLINED = "declined", "Declined"
    REMOVED = "removed", "Removed from the meeting"


class Attendance(models.TextChoices):
    """G17: attendees, and apologies."""

    ATTENDED = "attended", "Attended"
    APOLOGIES = "apologies", "Sent apologies"
    DID_NOT_ATTEND = "did_not_attend", "Did not attend"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), append_only=True)
class Invitation(models.Model):
    """An invitation of an agency, and of a person in it, to a meeting; then their attendance.

    Inviting an agency involves it with the child (`involvement`, reason "Invited to a strategy
    meeting"), so its officers can prepare; declining or being removed ends that involvement
    unless another invitation still holds it (the agency keeps access for any other reason).
    """

    Status = InvitationStatus
    Attendance = Attendance

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="invitations")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey(
        Officer,
        on_delete=models.PROTECT,
        related_name="meeting_invitations",
        null=True,
        blank=True,
    )
    person_name = models.CharField(
        max_length=200, blank=True, help_text="When the person is not an officer on the portal."
    )
    role = models.CharField(max_length=150, blank=True, help_text="Their role, e.g. 'IRO'.")
    is_iro = models.BooleanField("the child's independent reviewing officer", default=False)
    involvement = models.ForeignKey(
        Involvement, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    status = models.CharField(
        max_length=10, choices=InvitationStatus.choices, default=InvitationStatus.INVITED
    )
    invited_by = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+")
    invited_at = models.DateTimeField(default=timezone.now)
    ended_by = models.ForeignKey(
        Officer, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_reason = models.TextField(blank=True)

    attendance = models.CharField(max_length=20, choices=Attendance.choices, blank=True)
    attendance_recorded_by = models.ForeignKey(
        Officer, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    attendance_recorded_at = models.DateTimeField(null=True, blank=True)

    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)
    creation_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["meeting", "invited_at", "id"]
        default_permissions = ()
        triggers = [
            rows_frozen_with_parent(
                "invitations_of_draft_meetings_only",
                parent=Meeting,
                fk="meeting_id",
                message="A final meeting's invitations and attendance cannot be changed",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(officer__isnull=False) | ~Q(person_name=""),
                name="invitation_names_a_person",
            ),
            models.UniqueConstraint(
                fields=["meeting", "officer"],
                condition=Q(officer__isnull=False, status="invited"),
                name="one_open_invitation_per_officer",
            ),
            models.CheckConstraint(
                condition=Q(status="invited", ended_at__isnull=True, ended_by__isnull=True)
                | (
                    Q(status__in=["declined", "removed"])
                    & Q(ended_at__isnull=False, ended_by__isnull=False)
                ),
                name="ended_invitation_says_who_and_when",
            ),
            models.CheckConstraint(
                condition=Q(attendance="", attendance_recorded_by__isnull=True)
                | (Q(attendance__in=Attendance.values) & Q(attendance_recorded_by__isnull=False)),
                name="attendance_is_attributed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_display} ({self.agency})"

    @property
    def person_display(self) -> str:
        return str(self.officer) if self.officer_id else self.person_name

    @property
    def is_open(self) -> bool:
        return self.status == InvitationStatus.INVITED


class NoticeKind(models.TextChoices):
    INVITED = "invited", "You have been invited to a strategy meeting"
    CHANGED = "changed", "A strategy meeting you are invited to has changed"
    REMOVED = "removed", "You are no longer invited to a strategy meeting"
    FINALISED = "finalised", "The minutes of a strategy meeting you were invited to are final"
    SIGN_UP = "sign_up", "Your sign-up to a strategy meeting's action plan is needed"
    ACTION = "action", "You have been given an action in a strategy meeting's plan"
