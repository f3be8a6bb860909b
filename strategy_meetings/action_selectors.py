"""Reads of action plans that views share, and who may do what with a plan (the predicates
beside the door: a meeting is fetched through `strategy_meetings.selectors.get_meeting_for`
first, an action through `get_action_for`).

- `can_edit_plan`: the chair and the minute-taker, while the minutes are a draft (G22);
- `can_sign(officer, invitation)`: only the attendee themselves, signed in (G23);
- `can_record_agreement(officer, invitation)`: the chair, for an attendee with no portal
  account ("agreed at the meeting, recorded by the chair");
- `can_record_progress(officer, action)`: once the minutes are final, the action's owner, an
  officer of the owner's agency, or the chair (G26: a new row, never an edit of the plan);
- `can_convene_review(officer, meeting)`: children's social care, once the minutes are final.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from django.contrib.auth.models import AnonymousUser
from django.db.models import (
    BooleanField,
    Case,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from cse_portal.access import case_objects_visible_to
from cse_portal.models import Involvement, Officer
from strategy_meetings.models import (
    CLOSED_STATUSES,
    NO_REVIEW_OUTCOMES,
    Action,
    ActionPlan,
    ActionUpdate,
    Attendance,
    FinalisedDigest,
    Invitation,
    Meeting,
    SignUp,
    review_latest,
)
from strategy_meetings.selectors import can_convene, can_write_minutes, is_chair

AnyOfficer = Officer | AnonymousUser


# --- Who may do what ------------------------------------------------------------------------


def can_edit_plan(officer: AnyOfficer, meeting: Meeting) -> bool:
    return can_write_minutes(officer, meeting)


def _attended_draft(invitation: Invitation) -> bool:
    return invitation.attendance == Attendance.ATTENDED and invitation.meeting.is_draft


def can_sign(officer: AnyOfficer, invitation: Invitation) -> bool:
    """An officer signs their own sign-up, never anyone else's."""
    return (
        officer.is_authenticated
        and invitation.officer_id is not None
        and invitation.officer_id == officer.pk
        and _attended_draft(invitation)
    )


def can_record_agreement(officer: AnyOfficer, invitation: Invitation) -> bool:
    """The chair records that an attendee with no portal account agreed at the meeting."""
    return (
        invitation.officer_id is None
        and is_chair(officer, invitation.meeting)
        and _attended_draft(invitation)
    )


def can_record_progress(officer: AnyOfficer, action: Action) -> bool:
    meeting = action.meeting
    if not (officer.is_authenticated and meeting.is_final):
        return False
    agency_id = getattr(officer, "agency_id", None)
    return (
        action.owner_officer_id == officer.pk
        or (agency_id is not None and agency_id == action.owner_agency_id)
        or is_chair(officer, meeting)
    )


def can_convene_review(officer: AnyOfficer, meeting: Meeting) -> bool:
    return meeting.is_final and can_convene(officer, meeting.child)


def review_required(meeting: Meeting) -> bool:
    """G24: unless the outcome is no further action or s47 enquiries."""
    return meeting.outcome not in NO_REVIEW_OUTCOMES


def meeting_day(meeting: Meeting) -> date:
    return timezone.localdate(meeting.starts_at)


def latest_review_date(meeting: Meeting) -> date:
    return review_latest(meeting_day(meeting))


def owner_candidates(meeting: Meeting) -> QuerySet[Officer]:
    """Who may own an action: the active officers of the agencies involved with the child."""
    involved = Involvement.objects.filter(child_id=meeting.child_id, ended_at__isnull=True).values(
        "agency_id"
    )
    return (
        Officer.objects.filter(agency_id__in=involved, is_active=True)
        .select_related("agency")
        .order_by("agency__name", "last_name", "first_name")
    )


# --- Actions with their current status ------------------------------------------------------


def _latest_update() -> QuerySet[ActionUpdate]:
    return ActionUpdate.objects.filter(action=OuterRef("pk")).order_by("-at", "-id")


