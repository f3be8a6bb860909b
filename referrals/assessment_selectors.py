"""Reads of CSE2 risk assessments that the pages share, the door to an assessment, and who may
do what to one.

A draft belongs to its assessing agency: other agencies involved with the child neither see
nor open it (404) — except an agency the assessing agency asked for a contribution, which
opens it to add one (G15). A finalised assessment is seen by every agency involved with the
child. Each permission rule is one predicate here, used by views, services and templates.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from cse_portal.access import case_objects_visible_to, get_case_object_for
from cse_portal.lifecycle import openable_by
from cse_portal.models import Agency, Child, Involvement, Officer
from cse_portal.querysets import given_the_child, with_only_relations
from referrals.models import (
    AssessmentContribution,
    AssessmentInformationTask,
    AssessmentInvitation,
    AssessmentStatus,
    PersonLink,
    Referral,
    RiskAssessment,
)
from referrals.selectors_case import CaseStatus
from referrals.selectors_persons import pickable_by

# --- The door -------------------------------------------------------------------------------


def _invited(agency_id: int) -> Exists:
    return Exists(
        AssessmentInvitation.objects.filter(assessment=OuterRef("pk"), agency_id=agency_id)
    )


def assessments_openable_by(officer: Officer | AnonymousUser) -> QuerySet[RiskAssessment]:
    """Finalised assessments, drafts of the officer's own agency, and drafts the officer's
    agency was asked to contribute to (not yet child-filtered: pass through the access layer)."""
    own = openable_by(
        officer,
        RiskAssessment.objects.all(),
        agency_field="agency",
        final_values=(AssessmentStatus.FINALISED,),
    )
    agency_id = getattr(officer, "agency_id", None)
    if agency_id is not None:
        own = own | RiskAssessment.objects.filter(
            _invited(agency_id), status=AssessmentStatus.DRAFT
        )
    return own.select_related(
        "child",
        "agency",
        "tool",
        "created_by",
        "finalised_by",
        "judged_outcome",
        "suggested_outcome",
        "referral",
        "previous__judged_outcome",
    )


def get_assessment_for(
    officer: Officer | AnonymousUser, pk: object, *, child_pk: object
) -> RiskAssessment:
    """The assessment `pk` of child `child_pk` if the officer may open it; else 404."""
    return get_case_object_for(officer, assessments_openable_by(officer), pk, child_pk=child_pk)


def is_assessor(officer: Officer | AnonymousUser, assessment: RiskAssessment) -> bool:
    agency_id = getattr(officer, "agency_id", None)
    return agency_id is not None and agency_id == assessment.agency_id


def can_write_draft(officer: Officer | AnonymousUser, assessment: RiskAssessment) -> bool:
    """The assessing agency's officers answer, judge and finalise a draft."""
    return assessment.is_draft and is_assessor(officer, assessment)


def is_invited(officer: Officer | AnonymousUser, assessment: RiskAssessment) -> bool:
    agency_id = getattr(officer, "agency_id", None)
    if agency_id is None or is_assessor(officer, assessment):
        return False
    return assessment.invitations.filter(agency_id=agency_id).exists()


def can_contribute(officer: Officer | AnonymousUser, assessment: RiskAssessment) -> bool:
    """While it is a draft: the assessing agency, and the agencies it asked."""
    return assessment.is_draft and (
        is_assessor(officer, assessment) or is_invited(officer, assessment)
    )


def can_mark_task_done(officer: Officer, task: AssessmentInformationTask) -> bool:
    """A task of a finalised assessment, not yet done, is marked done by the assessing agency
    or by whoever was to get the information (their agency)."""
    if task.is_done or not task.assessment.is_finalised or officer.agency_id is None:
        return False
    agencies = {task.assessment.agency_id, task.responsible_agency_id}
    if task.responsible_officer is not None:
        agencies.add(task.responsible_officer.agency_id)
    return officer.agency_id in agencies


# --- The child's assessments -----------------------------------------------------------------


def _with_flags(qs: QuerySet[RiskAssessment]) -> QuerySet[RiskAssessment]:
    """What the lists show without a query per row: whether another agency contributed (G15),
    the open and overdue information tasks (G14)."""
    today = timezone.localdate()
    return qs.annotate(
        other_agency_contributed=Exists(
            AssessmentContribution.objects.filter(assessment=OuterRef("pk")).exclude(
                agency_id=OuterRef("agency_id")
            )
        ),
        open_tasks=Count(
            "information_tasks", filter=Q(information_tasks__done_at__isnull=True), distinct=True
        ),
        overdue_tasks=Count(
            "information_tasks",
            filter=Q(information_tasks__done_at__isnull=True, information_tasks__due__lt=today),
            distinct=True,
        ),
    )


def assessments_of_child(child: Child, officer: Officer) -> QuerySet[RiskAssessment]:
    """The child's assessments the officer may open, newest first."""
    return (
        _with_flags(case_objects_visible_to(officer, assessments_openable_by(officer)))
        .filter(child=child)
        .order_by("-created_at", "-id")
    )


def assessments_listed_for_child(child: Child, officer: Officer) -> list[RiskAssessment]:
    """`assessments_of_child` with what the record page shows of each (its cards, the levels'
    chart and table): the assessing agency, the suggested and the judged level. Not the tool
    (its id is on the row), the officers, the referral nor the previous assessment: each join
    is planned for every record page, and grouped by (the tasks are counted). Each is given
    the page's child (the same row, fetched through the door)."""
    return given_the_child(
        assessments_of_child(child, officer)
        .select_related(None)
        .select_related("agency", "judged_outcome", "suggested_outcome"),
        child,
    )


