"""Writes around a CSE2 risk assessment: asking other involved agencies for their contribution
and recording it (G15), and the information an assessment of "not enough information" needs
— each piece, who will get it and by when, marked done later (G14).

As in `assessment`: the acting officer is passed in, every write is attributed, a refusal for
lack of permission is PermissionDenied and one for the record's state or the rules is
ValidationError.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cse_portal.lifecycle import attributed
from cse_portal.models import Agency, Officer
from referrals.assessment_selectors import (
    can_contribute,
    can_mark_task_done,
    involved_agencies,
)
from referrals.models import (
    AssessmentContribution,
    AssessmentInformationTask,
    AssessmentInvitation,
    RiskAssessment,
)
from referrals.services.assessment import FINALISED, USED_FORM, locked, require_draft_writer
from referrals.services.notices import tell_task_given

# --- Contributions (G15) --------------------------------------------------------------------


@transaction.atomic
def assessment_invite(
    *,
    assessment: RiskAssessment,
    by: Officer,
    agencies: list[Agency],
    now: datetime | None = None,
) -> list[AssessmentInvitation]:
    """The assessing agency asks agencies involved with the child for their contribution.
    Asking an agency again changes nothing."""
    current = locked(assessment)
    require_draft_writer(current, by)
    if not agencies:
        raise ValidationError({"agencies": "Select the agencies to ask for a contribution"})
    involved = {a.pk for a in involved_agencies(current.child)} - {current.agency_id}
    if any(a.pk not in involved for a in agencies):
        raise ValidationError({"agencies": "Select agencies involved with this child"})
    with attributed(by):
        return [
            AssessmentInvitation.objects.get_or_create(
                assessment=current,
                agency=agency,
                defaults={"invited_by": by, "invited_at": now or timezone.now()},
            )[0]
            for agency in agencies
        ]


def contribution_problems(text: str) -> dict[str, str]:
    if not text.strip():
        return {"text": "Enter your agency's contribution"}
    return {}


@transaction.atomic
def assessment_contribute(
    *,
    assessment: RiskAssessment,
    by: Officer,
    text: str,
    creation_key: uuid.UUID | None = None,
    now: datetime | None = None,
) -> AssessmentContribution:
    """An officer of the assessing agency, or of an agency it asked, adds their agency's
    contribution to a draft. The form's key makes a second post of it add nothing."""
    current = locked(assessment)
    added = _contribution_with(creation_key, assessment=current)
    if added is not None:
        return added
    if not current.is_draft:
        raise ValidationError(FINALISED)
    if not can_contribute(by, current) or by.agency_id is None:
        raise PermissionDenied("Only an agency asked for a contribution can add one.")
    problems = contribution_problems(text)
    if problems:
        raise ValidationError(problems)
    with attributed(by):
        return AssessmentContribution.objects.create(
            assessment=current,
            agency_id=by.agency_id,
            officer=by,
            text=text.strip(),
            added_at=now or timezone.now(),
            creation_key=creation_key or uuid.uuid4(),
        )


def _contribution_with(
    key: uuid.UUID | None, *, assessment: RiskAssessment
) -> AssessmentContribution | None:
    if key is None:
        return None
    added = AssessmentContribution.objects.filter(creation_key=key).first()
    if added is not None and added.assessment_id != assessment.pk:
        raise ValidationError(USED_FORM)
    return added


# --- Information tasks (G14) ----------------------------------------------------------------


@dataclass(frozen=True)
class TaskInput:
    information: str = ""
    agency: Agency | None = None
    officer: Officer | None = None
    name: str = ""
    due: date | None = None


def task_problems(
    task: TaskInput, *, assessment: RiskAssessment, today: date | None = None
) -> dict[str, str]:
    """What a piece of missing information needs: what it is, who will get it (an agency or
    officer involved with the child, or a named person) and by when (today or later)."""
    problems: dict[str, str] = {}
    if not task.information.strip():
        problems["information"] = "Enter the information that is needed"
    if task.agency is None and task.officer is None and not task.name.strip():
        problems["name"] = "Enter who will get it: choose an agency or an officer, or name a person"
    involved = {a.pk for a in involved_agencies(assessment.child)}
    if task.agency is not None and task.agency.pk not in involved:
        problems["agency"] = "Choose an agency involved with this child"
    if task.officer is not None and task.officer.agency_id not in involved:
        problems["officer"] = "Choose an officer of an agency involved with this child"
    if task.due is None:
        problems["due"] = "Enter the date by which they will get it"
    elif task.due < (today or timezone.localdate()):
        problems["due"] = "The date must be today or in the future"
    return problems


@transaction.atomic
def assessment_task_add(
    *,
    assessment: RiskAssessment,
    by: Officer,
    task: TaskInput,
    creation_key: uuid.UUID | None = None,
    now: datetime | None = None,
) -> AssessmentInformationTask:
    """Record a piece of missing information on a draft. The form's key makes a second post
    of it add nothing."""
    current = locked(assessment)
    if creation_key is not None:
        added = AssessmentInformationTask.objects.filter(creation_key=creation_key).first()
        if added is not None:
            if added.assessment_id != current.pk:
                raise ValidationError(USED_FORM)
            return added
    require_draft_writer(current, by)
    at = now or timezone.now()
    problems = task_problems(task, assessment=current, today=timezone.localdate(at))
    if problems or task.due is None:  # (None: for the type checker; task_problems says so)
        raise ValidationError(problems)
    with attributed(by):
        try:
            with transaction.atomic():
                added = AssessmentInformationTask.objects.create(
                    assessment=current,
                    information=task.information.strip(),
                    responsible_agency=task.agency,
                    responsible_officer=task.officer,
                    responsible_name=task.name.strip(),
                    due=task.due,
                    created_by=by,
                    created_at=at,
                    creation_key=creation_key or uuid.uuid4(),
                )
        except IntegrityError:
            # The same form posted twice at once: the other post added it.
            if creation_key is None:
                raise
            added = AssessmentInformationTask.objects.filter(creation_key=creation_key).first()
            if added is None:
                raise
            return added
    if task.officer is not None and task.officer.pk != by.pk:
        tell_task_given(added, task.officer)
    return added


@transaction.atomic
def assessment_task_remove(*, task: AssessmentInformationTask, by: Officer) -> None:
    """Remove a piece of missing information from a draft (its history keeps it)."""
    current = locked(task.assessment)
    require_draft_writer(current, by)
    with attributed(by):
        AssessmentInformationTask.objects.filter(pk=task.pk, assessment=current).delete()


@transaction.atomic
def assessment_task_done(
    *, task: AssessmentInformationTask, by: Officer, note: str, now: datetime | None = None
) -> AssessmentInformationTask:
    """Mark a task of a finalised assessment done, attributed to the officer. Marking it
    again (a second click) changes nothing."""
    current = (
        AssessmentInformationTask.objects.select_for_update(of=("self",))
        .select_related("assessment", "responsible_officer")
        .get(pk=task.pk)
    )
    if current.is_done:
        return current
    if not current.assessment.is_finalised:
        raise ValidationError("A task is marked done once the assessment is finalised.")
    if not can_mark_task_done(by, current):
        raise PermissionDenied("Only the assessing agency or whoever gets it can mark it done.")
    with attributed(by):
        current.done_at = now or timezone.now()
        current.done_by = by
        current.done_note = note.strip()
        current.save(update_fields=["done_at", "done_by", "done_note"])
    return current