def _current_status() -> Coalesce:
    """An action's current status: its latest update's, else the plan's."""
    return Coalesce(Subquery(_latest_update().values("status")[:1]), F("status"))


def overdue_condition(today: date) -> ExpressionWrapper:
    """An action is overdue: past its due date, and its current status (annotated as
    `current_status`) neither done nor "no longer needed"."""
    return ExpressionWrapper(
        Q(due__lt=today) & ~Q(current_status__in=CLOSED_STATUSES), output_field=BooleanField()
    )


def with_progress(actions: QuerySet[Action], today: date | None = None) -> QuerySet[Action]:
    """Each action with its current status (the latest update's, else the plan's), when and
    by whom it was last updated, and whether it is overdue: past its due date, not done and
    not "no longer needed"."""
    latest = _latest_update()
    today = today or timezone.localdate()
    return actions.annotate(
        current_status=_current_status(),
        progress_at=Subquery(latest.values("at")[:1]),
        progress_note=Subquery(latest.values("note")[:1]),
    ).annotate(overdue=overdue_condition(today))


def actions_of(meeting: Meeting) -> QuerySet[Action]:
    return with_progress(
        meeting.actions.select_related("owner_officer", "owner_agency", "updated_by")
    ).order_by("due", "created_at", "id")


def updates_of(action: Action) -> QuerySet[ActionUpdate]:
    return action.updates.select_related("by", "by_agency").order_by("at", "id")


def get_action_for(officer: AnyOfficer, pk: int, *, meeting: Meeting) -> Action:
    """An action of a meeting already fetched through the door; 404 for any other."""
    action = actions_of(meeting).filter(pk=pk).first()
    if action is None:
        raise Http404("No such action.")
    action.meeting = meeting
    return action


def _owned_by(officer: Officer) -> QuerySet[Action]:
    """The actions the officer owns, of children they can still see (through the door)."""
    return case_objects_visible_to(
        officer, Action.objects.filter(owner_officer=officer), "meeting__child"
    )


