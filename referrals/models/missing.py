"""Missing episodes (G33): each time a child goes missing from home, care or education, when
they were reported missing, when and where they were found or came back, who reported it, and
the return interview, due within 72 hours of the return.

Going missing is one of the strongest signals of sexual exploitation: "90% of children who
have been groomed for sexual exploitation go missing at some point" [002 §4].

An episode is open while the child is missing (`missing`), and while the return interview is
still to be recorded (`returned`); once it is recorded (`closed`) the episode is final and the
database refuses to change it. What was reported, and then the return, are fixed once written
(triggers): corrections are attributed addenda (`MissingEpisodeAddendum`), never edits.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pghistory
import pgtrigger
from django.db import models
from django.db.models import BooleanField, DurationField, ExpressionWrapper, F, Q
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils import timezone

from cse_portal.lifecycle import append_only, frozen_once
from cse_portal.models import Agency, Child, Officer

# The return interview is due within 72 hours of the child's return.
RETURN_INTERVIEW_WITHIN = timedelta(hours=72)


def return_interview_due_after(returned_at: datetime) -> datetime:
    """72 hours of elapsed time after the return (in UTC: across a change of the clocks,
    72 hours are still 72 hours, not three days on the clock)."""
    return returned_at.astimezone(UTC) + RETURN_INTERVIEW_WITHIN


class EpisodeStatus(models.TextChoices):
    MISSING = "missing", "Still missing"
    RETURNED = "returned", "Returned, return interview to record"
    CLOSED = "closed", "Return interview recorded"


class InterviewOutcome(models.TextChoices):
    HELD = "held", "The return interview was held"
    DECLINED = "declined", "The child was offered a return interview and declined it"


def interview_overdue_condition(now: datetime | None = None) -> Q:
    """The one definition of an overdue return interview: the child has returned, no
    interview is recorded, and the 72 hours have passed."""
    return Q(status=EpisodeStatus.RETURNED, return_interview_due__lt=now or timezone.now())


def with_interview_overdue(
    episodes: models.QuerySet[MissingEpisode], now: datetime | None = None
) -> models.QuerySet[MissingEpisode]:
    """Each row with `overdue_at_read`: whether its return interview was overdue when read."""
    return episodes.annotate(
        overdue_at_read=ExpressionWrapper(
            interview_overdue_condition(now), output_field=BooleanField()
        )
    )


# Columns fixed once the episode is recorded, and once the return is recorded.
REPORT_COLUMNS = (
    "child_id",
    "creation_key",
    "created_at",
    "recorded_by_id",
    "recording_agency_id",
    "reported_missing_at",
    "reported_by_officer_id",
    "reported_by_agency_id",
    "reported_by_name",
    "circumstances",
)
RETURN_COLUMNS = (
    "returned_at",
    "found_location",
    "found_by",
    "return_interview_due",
    "return_recorded_by_id",
    "return_recorded_at",
)


def _any_change(columns: tuple[str, ...]) -> str:
    return " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in columns)


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), append_only=True)
class MissingEpisode(models.Model):
    """One episode of a child going missing, recorded by an agency involved with the child."""

    Status = EpisodeStatus
    InterviewOutcome = InterviewOutcome

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="missing_episodes")
    status = models.CharField(
        max_length=10, choices=EpisodeStatus.choices, default=EpisodeStatus.MISSING
    )
    recorded_by = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+")
    recording_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1, editable=False)
    # The hidden key of the form that recorded the episode: a second POST of the same form
    # finds this episode instead of recording another.
    creation_key = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)

    # What was reported.
    reported_missing_at = models.DateTimeField("reported missing at")
    reported_by_officer = models.ForeignKey(
        Officer, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    reported_by_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    reported_by_name = models.CharField(
        "who reported it",
        max_length=200,
        blank=True,
        help_text="Someone not on the portal, e.g. 'residential care home manager'.",
    )
    circumstances = models.TextField(blank=True)

    # The return.
    returned_at = models.DateTimeField("found or returned at", null=True, blank=True)
    found_location = models.TextField("where found", blank=True)
    found_by = models.CharField("found by", max_length=200, blank=True)
    return_interview_due = models.DateTimeField(null=True, blank=True)
    return_recorded_by = models.ForeignKey(
        Officer, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    return_recorded_at = models.DateTimeField(null=True, blank=True)

    # The return interview.
    interview_outcome = models.CharField(
        max_length=10, choices=InterviewOutcome.choices, blank=True
    )
    interview_at = models.DateTimeField("return interview done at", null=True, blank=True)
    interview_by_officer = models.ForeignKey(
        Officer, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    interview_by_name = models.CharField(
        "return interview done by",
        max_length=200,
        blank=True,
        help_text="A named independent person not on the portal.",
    )
    interview_summary = models.TextField("return interview summary", blank=True)
    interview_recorded_by = models.ForeignKey(
        Officer, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    interview_recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-reported_missing_at", "-id"]
        default_permissions = ()
        triggers = [
            frozen_once("closed_missing_episode_is_final", value=EpisodeStatus.CLOSED),
            pgtrigger.Protect(name="missing_episodes_are_kept", operation=pgtrigger.Delete),
            pgtrigger.Protect(
                name="missing_report_is_fixed",
                operation=pgtrigger.Update,
                condition=pgtrigger.Condition(_any_change(REPORT_COLUMNS)),
            ),
            pgtrigger.Protect(
                name="missing_return_is_fixed",
                operation=pgtrigger.Update,
                condition=pgtrigger.Condition(
                    f"OLD.status <> 'missing' AND ({_any_change(RETURN_COLUMNS)})"
                ),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=EpisodeStatus.values), name="missing_episode_status_known"
            ),
            models.CheckConstraint(
                condition=Q(reported_by_officer__isnull=False)
                | Q(reported_by_agency__isnull=False)
                | ~Q(reported_by_name=""),
                name="missing_episode_says_who_reported_it",
            ),
            models.CheckConstraint(
                condition=Q(
                    status="missing",
                    returned_at__isnull=True,
                    found_location="",
                    found_by="",
                    return_interview_due__isnull=True,
                    return_recorded_by__isnull=True,
                    return_recorded_at__isnull=True,
                )
                | (
                    Q(
                        status__in=["returned", "closed"],
                        returned_at__isnull=False,
                        return_interview_due__isnull=False,
                        return_recorded_by__isnull=False,
                        return_recorded_at__isnull=False,
                        returned_at__gte=F("reported_missing_at"),
                    )
                    & ~Q(found_location="")
                ),
                name="missing_episode_return_is_complete",
            ),
            # Due 72 hours after the return: a difference of two instants, the same in every
            # session's time zone.
            models.CheckConstraint(
                condition=Q(returned_at__isnull=True)
                | Q(
                    Exact(
                        ExpressionWrapper(
                            F("return_interview_due") - F("returned_at"),
                            output_field=DurationField(),
                        ),
                        RETURN_INTERVIEW_WITHIN,
                    )
                ),
                name="return_interview_due_72_hours_after_return",
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=["missing", "returned"],
                    interview_outcome="",
                    interview_at__isnull=True,
                    interview_by_officer__isnull=True,
                    interview_by_name="",
                    interview_summary="",
                    interview_recorded_by__isnull=True,
                    interview_recorded_at__isnull=True,
                )
                | (
                    Q(
                        status="closed",
                        interview_outcome__in=InterviewOutcome.values,
                        interview_at__isnull=False,
                        interview_recorded_by__isnull=False,
                        interview_recorded_at__isnull=False,
                        interview_at__gte=F("returned_at"),
                    )
                    & (Q(interview_by_officer__isnull=False) | ~Q(interview_by_name=""))
                    & ~Q(interview_summary="")
                ),
                name="missing_episode_interview_is_complete",
            ),
        ]
        indexes = [
            models.Index(fields=["child", "-reported_missing_at"]),
            models.Index(fields=["status", "return_interview_due"]),
        ]

    def __str__(self) -> str:
        return f"Missing episode reported {timezone.localtime(self.reported_missing_at):%d %b %Y}"

    def get_absolute_url(self) -> str:
        return reverse(
            "referrals:missing_detail", kwargs={"child_pk": self.child_id, "pk": self.pk}
        )

    @property
    def is_missing(self) -> bool:
        return self.status == EpisodeStatus.MISSING

    @property
    def is_returned(self) -> bool:
        return self.status == EpisodeStatus.RETURNED

    @property
    def is_closed(self) -> bool:
        return self.status == EpisodeStatus.CLOSED

    @property
    def interview_overdue(self) -> bool:
        """Overdue, by `interview_overdue_condition`: from the row's annotation when it was
        read through `with_interview_overdue` (every list is), else by the clock now."""
        annotated = getattr(self, "overdue_at_read", None)
        if annotated is not None:
            return bool(annotated)
        due = self.return_interview_due
        return self.is_returned and due is not None and due < timezone.now()

    @property
    def interview_on_time(self) -> bool | None:
        if self.interview_at is None or self.return_interview_due is None:
            return None
        return self.interview_at <= self.return_interview_due

    @property
    def duration(self) -> timedelta | None:
        """How long the child was missing (so far, while still missing)."""
        if self.reported_missing_at is None:
            return None
        end = self.returned_at or timezone.now()
        return max(end - self.reported_missing_at, timedelta(0))

    @property
    def duration_text(self) -> str:
        text = describe_duration(self.duration)
        return f"{text} so far" if self.is_missing else text

    @property
    def reported_by_display(self) -> str:
        """Who reported it, in one line: the officer, the agency, and anyone else named."""
        parts = []
        if self.reported_by_officer_id:
            parts.append(str(self.reported_by_officer))
        if self.reported_by_agency_id:
            agency = str(self.reported_by_agency)
            parts.append(f"({agency})" if parts else agency)
        who = " ".join(parts)
        if self.reported_by_name:
            who = f"{who}; {self.reported_by_name}" if who else self.reported_by_name
        return who

    @property
    def interview_by_display(self) -> str:
        if self.interview_by_officer_id and self.interview_by_officer is not None:
            return self.interview_by_officer.display_with_agency
        return self.interview_by_name


def describe_duration(duration: timedelta | None) -> str:
    """'2 days 4 hours', '9 hours 15 minutes', '40 minutes': the two largest parts."""
    if duration is None:
        return ""
    minutes = int(duration.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [
        f"{n} {unit}{'' if n == 1 else 's'}"
        for n, unit in ((days, "day"), (hours, "hour"), (minutes, "minute"))
        if n
    ]
    return " ".join(parts[:2]) or "less than a minute"


@pghistory.track(pghistory.InsertEvent(), append_only=True)
class MissingEpisodeAddendum(models.Model):
    """A correction or addition to a missing episode, attributed and dated; never changed.
    What was recorded stays as it was: the addendum says what was wrong or what is new."""

    episode = models.ForeignKey(MissingEpisode, on_delete=models.PROTECT, related_name="addenda")
    text = models.TextField()
    added_by = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)
    creation_key = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)

    class Meta:
        ordering = ["episode", "added_at", "id"]
        default_permissions = ()
        triggers = [append_only("missing_addendum_is_immutable")]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="missing_addendum_has_text")
        ]

    def __str__(self) -> str:
        return f"Addendum to {self.episode}"


__all__ = [
    "RETURN_INTERVIEW_WITHIN",
    "EpisodeStatus",
    "InterviewOutcome",
    "MissingEpisode",
    "MissingEpisodeAddendum",
    "describe_duration",
    "interview_overdue_condition",
    "return_interview_due_after",
    "with_interview_overdue",
]
