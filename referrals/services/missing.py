"""Writes of missing episodes (G33): recording an episode, the child's return, the return
interview, and addenda. Any agency involved with the child records them; every write is
attributed (`cse_portal.lifecycle.attributed`).

An episode is edited while it is open — the return, then the return interview — each by
claiming the episode's version (`claim_version`), so of two officers recording the same return
at once only one succeeds and nothing is overwritten; the other is told (ConcurrentEditError).
Once the interview is recorded the episode is final (the database refuses any change);
corrections are addenda.

Each rule is written once, in a `*_problems` function that the service applies and the page
asks as well, so its error summary lists every problem at once. `now` is for the demo data
set and tests; pages never pass it.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from cse_portal.access import children_visible_to
from cse_portal.lifecycle import ConcurrentEditError, attributed, claim_version
from cse_portal.models import Agency, Child, Officer
from cse_portal.themes_summary import records_changed
from referrals.models import EpisodeStatus, InterviewOutcome, MissingEpisode, MissingEpisodeAddendum
from referrals.models.missing import return_interview_due_after
from referrals.selectors_missing import involved_agencies, involved_officers
from referrals.services.notices import tell_interview_due

# A child is under 18: nothing about them happened longer ago than that.
OLDEST = timedelta(days=18 * 366)


def _require_involved(child_id: UUID, by: Officer) -> int:
    """The officer's agency's id, if it is involved with the child (else PermissionDenied)."""
    if by.agency_id is None or not children_visible_to(by).filter(pk=child_id).exists():
        raise PermissionDenied("Only an agency involved with the child can record this.")
    return by.agency_id


def _when_problem(
    at: datetime | None, *, what: str, now: datetime, after: datetime | None = None, since: str = ""
) -> str | None:
    """The one problem with the time of an event, if any: missing, in the future, impossibly
    long ago, or before the event it follows (`after`, described by `since`)."""
    if at is None:
        return f"Enter the date and time {what}"
    if at > now:
        return f"The date and time {what} must be in the past"
    if at < now - OLDEST:
        return f"The date and time {what} must be within the last 18 years"
    if after is not None and at < after:
        local = timezone.localtime(after)
        return f"The date and time {what} must be after {since} ({local:%d/%m/%Y %H:%M})"
    return None


# --- Recording an episode -------------------------------------------------------------------


def report_problems(
    child: Child,
    *,
    reported_missing_at: datetime | None,
    reported_by_officer: Officer | None = None,
    reported_by_agency: Agency | None = None,
    reported_by_name: str = "",
    now: datetime | None = None,
) -> dict[str, str]:
    """When the child was reported missing, and who reported it: an officer or an agency of
    those involved with the child, or someone named (a parent, a care home's manager)."""
    problems = {}
    when = _when_problem(
        reported_missing_at, what="the child was reported missing", now=now or timezone.now()
    )
    if when:
        problems["reported_missing_at"] = when
    if reported_by_officer is None and reported_by_agency is None and not reported_by_name.strip():
        problems["reported_by_name"] = (
            "Select who reported the child missing, or enter their name or role"
        )
    if (
        reported_by_officer is not None
        and not involved_officers(child).filter(pk=reported_by_officer.pk).exists()
    ):
        problems["reported_by_officer"] = "Select an officer from the list"
    elif (
        reported_by_officer is not None
        and reported_by_agency is not None
        and reported_by_officer.agency_id != reported_by_agency.pk
    ):
        problems["reported_by_agency"] = (
            f"{reported_by_officer} works for {reported_by_officer.agency}: select that agency, "
            "or leave the agency unselected"
        )
    if (
        reported_by_agency is not None
        and not involved_agencies(child).filter(pk=reported_by_agency.pk).exists()
    ):
        problems["reported_by_agency"] = "Select an agency from the list"
    return problems


@transaction.atomic
def missing_episode_record(
    *,
    child: Child,
    by: Officer,
    creation_key: uuid.UUID | None,
    reported_missing_at: datetime | None,
    reported_by_officer: Officer | None = None,
    reported_by_agency: Agency | None = None,
    reported_by_name: str = "",
    circumstances: str = "",
    now: datetime | None = None,
) -> tuple[MissingEpisode, bool]:
    """Record that the child was reported missing. Returns (episode, created): the same
    `creation_key` twice (a re-posted form) returns the first episode."""
    agency_id = _require_involved(child.pk, by)
    creation_key = creation_key or uuid.uuid4()
    existing = MissingEpisode.objects.filter(creation_key=creation_key).first()
    if existing is not None:
        if existing.child_id != child.pk or existing.recording_agency_id != agency_id:
            raise ValidationError("This form has already been used. Start again.")
        return existing, False
    now = now or timezone.now()
    problems = report_problems(
        child,
        reported_missing_at=reported_missing_at,
        reported_by_officer=reported_by_officer,
        reported_by_agency=reported_by_agency,
        reported_by_name=reported_by_name,
        now=now,
    )
    if problems or reported_missing_at is None:  # None has a problem too
        raise ValidationError(problems)
    if reported_by_officer is not None and reported_by_agency is None:
        reported_by_agency = reported_by_officer.agency
    try:
        with attributed(by), transaction.atomic():
            episode = MissingEpisode.objects.create(
                child=child,
                recorded_by=by,
                recording_agency_id=agency_id,
                created_at=now,
                updated_at=now,
                creation_key=creation_key,
                reported_missing_at=reported_missing_at,
                reported_by_officer=reported_by_officer,
                reported_by_agency=reported_by_agency,
                reported_by_name=reported_by_name.strip(),
                circumstances=circumstances.strip(),
            )
    except IntegrityError:
        # Two posts of the same form at once: the other one recorded it.
        existing = MissingEpisode.objects.filter(creation_key=creation_key).first()
        if existing is None:
            raise
        return existing, False
    records_changed([child.pk])
    return episode, True


# --- The return -----------------------------------------------------------------------------


def return_problems(
    episode: MissingEpisode,
    *,
    returned_at: datetime | None,
    found_location: str,
    now: datetime | None = None,
) -> dict[str, str]:
    problems = {}
    when = _when_problem(
        returned_at,
        what="the child was found or returned",
        now=now or timezone.now(),
        after=episode.reported_missing_at,
        since="they were reported missing",
    )
    if when:
        problems["returned_at"] = when
    if not found_location.strip():
        problems["found_location"] = "Enter where the child was found, or where they returned to"
    return problems


def _claim(
    episode: MissingEpisode,
    expected_version: int,
    *,
    stage: str,
    next_stage: str,
    changes: dict[str, Any],
    **bookkeeping: Any,
) -> MissingEpisode:
    """Write `changes` and move the episode from `stage` to `next_stage`, if it is still at
    `expected_version` and `stage`. Someone
    else's save since then refuses it (ConcurrentEditError, nothing overwritten), unless it
    wrote these same values: the same form sent twice, answered with the episode as it is."""
    try:
        claim_version(
            episode,
            expected_version,
            where=Q(status=stage),
            status=next_stage,
            **changes,
            **bookkeeping,
        )
    except ConcurrentEditError:
        fresh = MissingEpisode.objects.get(pk=episode.pk)
        if any(getattr(fresh, name) != value for name, value in changes.items()):
            raise
    episode.refresh_from_db()
    return episode


@transaction.atomic
def missing_episode_record_return(
    *,
    episode: MissingEpisode,
    by: Officer,
    expected_version: int,
    returned_at: datetime | None,
    found_location: str,
    found_by: str = "",
    now: datetime | None = None,
) -> MissingEpisode:
    """Record when and where the child was found or came back; the return interview falls
    due 72 hours later. Refused (ConcurrentEditError) if someone saved the episode since
    `expected_version` — unless they recorded this same return (a form sent twice)."""
    _require_involved(episode.child_id, by)
    now = now or timezone.now()
    problems = return_problems(
        episode, returned_at=returned_at, found_location=found_location, now=now
    )
    if problems or returned_at is None:  # None has a problem too
        raise ValidationError(problems)
    changes = {
        "returned_at": returned_at,
        "found_location": found_location.strip(),
        "found_by": found_by.strip(),
    }
    with attributed(by):
        returned = _claim(
            episode,
            expected_version,
            stage=EpisodeStatus.MISSING,
            next_stage=EpisodeStatus.RETURNED,
            changes=changes,
            return_interview_due=return_interview_due_after(returned_at),
            return_recorded_by=by,
            return_recorded_at=now,
        )
    if returned.return_recorded_at == now:  # recorded now, not the same form sent again
        tell_interview_due(returned, by)
    return returned


# --- The return interview -------------------------------------------------------------------


def interview_problems(
    episode: MissingEpisode,
    *,
    outcome: str,
    interview_at: datetime | None,
    interview_by_officer: Officer | None,
    interview_by_name: str,
    summary: str,
    now: datetime | None = None,
) -> dict[str, str]:
    problems = {}
    if outcome not in InterviewOutcome.values:
        problems["outcome"] = "Select whether the return interview was held or declined"
    when = _when_problem(
        interview_at,
        what="of the return interview",
        now=now or timezone.now(),
        after=episode.returned_at,
        since="the child's return",
    )
    if when:
        problems["interview_at"] = when
    if interview_by_officer is None and not interview_by_name.strip():
        problems["interview_by_name"] = (
            "Select who did the return interview, or enter the name of the independent person"
        )
    elif (
        interview_by_officer is not None
        and not involved_officers(episode.child).filter(pk=interview_by_officer.pk).exists()
    ):
        problems["interview_by_officer"] = "Select an officer from the list"
    if not summary.strip():
        problems["summary"] = (
            "Enter a summary of the return interview"
            if outcome != InterviewOutcome.DECLINED
            else "Enter what was offered, by whom, and what the child said"
        )
    return problems


@transaction.atomic
def missing_episode_record_interview(
    *,
    episode: MissingEpisode,
    by: Officer,
    expected_version: int,
    outcome: str,
    interview_at: datetime | None,
    interview_by_officer: Officer | None = None,
    interview_by_name: str = "",
    summary: str,
    now: datetime | None = None,
) -> MissingEpisode:
    """Record the return interview (held, or offered and declined): who did it, when, and
    what it found. The episode is then final."""
    _require_involved(episode.child_id, by)
    now = now or timezone.now()
    answers: dict[str, Any] = {
        "outcome": outcome,
        "interview_at": interview_at,
        "interview_by_officer": interview_by_officer,
        "interview_by_name": interview_by_name,
        "summary": summary,
    }
    problems = interview_problems(episode, **answers, now=now)
    if problems:
        raise ValidationError(problems)
    changes = {
        "interview_outcome": outcome,
        "interview_at": interview_at,
        "interview_by_officer": interview_by_officer,
        "interview_by_name": "" if interview_by_officer else interview_by_name.strip(),
        "interview_summary": summary.strip(),
    }
    with attributed(by):
        return _claim(
            episode,
            expected_version,
            stage=EpisodeStatus.RETURNED,
            next_stage=EpisodeStatus.CLOSED,
            changes=changes,
            interview_recorded_by=by,
            interview_recorded_at=now,
        )


# --- Addenda --------------------------------------------------------------------------------


def addendum_problems(*, text: str) -> dict[str, str]:
    if not text.strip():
        return {"text": "Enter the correction or the information to add"}
    return {}


@transaction.atomic
def missing_episode_add_addendum(
    *,
    episode: MissingEpisode,
    by: Officer,
    text: str,
    creation_key: uuid.UUID | None,
    now: datetime | None = None,
) -> tuple[MissingEpisodeAddendum, bool]:
    """Add a correction or addition to an episode (at any stage): attributed, dated, never
    changed. Returns (addendum, created); a re-posted form returns the first addendum."""
    agency_id = _require_involved(episode.child_id, by)
    creation_key = creation_key or uuid.uuid4()
    existing = MissingEpisodeAddendum.objects.filter(creation_key=creation_key).first()
    if existing is not None:
        if existing.episode_id != episode.pk or existing.agency_id != agency_id:
            raise ValidationError("This form has already been used. Start again.")
        return existing, False
    problems = addendum_problems(text=text)
    if problems:
        raise ValidationError(problems)
    try:
        with attributed(by), transaction.atomic():
            addendum = MissingEpisodeAddendum.objects.create(
                episode=episode,
                text=text.strip(),
                added_by=by,
                agency_id=agency_id,
                added_at=now or timezone.now(),
                creation_key=creation_key,
            )
    except IntegrityError:
        existing = MissingEpisodeAddendum.objects.filter(creation_key=creation_key).first()
        if existing is None:
            raise
        return existing, False
    return addendum, True
