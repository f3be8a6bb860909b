"""The demo meetings' action plans (called from `strategy_meetings.demo`): SMART actions, the
review date and the attendees' sign-ups; after finalising, an action's progress.

- Mason Reilly (final, held two weeks ago): three actions, one overdue (due a week after the
  meeting, not yet done), one done since; every attendee signed up; the review due in three
  weeks.
- Niamh Gallagher (awaiting sign-up, held two days ago): the minutes written and the outcome
  recorded, the plan agreed and signed by all but the youth worker, so the chair sees who has
  not yet signed and cannot finalise yet.

Every name and detail is fictional. Owners are found among the meeting's officers by
username; an action whose owner is missing is left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from cse_portal.models import Officer
from strategy_meetings import services
from strategy_meetings.action_selectors import plan_of
from strategy_meetings.models import ActionStatus, Attendance, Meeting


@dataclass(frozen=True)
class DemoAction:
    what: str
    owner: str  # username
    due_days_after_meeting: int
    measure: str


@dataclass(frozen=True)
class DemoPlan:
    actions: tuple[DemoAction, ...]
    review_days_after_meeting: int
    not_signed: tuple[str, ...] = ()  # usernames of attendees who have not signed yet
    done: tuple[int, str] = (-1, "")  # after finalising: (action's index, note)


DEMO_PLANS: dict[str, DemoPlan] = {
    "Mason": DemoPlan(
        actions=(
            DemoAction(
                "Check in with Mason every Monday about his phone and who contacts him.",
                "school.lead",
                7,
                "A note of each Monday check-in on the school's safeguarding record.",
            ),
            DemoAction(
                "Review Mason's online safety with him at his next health appointment.",
                "health.practitioner",
                21,
                "The appointment held and what Mason said recorded.",
            ),
            DemoAction(
                "Visit the family to agree the online safety plan and parental controls.",
                "csc.social.worker",
                10,
                "The plan agreed with Mason and his parents, and the controls set up.",
            ),
        ),
        review_days_after_meeting=35,
        done=(2, "Visited the family: the plan is agreed and the controls are set up."),
    ),
    "Niamh": DemoPlan(
        actions=(
            DemoAction(
                "Meet Niamh at the youth project twice a week and keep a safety plan with her.",
                "youth.worker",
                28,
                "Meetings recorded; the safety plan reviewed with Niamh each fortnight.",
            ),
            DemoAction(
                "Find out who drives the cars seen collecting Niamh after the project.",
                "police.officer",
                14,
                "The drivers identified or the enquiries recorded, and shared with the group.",
            ),
        ),
        review_days_after_meeting=42,
        not_signed=("youth.worker",),
    ),
}


def agree_plan(meeting: Meeting, chair: Officer, officers: dict[str, Officer]) -> None:
    """The demo meeting's plan written and signed (as far as its demo says)."""
    spec = DEMO_PLANS.get(meeting.child.first_name)
    if spec is None:
        return
    held_on = timezone.localdate(meeting.starts_at)
    for action in spec.actions:
        owner = officers.get(action.owner)
        if owner is None:
            continue
        services.action_add(
            meeting=meeting,
            by=chair,
            answers=services.ActionAnswers(
                what=action.what,
                owner_officer=owner,
                due=held_on + timedelta(days=action.due_days_after_meeting),
                measure=action.measure,
            ),
        )
    plan = plan_of(meeting)
    services.plan_set_review_date(
        meeting=meeting,
        by=chair,
        review_date=held_on + timedelta(days=spec.review_days_after_meeting),
        expected_version=plan.version if plan else 0,
    )
    _sign(meeting, chair, officers, spec)


def _sign(meeting: Meeting, chair: Officer, officers: dict[str, Officer], spec: DemoPlan) -> None:
    plan = plan_of(meeting)
    version = plan.version if plan else 0
    skip = {officers[u].pk for u in spec.not_signed if u in officers}
    for invitation in meeting.invitations.filter(attendance=Attendance.ATTENDED).select_related(
        "officer"
    ):
        if invitation.officer_id in skip:
            continue
        if invitation.officer is not None:
            services.plan_sign(
                meeting=meeting, by=invitation.officer, invitation=invitation, plan_version=version
            )
        else:
            services.plan_record_agreement(
                meeting=meeting, by=chair, invitation=invitation, plan_version=version
            )


def after_final(meeting: Meeting, officers: dict[str, Officer]) -> None:
    """Progress since the minutes were final: one action done (the others stay as agreed, so
    the one due a week after the meeting is overdue)."""
    spec = DEMO_PLANS.get(meeting.child.first_name)
    if spec is None or spec.done[0] < 0:
        return
    index, note = spec.done
    what = spec.actions[index].what
    action = meeting.actions.filter(what=what).select_related("owner_officer").first()
    if action is None or action.owner_officer is None:
        return
    action.meeting = meeting
    services.action_record_progress(
        action=action, by=action.owner_officer, status=ActionStatus.DONE, note=note
    )
