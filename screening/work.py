"""What screening contributes to "Your work" (registered in ScreeningConfig.ready()): for a
CSE lead officer, the screenings awaiting their advice; for a screener, their screenings
awaiting the lead officer's advice. Each is two queries, whatever the number of children."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from cse_portal.access import case_objects_visible_to
from cse_portal.models import Officer
from cse_portal.work import WorkContribution, WorkList, WorkRow, from_queryset, register
from screening.models import Screening, ScreeningAdvice
from screening.rules import Conclusion
from screening.selectors import screenings_awaiting_advice


def _row(screening: Screening, kind: str) -> WorkRow:
    submitted = timezone.localtime(screening.submitted_at) if screening.submitted_at else None
    by = f" by {screening.submitted_by.get_full_name()}" if screening.submitted_by else ""
    return WorkRow(
        title=screening.child.display_name,
        link=screening.get_absolute_url(),
        kind=kind,
        detail=f"submitted{by}" + (f" on {submitted:%-d %B %Y}" if submitted else ""),
    )


def advice_to_give(officer: Officer, limit: int) -> WorkList:
    return from_queryset(
        screenings_awaiting_advice(officer), limit, lambda s: _row(s, "Screening to discuss")
    )


def awaiting_my_lead(officer: Officer) -> QuerySet[Screening]:
    """The officer's own submitted screenings that conclude "discuss with the lead officer"
    and have no advice yet, of children they can still see; the longest waiting first."""
    return (
        case_objects_visible_to(officer, Screening.objects.all())
        .filter(
            submitted_by=officer,
            status=Screening.Status.SUBMITTED,
            conclusion=Conclusion.DISCUSS,
        )
        .exclude(Exists(ScreeningAdvice.objects.filter(screening=OuterRef("pk"))))
        .select_related("child", "submitted_by")
        .order_by("submitted_at", "id")
    )


def awaiting_advice(officer: Officer, limit: int) -> WorkList:
    return from_queryset(
        awaiting_my_lead(officer), limit, lambda s: _row(s, "Awaiting your lead officer's advice")
    )


def _is_cse_lead(officer: Officer) -> bool:
    return officer.agency_id is not None and officer.is_cse_lead


def register_work() -> None:
    register(
        WorkContribution(
            key="screenings_to_advise",
            heading="Screenings awaiting your advice",
            order=20,
            rows=advice_to_give,
            empty="No screening of your agency is waiting for your advice.",
            shows_for=_is_cse_lead,
            all_url_name="screening:awaiting_advice",
            all_label="All screenings awaiting your advice",
        )
    )
    register(
        WorkContribution(
            key="screenings_awaiting_lead",
            heading="Your screenings awaiting your lead officer's advice",
            order=60,
            rows=awaiting_advice,
            empty="None of your screenings is waiting for your lead officer's advice.",
        )
    )
