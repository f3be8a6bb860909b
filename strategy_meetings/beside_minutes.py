"""What the chair and the minute-taker see beside the minutes (issue 9, G19 with consideration
10): the child's latest screening and sent referrals, the latest assessed level and when the
next assessment is due, open actions from earlier meetings, missing episodes in the last 90
days and the persons of concern linked to the child — each read through the door of its
record, so only what the officer may see. A fixed number of queries, however many rows.

Persons of concern are read here, read-only, from their links to this child that the officer
may see (`referrals.selectors_persons.links_visible_to`: a link made by another agency's draft
referral or draft assessment is not the officer's to see).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Q

from cse_portal.access import can_convene
from cse_portal.models import Officer
from referrals.assessment_selectors import (
    NextDue,
    finalised_assessments_of,
    next_assessment_due,
)
from referrals.models import PersonLink
from referrals.selectors_case import case_status_of
from referrals.selectors_missing import recent_episodes_of_child
from referrals.selectors_persons import links_visible_to
from strategy_meetings.action_selectors import with_progress
from strategy_meetings.models import CLOSED_STATUSES, Action, Meeting
from strategy_meetings.person_meeting_selectors import may_see_hidden_count
from strategy_meetings.selectors import ChildContext, child_context

if TYPE_CHECKING:
    from referrals.models import MissingEpisode, Referral, RiskAssessment
    from screening.models import Screening


@dataclass(frozen=True)
class BesideMinutes:
    child: ChildContext
    latest_assessment: RiskAssessment | None
    next_due: NextDue | None
    open_actions: list[Action]
    missing_episodes: list[MissingEpisode]
    person_links: list[PersonLink]
    # CSC and the police see how many children each person is linked to (a count, no
    # identity: issue 8), and CSC may convene a separate meeting about the person.
    sees_counts: bool
    may_convene_separate: bool

    # The template reads the screening and referrals as before.
    @property
    def latest_screening(self) -> Screening | None:
        return self.child.latest_screening

    @property
    def referrals(self) -> list[Referral]:
        return self.child.referrals


PERSONS_SHOWN = 20


def open_earlier_actions(meeting: Meeting) -> list[Action]:
    """Actions of the child's other, final meetings held before this one that are not done
    or no longer needed (a meeting is seen by every agency involved with its child)."""
    # Filtered through the meeting's join, which the row reads anyway (its reference).
    earlier = Action.objects.filter(
        meeting__child_id=meeting.child_id,
        meeting__status=Meeting.Status.FINAL,
        meeting__starts_at__lte=meeting.starts_at,
    ).exclude(meeting_id=meeting.pk)
    actions = with_progress(
        earlier.select_related("meeting", "owner_officer", "owner_agency")
    ).exclude(Q(current_status__in=CLOSED_STATUSES))
    return list(actions.order_by("due", "id")[:20])


def persons_linked(meeting: Meeting, officer: Officer) -> list[PersonLink]:
    """The persons of concern linked to the child, by links the officer may see (the persons
    subject's own rule, `referrals.selectors_persons.links_visible_to`: not in another
    agency's draft referral or draft assessment), each person once, merged records left out
    (their survivor is linked to the child)."""
    links = (
        links_visible_to(officer)
        .filter(child_id=meeting.child_id, person__merged_record__isnull=True)
        .select_related("person")
        .annotate(children_count=Count("person__links__child", distinct=True))
        .order_by("person__full_name", "person_id", "id")
    )
    once: dict[int, PersonLink] = {}
    for link in links:
        once.setdefault(link.person_id, link)
        if len(once) == PERSONS_SHOWN:
            break
    return list(once.values())


MISSING_SHOWN = 10


def latest_assessment(meeting: Meeting, officer: Officer) -> RiskAssessment | None:
    """The child's latest finalised assessment the officer may see (`finalised_of_child`'s
    door and order, its last), with what the panel shows of it: its agency and judged
    level."""
    return finalised_assessments_of(
        meeting.child_id, officer, relations=("agency", "judged_outcome")
    ).last()


def recent_missing_episodes(meeting: Meeting) -> list[MissingEpisode]:
    """The child's first 10 episodes of `missing_episodes_in_last_90_days`, without the
    relations of an episode's page (the panel shows when and the link)."""
    return list(recent_episodes_of_child(meeting.child, relations=())[:MISSING_SHOWN])


def beside_minutes(meeting: Meeting, officer: Officer) -> BesideMinutes:
    latest = latest_assessment(meeting, officer)
    return BesideMinutes(
        child=child_context(meeting, officer),
        latest_assessment=latest,
        # The next is due from the latest (the one `next_assessment_due` takes of a list).
        next_due=next_assessment_due([latest] if latest else [], case_status_of(meeting.child)),
        open_actions=open_earlier_actions(meeting),
        missing_episodes=recent_missing_episodes(meeting),
        person_links=persons_linked(meeting, officer),
        sees_counts=may_see_hidden_count(officer),
        may_convene_separate=can_convene(officer),
    )
