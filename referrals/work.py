"""What the referrals app contributes to "Your work" (registered in ReferralsConfig.ready()):

- children's social care: the referrals awaiting acknowledgement or decision, overdue first
  (G07, G08);
- referrers: what changed on the referrals they sent (acknowledged, decided) lately;
- everyone: return interviews due (G33), assessments of theirs due for review while the child's case is open (G16) and the
  "not enough information" tasks given to them (G14).

Each is one or two queries whatever the number of children, through the access door.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from cse_portal import navigation
from cse_portal.access import case_objects_visible_to
from cse_portal.models import Officer
from cse_portal.work import WorkContribution, WorkList, WorkRow, from_queryset, register
from referrals.assessment_selectors import REASSESS_EVERY_MONTHS, add_months
from referrals.models import (
    AssessmentInformationTask,
    AssessmentStatus,
    MissingEpisode,
    Referral,
    RiskAssessment,
)
from referrals.selectors import sent_by_agency_of, tray_for
from referrals.selectors_case import latest_reopening, open_closure_exists
from referrals.selectors_missing import return_interviews_due_for

CHANGES_SHOWN_FOR = timedelta(days=14)
REVIEW_WARNING = timedelta(days=14)


def _csc_row(referral: Referral) -> WorkRow:
    acknowledged = referral.acknowledgement_or_none is not None
    return WorkRow(
        title=referral.child.display_name,
        link=referral.get_absolute_url(),
        kind="Decision due" if acknowledged else "Acknowledgement and decision due",
        detail=f"{referral.reference} from {referral.referring_agency}",
        due=referral.decision_due,
        overdue=bool(getattr(referral, "late", False)),
    )


def referrals_to_answer(officer: Officer, limit: int) -> WorkList:
    # A row shows the child's name, the referring agency and whether it was acknowledged.
    rows = (
        tray_for(officer)
        .select_related(None)
        .select_related("child", "referring_agency", "acknowledgement")
    )
    listed = from_queryset(rows, limit, _csc_row)
    # The navigation's badge counts the same rows (`tray_count_queryset`): just counted.
    navigation.known_count(officer, "referrals:tray", listed.count)
    return listed


def changes_on_sent(officer: Officer) -> QuerySet[Referral]:
    """The officer's own sent referrals that children's social care acknowledged or decided
    in the last fortnight, the latest change first."""
    since = timezone.now() - CHANGES_SHOWN_FOR
    return (
        sent_by_agency_of(officer)
        .filter(referred_by=officer, status=Referral.Status.SUBMITTED)
        .filter(Q(acknowledgement__sent_at__gte=since) | Q(decision__decided_at__gte=since))
        .annotate(
            changed_at=Greatest(
                Coalesce("acknowledgement__sent_at", "decision__decided_at"),
                Coalesce("decision__decided_at", "acknowledgement__sent_at"),
            )
        )
        .order_by(F("changed_at").desc(), "-id")
        # A row shows the child's name and the decision's outcome (the sent list's columns,
        # the referrer and the receiving agency, are not on it).
        .select_related(None)
        .select_related("child", "decision")
    )


def _sent_row(referral: Referral) -> WorkRow:
    decision = referral.decision_or_none
    return WorkRow(
        title=referral.child.display_name,
        link=referral.get_absolute_url(),
        kind="Decided" if decision else "Acknowledged",
        detail=(
            f"{referral.reference}: {decision.get_outcome_display()}"
            if decision
            else f"{referral.reference}: children's social care received it"
        ),
    )


def sent_changes(officer: Officer, limit: int) -> WorkList:
    return from_queryset(changes_on_sent(officer), limit, _sent_row)


def _interview_row(episode: MissingEpisode) -> WorkRow:
    return WorkRow(
        title=episode.child.display_name,
        link=episode.get_absolute_url(),
        kind="Return interview due",
        detail=f"recorded by {episode.recording_agency}",
        due=episode.return_interview_due,
        overdue=bool(getattr(episode, "overdue_at_read", False)),
    )


def interviews_due(officer: Officer, limit: int) -> WorkList:
    return from_queryset(return_interviews_due_for(officer), limit, _interview_row)


def reviews_due_for(officer: Officer) -> QuerySet[RiskAssessment]:
    """The latest finalised assessment of each child the officer can see, that the officer
    wrote, whose reassessment (three months on, G16) is due within a fortnight or overdue —
    while the child's case is open. The three months run from the assessment, or from the
    case's latest reopening when that is later (`clock_from`)."""
    today = timezone.localdate()
    finalised_before = add_months(today + REVIEW_WARNING, -REASSESS_EVERY_MONTHS)
    later = RiskAssessment.objects.filter(
        child=OuterRef("child"),
        status=AssessmentStatus.FINALISED,
        finalised_at__gt=OuterRef("finalised_at"),
    )
    return (
        case_objects_visible_to(officer, RiskAssessment.objects.all())
        .filter(status=AssessmentStatus.FINALISED, created_by=officer)
        .filter(finalised_at__date__lte=finalised_before)  # implied by the clock (below)
        .exclude(Exists(later))
        .exclude(open_closure_exists("child"))
        # PostgreSQL's GREATEST skips a NULL: a case never reopened runs from the assessment.
        .annotate(clock_from=Greatest("finalised_at", latest_reopening("child")))
        .filter(clock_from__date__lte=finalised_before)
        .select_related("child", "judged_outcome")
        .order_by("clock_from", "id")
    )


