"""Reads of missing episodes (G33) that pages, the child's record and later subjects share.

Every agency involved with a child sees all of the child's missing episodes: there are no
drafts (an episode is recorded as it is reported). The door is the child's: an episode is
found through `cse_portal.access`, so an officer of an uninvolved agency gets 404.

For the CSE2 assessment (and anything else that wants the signal):

- `missing_episodes_in_last_90_days(child)` — the episodes of the last 90 days, newest first;
- `missing_count(child, days=90)` — how many.

An episode is "in the last N days" when any part of it falls in them: reported missing in
them, returned in them, or still missing. Both take a child that was fetched through the
door already; they are a *prompt* beside the assessment's "missing" indicators, never an
answer to them (G40).

For "your work": `return_interviews_due_for(officer)` — the return interviews not yet
recorded of the children the officer's agency is involved with, overdue first.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from cse_portal.access import (
    case_objects_of_visible_ids,
    get_case_object_for,
)
from cse_portal.models import Agency, Officer
from cse_portal.querysets import given_the_child, with_only_relations
from referrals.models import EpisodeStatus, MissingEpisode, MissingEpisodeAddendum
from referrals.models.missing import with_interview_overdue

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from cse_portal.models import Child

RECENT_DAYS = 90

_RELATED = (
    "child",
    "recorded_by",
    "recording_agency",
    "reported_by_officer",
    "reported_by_agency",
    "return_recorded_by",
    "interview_by_officer__agency",
    "interview_recorded_by",
)


def _episodes() -> QuerySet[MissingEpisode]:
    return with_interview_overdue(MissingEpisode.objects.select_related(*_RELATED))


def episodes_of_child(child: Child) -> QuerySet[MissingEpisode]:
    """All the child's episodes, newest first (the child came through the door)."""
    return _episodes().filter(child=child)


def in_last_days(days: int = RECENT_DAYS, now: datetime | None = None) -> Q:
    """Episodes with any part in the last `days` days (see the module's docstring)."""
    since = (now or timezone.now()) - timedelta(days=days)
    return (
        Q(reported_missing_at__gte=since) | Q(returned_at__gte=since) | Q(returned_at__isnull=True)
    )


def recent_episodes_of_child(
    child: Child,
    *,
    days: int = RECENT_DAYS,
    now: datetime | None = None,
    relations: tuple[str, ...] | None = None,
) -> QuerySet[MissingEpisode]:
    """The child's episodes with any part in the last 90 days (or `days`), newest first.
    `relations` selects only the relations the caller shows; None keeps an episode page's."""
    return with_only_relations(episodes_of_child(child).filter(in_last_days(days, now)), relations)


def missing_episodes_in_last_90_days(
    child: Child, *, days: int = RECENT_DAYS, now: datetime | None = None
) -> list[MissingEpisode]:
    """The child's episodes with any part in the last 90 days (or `days`), newest first."""
    return list(recent_episodes_of_child(child, days=days, now=now))


def missing_count(child: Child, days: int = RECENT_DAYS, *, now: datetime | None = None) -> int:
    """How many of the child's episodes fall in the last 90 days (or `days`)."""
    return MissingEpisode.objects.filter(child=child).filter(in_last_days(days, now)).count()


def get_episode_for(
    officer: Officer | AnonymousUser, pk: object, *, child_pk: object
) -> MissingEpisode:
    """The episode `pk` of child `child_pk`, if the officer's agency is involved with the
    child; else 404."""
    return get_case_object_for(officer, _episodes(), pk, child_pk=child_pk)


def addenda_of(episode: MissingEpisode) -> list[MissingEpisodeAddendum]:
    return list(episode.addenda.select_related("added_by", "agency"))


def return_interviews_due_for(
    officer: Officer | AnonymousUser, now: datetime | None = None
) -> QuerySet[MissingEpisode]:
    """Return interviews not yet recorded, of the children the officer's agency is involved
    with: overdue first (the earliest due time first), each with `interview_overdue`."""
    due = with_interview_overdue(
        MissingEpisode.objects.filter(status=EpisodeStatus.RETURNED).select_related(
            "child", "recording_agency"
        ),
        now,
    )
    # The agency's child ids read first: the list reads every returned episode (its count)
    # otherwise, each probed against the permission rows.
    return case_objects_of_visible_ids(officer, due).order_by("return_interview_due", "pk")


# --- Whom the forms offer ------------------------------------------------------------------


def involved_agencies(child: Child) -> QuerySet[Agency]:
    """The agencies involved with the child now (who may have reported it missing)."""
    involved = child.involvements.filter(ended_at__isnull=True).values("agency")
    return Agency.objects.filter(pk__in=involved, is_active=True).order_by("name")


def involved_officers(child: Child) -> QuerySet[Officer]:
    """The active officers of the agencies involved with the child (who may have reported
    the child missing, or done the return interview)."""
    return (
        Officer.objects.filter(is_active=True, agency__in=involved_agencies(child))
        .select_related("agency")
        .order_by("agency__name", "last_name", "first_name")
    )


# --- The child's record ---------------------------------------------------------------------


def _cards_in_last_days(child: Child, days: int = RECENT_DAYS) -> list[MissingEpisode]:
    """`missing_episodes_in_last_90_days` with what an episode's card shows: who held the
    return interview (an officer, with their agency), not the officers and agencies who
    recorded and reported it (each join is planned for every record page); each given the
    page's child (the same row, fetched through the door)."""
    return given_the_child(
        with_interview_overdue(
            MissingEpisode.objects.select_related("interview_by_officer__agency")
        ).filter(in_last_days(days), child=child),
        child,
    )


def missing_section(child: Child, officer: Officer) -> dict[str, Any]:
    """The "Missing episodes" section of the child's record: the last 90 days' episodes."""
    episodes = _cards_in_last_days(child)
    return {
        "episodes": episodes,
        "count": len(episodes),
        "days": RECENT_DAYS,
        "still_missing": any(e.is_missing for e in episodes),
    }
