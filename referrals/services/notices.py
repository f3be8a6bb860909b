"""What the referrals app tells officers inside the portal, at the event (the core's
notifications: a fixed sentence and the link to the record, never the child's name)."""

from __future__ import annotations

from django.utils import timezone

from cse_portal.models import Officer
from cse_portal.notifications import notify
from referrals.models import AssessmentInformationTask, MissingEpisode


def tell_interview_due(episode: MissingEpisode, by: Officer) -> None:
    """Whoever recorded or reported the episode is told that the return interview is due
    (the time only: the episode's page, behind the door, says the rest)."""
    due = timezone.localtime(episode.return_interview_due) if episode.return_interview_due else None
    notify(
        recipients=[
            o for o in (episode.recorded_by, episode.reported_by_officer) if o and o.pk != by.pk
        ],
        kind="missing.interview_due",
        text="A return interview is due" + (f" by {due:%-d %B %Y, %H:%M}" if due else ""),
        link=episode.get_absolute_url(),
        at=episode.return_recorded_at,
    )


def tell_task_given(task: AssessmentInformationTask, officer: Officer) -> None:
    """The officer named to get a piece of missing information (G14) is told, with the date."""
    notify(
        recipients=[officer],
        kind="assessment.information_task",
        text=f"You have been asked to get information for a risk assessment by {task.due:%-d %B %Y}",
        link=task.assessment.get_absolute_url(),
    )