def _review_row(assessment: RiskAssessment) -> WorkRow:
    clock_from = assessment.clock_from  # type: ignore[attr-defined]
    due = add_months(timezone.localtime(clock_from).date(), REASSESS_EVERY_MONTHS)
    return WorkRow(
        title=assessment.child.display_name,
        link=assessment.get_absolute_url(),
        kind="Reassessment due",
        detail=f"{assessment.reference}, judged {assessment.judged_outcome}",
        due=due,
        overdue=due < timezone.localdate(),
    )


def reviews_due(officer: Officer, limit: int) -> WorkList:
    return from_queryset(reviews_due_for(officer), limit, _review_row)


def tasks_of(officer: Officer) -> QuerySet[AssessmentInformationTask]:
    """The open "not enough information" tasks given to the officer (G14), soonest first."""
    return (
        case_objects_visible_to(
            officer,
            AssessmentInformationTask.objects.filter(responsible_officer=officer, done_at=None),
            "assessment__child",
        )
        .select_related("assessment", "assessment__child")
        .order_by("due", "id")
    )


def _task_row(task: AssessmentInformationTask) -> WorkRow:
    return WorkRow(
        title=task.assessment.child.display_name,
        link=task.assessment.get_absolute_url(),
        kind="Information to get",
        detail=f"for {task.assessment.reference}",
        due=task.due,
        overdue=task.due < timezone.localdate(),
    )


def information_tasks(officer: Officer, limit: int) -> WorkList:
    return from_queryset(tasks_of(officer), limit, _task_row)


def _works_for_csc(officer: Officer) -> bool:
    return officer.agency is not None and officer.agency.is_csc


def _refers_to_csc(officer: Officer) -> bool:
    return officer.agency is not None and not officer.agency.is_csc


def register_work() -> None:
    for contribution in (
        WorkContribution(
            key="referrals_to_answer",
            heading="Referrals awaiting acknowledgement or decision",
            order=10,
            rows=referrals_to_answer,
            empty="No referral is waiting for an acknowledgement or a decision.",
            shows_for=_works_for_csc,
            all_url_name="referrals:tray",
            all_label="All referrals received",
        ),
        WorkContribution(
            key="return_interviews",
            heading="Return interviews due",
            order=40,
            rows=interviews_due,
            empty="No return interview is due for a child your agency is involved with.",
        ),
        WorkContribution(
            key="assessments_review",
            heading="Your assessments due for review",
            order=50,
            rows=reviews_due,
            empty="None of your risk assessments is due for review in the next 14 days.",
        ),
        WorkContribution(
            key="information_tasks",
            heading="Information you are getting for an assessment",
            order=55,
            rows=information_tasks,
            empty="You have no information to get for a risk assessment.",
        ),
        WorkContribution(
            key="sent_changes",
            heading="What changed on referrals you sent",
            order=70,
            rows=sent_changes,
            empty="Children's social care has not acknowledged or decided on a referral of "
            "yours in the last 14 days.",
            shows_for=_refers_to_csc,
            all_url_name="referrals:sent",
            all_label="All referrals your agency sent",
        ),
    ):
        register(contribution)
