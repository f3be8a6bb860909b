"""Missing episodes made through the real services, for the tests of tests/referrals/missing
and the access tests (`route_kwargs`)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from cse_portal.models import Child, Officer
from referrals.models import InterviewOutcome, MissingEpisode
from referrals.services import missing as services


def ago(**delta: float) -> datetime:
    """A time in the past, to the minute (as the forms give it)."""
    return (timezone.now() - timedelta(**delta)).replace(second=0, microsecond=0)


def record(
    child: Child, by: Officer, *, reported: datetime | None = None, **fields: Any
) -> MissingEpisode:
    episode, _ = services.missing_episode_record(
        child=child,
        by=by,
        creation_key=uuid.uuid4(),
        reported_missing_at=reported or ago(days=2),
        reported_by_name=fields.pop("reported_by_name", "Residential care home manager"),
        circumstances=fields.pop("circumstances", "Did not come back from school."),
        **fields,
    )
    return episode


def record_return(
    episode: MissingEpisode, by: Officer, *, returned: datetime | None = None, **fields: Any
) -> MissingEpisode:
    return services.missing_episode_record_return(
        episode=episode,
        by=by,
        expected_version=episode.version,
        returned_at=returned or episode.reported_missing_at + timedelta(hours=20),
        found_location=fields.pop("found_location", "A flat on Cinder Row, Northdale"),
        found_by=fields.pop("found_by", "Found by police"),
        **fields,
    )


def record_interview(
    episode: MissingEpisode, by: Officer, *, at: datetime | None = None, **fields: Any
) -> MissingEpisode:
    assert episode.returned_at is not None
    return services.missing_episode_record_interview(
        episode=episode,
        by=by,
        expected_version=episode.version,
        outcome=fields.pop("outcome", InterviewOutcome.HELD),
        interview_at=at or min(episode.returned_at + timedelta(hours=30), ago(minutes=1)),
        interview_by_name=fields.pop("interview_by_name", "Sam Price, independent interviewer"),
        summary=fields.pop("summary", "Said she stayed with friends; no new concerns."),
        **fields,
    )


def closed(child: Child, by: Officer, **times: Any) -> MissingEpisode:
    episode = record(child, by, reported=times.get("reported"))
    episode = record_return(episode, by, returned=times.get("returned"))
    return record_interview(episode, by, at=times.get("interview"))


def _episode(world: Any) -> MissingEpisode:
    """An episode of world.child, the child returned (every page can be asked of it)."""
    episode = MissingEpisode.objects.filter(child=world.child).first()
    if episode is None:
        episode = record_return(record(world.child, world.owner), world.owner)
    return episode


def _pk(world: Any) -> dict[str, Any]:
    return {"pk": _episode(world).pk}


# Kwargs builders of the missing-episode routes, for tests/security/child_route_kwargs.py.
BUILDERS: dict[str, Callable[[Any], dict[str, Any]]] = {
    f"referrals:{name}": _pk
    for name in ("missing_detail", "missing_return", "missing_interview", "missing_addendum")
}