def actions_owned_by(officer: Officer) -> QuerySet[Action]:
    """ "Your actions": the actions the officer owns, of children they can still see, those
    still open first (overdue first), then by due date."""
    return (
        with_progress(
            _owned_by(officer).select_related(
                "meeting", "meeting__child", "owner_agency", "owner_officer"
            )
        )
        .annotate(
            closed=Case(
                When(current_status__in=CLOSED_STATUSES, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by("closed", F("overdue").desc(), "due", "id")
    )


def owns_actions(officer: Officer) -> bool:
    """Whether "Your actions" is in the officer's navigation: they own an action."""
    owned = owned_actions_of(officer)
    return owned is not False and owned.exists()


def owned_actions_of(officer: Officer) -> Literal[False] | QuerySet[Action]:
    """`owns_actions` as the navigation asks it: False without an agency, else the actions
    whose existence decides (asked with the navigation's other questions)."""
    if officer.agency_id is None:
        return False
    return Action.objects.filter(owner_officer=officer)


def open_actions_of(officer: Officer) -> QuerySet[Action]:
    """The officer's open actions in final plans (the badge of "Your actions" counts them):
    the actions of `actions_owned_by` whose meeting is final and whose current status is not
    closed. Only what decides is built, not the list's columns and order: the navigation
    counts it on every page."""
    return (
        _owned_by(officer)
        .filter(meeting__status=Meeting.Status.FINAL)
        .annotate(current_status=_current_status())
        .exclude(current_status__in=CLOSED_STATUSES)
    )


def open_action_count(officer: Officer) -> int | None:
    """The badge of "Your actions": the officer's open actions in final plans."""
    return open_actions_of(officer).count() or None


# --- The plan and its sign-ups --------------------------------------------------------------


@dataclass(frozen=True)
class AttendeeSignUp:
    """An attendee and their sign-up: to the current plan, to an earlier version only, or
    none yet."""

    invitation: Invitation
    current: SignUp | None
    earlier: SignUp | None

    @property
    def signed(self) -> bool:
        return self.current is not None

    @property
    def state(self) -> str:
        if self.current is not None:
            return "signed"
        return "signed_earlier" if self.earlier is not None else "not_signed"


@dataclass(frozen=True)
class PlanView:
    meeting: Meeting
    plan: ActionPlan | None
    actions: list[Action]
    attendees: list[AttendeeSignUp]
    digest: FinalisedDigest | None

    @property
    def version(self) -> int:
        return self.plan.version if self.plan is not None else 0

    @property
    def review_date(self) -> date | None:
        return self.plan.review_date if self.plan is not None else None

    @property
    def not_signed(self) -> list[AttendeeSignUp]:
        return [a for a in self.attendees if not a.signed]

    @property
    def all_signed(self) -> bool:
        return not self.not_signed

    @property
    def has_updates(self) -> bool:
        return any(getattr(a, "updates_after_final", None) for a in self.actions)

    @property
    def overdue_count(self) -> int:
        return sum(1 for a in self.actions if getattr(a, "overdue", False))

    def sign_up_of(self, officer: AnyOfficer) -> AttendeeSignUp | None:
        return next((a for a in self.attendees if a.invitation.officer_id == officer.pk), None)


def plan_of(meeting: Meeting) -> ActionPlan | None:
    return ActionPlan.objects.filter(meeting=meeting).select_related("updated_by").first()


def attendee_sign_ups(meeting: Meeting, version: int) -> list[AttendeeSignUp]:
    attendees = list(
        meeting.invitations.filter(attendance=Attendance.ATTENDED)
        .select_related("agency", "officer")
        .order_by("invited_at", "id")
    )
    by_invitation: dict[int, list[SignUp]] = {}
    for sign_up in (
        SignUp.objects.filter(meeting=meeting)
        .select_related("signed_by", "recorded_by")
        .order_by("at", "id")
    ):
        by_invitation.setdefault(sign_up.invitation_id, []).append(sign_up)
    result = []
    for invitation in attendees:
        invitation.meeting = meeting
        rows = by_invitation.get(invitation.pk, [])
        current = next((s for s in rows if s.plan_version == version), None)
        earlier = next((s for s in reversed(rows) if s.plan_version != version), None)
        result.append(AttendeeSignUp(invitation, current, earlier))
    return result


def plan_view(meeting: Meeting) -> PlanView:
    """Everything the plan page shows: a fixed number of queries, whatever the size."""
    plan = plan_of(meeting)
    version = plan.version if plan is not None else 0
    actions = list(actions_of(meeting))
    for action in actions:
        action.meeting = meeting
    return PlanView(
        meeting=meeting,
        plan=plan,
        actions=actions,
        attendees=attendee_sign_ups(meeting, version),
        digest=FinalisedDigest.objects.filter(meeting=meeting).first(),
    )


def earlier_progress(meeting: Meeting) -> list[Action]:
    """For a review: the actions of the meeting it reviews, with their progress."""
    if meeting.review_of_id is None:
        return []
    earlier = Meeting.objects.get(pk=meeting.review_of_id)
    actions = list(actions_of(earlier))
    for action in actions:
        action.meeting = earlier
    return actions


def reviews_convened(meeting: Meeting) -> QuerySet[Meeting]:
    return meeting.reviews.order_by("starts_at", "id")


def has_open_actions(meeting: Meeting) -> bool:
    return (
        with_progress(meeting.actions.all()).exclude(Q(current_status__in=CLOSED_STATUSES)).exists()
    )


__all__ = [
    "AttendeeSignUp",
    "PlanView",
    "actions_of",
    "actions_owned_by",
    "attendee_sign_ups",
    "can_convene_review",
    "can_edit_plan",
    "can_record_agreement",
    "can_record_progress",
    "can_sign",
    "earlier_progress",
    "get_action_for",
    "has_open_actions",
    "latest_review_date",
    "meeting_day",
    "open_action_count",
    "open_actions_of",
    "owned_actions_of",
    "owner_candidates",
    "owns_actions",
    "plan_of",
    "plan_view",
    "review_required",
    "reviews_convened",
    "updates_of",
    "with_progress",
]