def finalised_assessments_of(
    child_id: UUID | str, officer: Officer, *, relations: tuple[str, ...] | None = None
) -> QuerySet[RiskAssessment]:
    """The child's finalised assessments the officer may open, in the order they were
    finalised (G16): the door, the filter and the order in one place. `relations` selects
    only the relations the caller shows (planning a dozen joins costs more than running
    them); None keeps those of an assessment's page."""
    assessments = (
        case_objects_visible_to(officer, assessments_openable_by(officer))
        .filter(child_id=child_id, status=AssessmentStatus.FINALISED)
        .order_by("finalised_at", "id")
    )
    return with_only_relations(assessments, relations)


def finalised_of_child(child: Child, officer: Officer) -> list[RiskAssessment]:
    """The child's finalised assessments in the order they were finalised (G16)."""
    return list(finalised_assessments_of(child.pk, officer))


def own_draft_of(child: Child, officer: Officer) -> RiskAssessment | None:
    if officer.agency_id is None:
        return None
    return RiskAssessment.objects.filter(
        child=child, agency_id=officer.agency_id, status=AssessmentStatus.DRAFT
    ).first()


def referrals_to_start_from(child: Child, officer: Officer) -> list[Referral]:
    """The child's sent referrals (every involved agency may open them), newest first."""
    return list(
        case_objects_visible_to(officer, Referral.objects.submitted())
        .filter(child=child)
        .select_related("referring_agency")
        .order_by("-received_at", "-id")
    )


def involved_agencies(child: Child) -> list[Agency]:
    """The agencies involved with the child now (an involvement not ended)."""
    involved = Involvement.objects.filter(child=child, ended_at__isnull=True).values("agency_id")
    return list(Agency.objects.filter(pk__in=involved).order_by("name"))


def officers_of(agencies: Iterable[Agency]) -> QuerySet[Officer]:
    return (
        Officer.objects.filter(agency__in=list(agencies), is_active=True)
        .select_related("agency")
        .order_by("agency__name", "last_name", "first_name")
    )


def contributions_of(assessment: RiskAssessment) -> list[AssessmentContribution]:
    return list(assessment.contributions.select_related("agency", "officer"))


def invitations_of(assessment: RiskAssessment) -> list[AssessmentInvitation]:
    return list(assessment.invitations.select_related("agency", "invited_by"))


def tasks_of(assessment: RiskAssessment) -> list[AssessmentInformationTask]:
    return list(
        assessment.information_tasks.select_related(
            "assessment",
            "responsible_agency",
            "responsible_officer",
            "responsible_officer__agency",
            "created_by",
            "done_by",
        ).order_by("due", "id")
    )


def contributing_agencies(
    assessment: RiskAssessment, contributions: list[AssessmentContribution]
) -> list[Agency]:
    """The assessing agency, then every other agency that added a contribution (G15)."""
    agencies = {assessment.agency_id: assessment.agency}
    for contribution in contributions:
        agencies.setdefault(contribution.agency_id, contribution.agency)
    return list(agencies.values())


# --- Reassessment (G16) ---------------------------------------------------------------------

REASSESS_EVERY_MONTHS = 3


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it has no such day)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class NextDue:
    due: date
    overdue: bool


def clock_start(latest_finalised: datetime, reopened_at: datetime | None) -> date:
    """The day the three months run from: the latest finalised assessment, or the case's
    latest reopening when that is later (a reopened case is reassessed within three months
    of reopening at the latest, however old its last assessment)."""
    start = latest_finalised if reopened_at is None else max(latest_finalised, reopened_at)
    return timezone.localtime(start).date()


def next_assessment_due(finalised: list[RiskAssessment], case: CaseStatus) -> NextDue | None:
    """When the child's next assessment is due: three months after the latest finalised one
    (or after the case's reopening, when later), while the case is open. A closed case has
    no assessment due; a child never assessed has no *next* one."""
    if not finalised or case.is_closed:
        return None
    latest = max(finalised, key=lambda a: (a.finalised_at, a.pk))
    assert latest.finalised_at is not None  # finalised (a check constraint)
    due = add_months(clock_start(latest.finalised_at, case.reopened_at), REASSESS_EVERY_MONTHS)
    return NextDue(due=due, overdue=due < timezone.localdate())


# G12 [002 §5]: at medium and high risk the guidance's response is a CSE risk strategy
# meeting; a tool's levels are ranked, and rank 2 is SERA's medium (SERAF's moderate).
MEETING_FROM_RANK = 2


def leads_to_strategy_meeting(assessment: RiskAssessment) -> bool:
    """A finalised assessment whose judged level is medium or high (or the tool's equivalent:
    a level of rank 2 or more)."""
    outcome = assessment.judged_outcome
    return (
        assessment.is_finalised
        and outcome is not None
        and outcome.kind == "level"
        and outcome.rank >= MEETING_FROM_RANK
    )


# --- Persons of concern (G30) ---------------------------------------------------------------


def person_links_of(assessment: RiskAssessment) -> list[PersonLink]:
    """The persons of concern the assessment names, in the order they were named (every
    officer who may open the assessment may see them: its links are part of it)."""
    return list(
        assessment.person_links.select_related(
            "person", "person__merged_record__survivor"
        ).order_by("linked_at", "id")
    )


def referral_persons_to_offer(assessment: RiskAssessment, officer: Officer) -> list[PersonLink]:
    """The persons the referral the assessment started from named, that the draft does not
    name yet and the officer may pick (not merged into another record): "add these persons
    named in the referral"."""
    if assessment.referral_id is None:
        return []
    named = assessment.person_links.values("person_id")
    return list(
        PersonLink.objects.filter(
            referral_id=assessment.referral_id, person__in=pickable_by(officer)
        )
        .exclude(person_id__in=named)
        .select_related("person")
        .order_by("linked_at", "id")
    )
