"""Missing episodes' part of a child's "Who viewed or changed this record" (cse_portal.history).

Every agency involved with the child may open every episode (there are no drafts), so every
episode is told of: recorded, the return recorded, the return interview recorded, addenda
added — from the records' own times and the officers they name. The access-log rows of the
missing-episode pages carry the episode's id, or the child's for the pages of all its
episodes (the list, the form that records one): both are the officer's to see.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.utils import timezone

from cse_portal import history
from cse_portal.history import HistoryEntry
from referrals.models import MissingEpisode, MissingEpisodeAddendum

if TYPE_CHECKING:
    from cse_portal.models import Child, Officer

LOG_OBJECT_TYPES = ("missing episode",)  # "missing episode", "missing episodes", "… (record)"


def openable_ids(child: Child, officer: Officer) -> list[str]:
    ids = MissingEpisode.objects.filter(child=child).values_list("pk", flat=True)
    return [str(child.pk), *(str(pk) for pk in ids)]


def _reported(episode: MissingEpisode) -> str:
    return f"reported missing {timezone.localtime(episode.reported_missing_at):%d %b %Y %H:%M}"


def _milestones(episode: MissingEpisode) -> Iterable[HistoryEntry]:
    reported = _reported(episode)
    yield HistoryEntry(
        at=episode.created_at,
        what=f"Missing episode recorded ({reported})",
        officer=episode.recorded_by,
    )
    if episode.return_recorded_at is not None:
        yield HistoryEntry(
            at=episode.return_recorded_at,
            what=f"Return recorded (missing episode {reported})",
            officer=episode.return_recorded_by,
        )
    if episode.interview_recorded_at is not None:
        yield HistoryEntry(
            at=episode.interview_recorded_at,
            what=f"Return interview recorded (missing episode {reported})",
            officer=episode.interview_recorded_by,
        )


def entries(child: Child, officer: Officer) -> list[HistoryEntry]:
    episodes = list(
        MissingEpisode.objects.filter(child=child).select_related(
            "recorded_by__agency", "return_recorded_by__agency", "interview_recorded_by__agency"
        )
    )
    if not episodes:
        return []
    found = [entry for episode in episodes for entry in _milestones(episode)]
    by_pk = {e.pk: e for e in episodes}
    for addendum in MissingEpisodeAddendum.objects.filter(episode__in=episodes).select_related(
        "added_by__agency"
    ):
        found.append(
            HistoryEntry(
                at=addendum.added_at,
                what=f"Addendum added (missing episode {_reported(by_pk[addendum.episode_id])})",
                officer=addendum.added_by,
            )
        )
    return found


SOURCE = history.HistorySource(
    key="missing_episodes",
    entries=entries,
    log_object_types=LOG_OBJECT_TYPES,
    openable_ids=openable_ids,
)
