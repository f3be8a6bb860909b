"""The risk assessments' part of a child's "Who viewed or changed this record"
(cse_portal.history).

Only the assessments the viewing officer may open are told of — finalised ones, drafts of the
officer's own agency, and drafts the officer's agency was asked to contribute to — so another
agency's draft leaves no trace: no entry, and no access-log row (the rows of the assessment
pages carry the assessment's id, and only the ids the officer may open are shown; the rows of
the start page carry none, so no one's history tells of an assessment being started).

Each entry comes from the records themselves, which keep who did what and when: started,
contributions asked for and added, information needed recorded, persons of concern named (not
who: the person's own history is theirs), finalised, information got.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from cse_portal import history
from cse_portal.access import case_objects_visible_to
from cse_portal.history import HistoryEntry
from referrals.assessment_selectors import assessments_openable_by
from referrals.models import (
    AssessmentContribution,
    AssessmentInformationTask,
    AssessmentInvitation,
    PersonLink,
    RiskAssessment,
)

if TYPE_CHECKING:
    from cse_portal.models import Child, Officer

LOG_OBJECT_TYPES = ("assessment",)


def _assessments(child: Child, officer: Officer) -> dict[int, RiskAssessment]:
    rows = case_objects_visible_to(officer, assessments_openable_by(officer)).filter(child=child)
    return {a.pk: a for a in rows}


def openable_ids(child: Child, officer: Officer) -> set[str]:
    return {
        str(pk)
        for pk in assessments_openable_by(officer).filter(child=child).values_list("pk", flat=True)
    }


def entries(child: Child, officer: Officer) -> list[HistoryEntry]:
    assessments = _assessments(child, officer)
    if not assessments:
        return []
    found = [e for a in assessments.values() for e in _milestones(a)]
    found += _work(assessments)
    return found


def _milestones(a: RiskAssessment) -> Iterable[HistoryEntry]:
    yield HistoryEntry(
        at=a.created_at,
        what=f"Risk assessment {a.reference} started by {a.agency}",
        officer=a.created_by,
    )
    if a.finalised_at is not None and a.judged_outcome is not None:
        yield HistoryEntry(
            at=a.finalised_at,
            what=f"Risk assessment {a.reference} finalised: judged “{a.judged_outcome.label}”",
            officer=a.finalised_by,
        )


def _work(assessments: dict[int, RiskAssessment]) -> list[HistoryEntry]:
    ids = list(assessments)
    found = []
    for invitation in AssessmentInvitation.objects.filter(assessment_id__in=ids).select_related(
        "agency", "invited_by"
    ):
        ref = assessments[invitation.assessment_id].reference
        found.append(
            HistoryEntry(
                at=invitation.invited_at,
                what=f"{invitation.agency} asked to contribute to risk assessment {ref}",
                officer=invitation.invited_by,
            )
        )
    for contribution in AssessmentContribution.objects.filter(assessment_id__in=ids).select_related(
        "agency", "officer"
    ):
        ref = assessments[contribution.assessment_id].reference
        found.append(
            HistoryEntry(
                at=contribution.added_at,
                what=f"Contribution of {contribution.agency} added to risk assessment {ref}",
                officer=contribution.officer,
            )
        )
    for task in AssessmentInformationTask.objects.filter(assessment_id__in=ids).select_related(
        "created_by", "done_by"
    ):
        ref = assessments[task.assessment_id].reference
        found.append(
            HistoryEntry(
                at=task.created_at,
                what=f"Information needed recorded (risk assessment {ref})",
                officer=task.created_by,
            )
        )
        if task.done_at is not None:
            found.append(
                HistoryEntry(
                    at=task.done_at,
                    what=f"Information needed marked done (risk assessment {ref})",
                    officer=task.done_by,
                )
            )
    for link in PersonLink.objects.filter(assessment_id__in=ids).select_related("linked_by"):
        assert link.assessment_id is not None  # (filtered: for the type checker)
        ref = assessments[link.assessment_id].reference
        found.append(
            HistoryEntry(
                at=link.linked_at,
                what=f"Person of concern named in risk assessment {ref}",
                officer=link.linked_by,
            )
        )
    return found


SOURCE = history.HistorySource(
    key="assessments",
    entries=entries,
    log_object_types=LOG_OBJECT_TYPES,
    openable_ids=openable_ids,
)
