"""The risk assessments section of a child's record page (cse_portal.sections): the child's
assessments the officer may open, the judged level over time as a chart with the same data as
a table (G16), when the next assessment is due, and the information still to get (G14)."""

from __future__ import annotations

from typing import Any

from cse_portal.models import Child, Officer
from referrals import assessment_selectors as selectors
from referrals.assessment_chart import level_chart
from referrals.models import AssessmentStatus, ToolOutcome
from referrals.scoring import OutcomeKind
from referrals.selectors_case import case_status_for_page


def assessments_section(child: Child, officer: Officer) -> dict[str, Any]:
    """Three queries however many assessments the child has, and the case's closures (read
    once for the page, `case_status_for_page`: the case section shows them too)."""
    assessments = selectors.assessments_listed_for_child(child, officer)
    finalised = sorted(
        (a for a in assessments if a.status == AssessmentStatus.FINALISED),
        key=lambda a: (a.finalised_at, a.pk),
    )
    levels: list[ToolOutcome] = []
    if finalised:
        levels = list(
            # By rank alone: the tool is one (its Meta.ordering would join the tool's table
            # to sort by its code and version).
            ToolOutcome.objects.filter(
                tool_id=finalised[-1].tool_id, kind=OutcomeKind.LEVEL
            ).order_by("rank")
        )
    own_draft = next(
        (a for a in assessments if a.is_draft and a.agency_id == officer.agency_id), None
    )
    case = case_status_for_page(child)
    return {
        "assessments": assessments,
        "case_closure": case.open_closure,
        "finalised": finalised,
        "chart": level_chart(finalised, levels),
        "next_due": selectors.next_assessment_due(finalised, case),
        "own_draft": own_draft,
        "can_start": officer.agency_id is not None and own_draft is None,
        "officer_agency_id": officer.agency_id,
    }
