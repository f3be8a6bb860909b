"""What referrals add to the lead officer's caseload (G34): the latest assessed level, when the
next assessment is due (none while the case is closed, G16), the latest sent referral and its
state, and the missing episodes of the last 90 days.

Each column is a subquery on the child (`OuterRef("pk")`): the page reads them all in the
one query that fetches its children, and filters and sorts by them in SQL.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import (
    Case,
    CharField,
    DateTimeField,
    Exists,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from cse_portal.caseload import Cell, count_of
from referrals.assessment_selectors import REASSESS_EVERY_MONTHS, add_months
from referrals.models import (
    CaseClosure,
    MissingEpisode,
    Outcome,
    Referral,
    RiskAssessment,
    ToolOutcome,
)
from referrals.selectors_case import latest_reopening, open_closure_exists

if TYPE_CHECKING:
    from cse_portal.models import Child
    from cse_portal.scope import Scope

MISSING_DAYS = 90


class ReferralState:
    AWAITING_ACKNOWLEDGEMENT = "awaiting_acknowledgement"
    AWAITING_DECISION = "awaiting_decision"
    DECISION_OVERDUE = "decision_overdue"
    DECIDED = "decided"
    NONE = "none"

    choices = [
        (AWAITING_ACKNOWLEDGEMENT, "Sent, awaiting acknowledgement"),
        (AWAITING_DECISION, "Acknowledged, awaiting decision"),
        (DECISION_OVERDUE, "Decision overdue"),
        (DECIDED, "Decided"),
        (NONE, "No referral sent"),
    ]


def latest_level(scope: Scope) -> dict[str, Any]:
    latest = RiskAssessment.objects.filter(
        child=OuterRef("pk"), status=RiskAssessment.Status.FINALISED
    ).order_by("-finalised_at", "-id")
    return {
        "level_code": Subquery(latest.values("judged_outcome__code")[:1]),
        "level_label": Subquery(latest.values("judged_outcome__label")[:1]),
        "level_rank": Subquery(latest.values("judged_outcome__rank")[:1]),
        "level_at": Subquery(latest.values("finalised_at")[:1]),
    }


def level_cell(child: Child) -> Cell:
    label = getattr(child, "level_label", None)
    if not label:
        return Cell(text="Not assessed")
    when = timezone.localtime(child.level_at)  # type: ignore[attr-defined]
    return Cell(text=label.split(" (")[0], hint=date_format(when, "j M Y"))


def level_choices() -> list[tuple[str, str]]:
    """Every level any tool can give, by code (tools name them differently: one query)."""
    seen: dict[str, str] = {}
    for code, label in ToolOutcome.objects.order_by("rank", "tool_id").values_list("code", "label"):
        seen.setdefault(code, label.split(" (")[0])
    return list(seen.items())


def _state(now: Any) -> Case:
    return Case(
        When(decision__isnull=False, then=Value(ReferralState.DECIDED)),
        When(decision_due__lt=now, then=Value(ReferralState.DECISION_OVERDUE)),
        When(acknowledgement__isnull=False, then=Value(ReferralState.AWAITING_DECISION)),
        default=Value(ReferralState.AWAITING_ACKNOWLEDGEMENT),
        output_field=CharField(),
    )


def latest_referral(scope: Scope) -> dict[str, Any]:
    latest = (
        Referral.objects.filter(child=OuterRef("pk"), status=Referral.Status.SUBMITTED)
        .annotate(state=_state(timezone.now()), outcome=F("decision__outcome"))
        .order_by("-received_at", "-id")
    )
    return {
        "referral_pk": Subquery(latest.values("pk")[:1]),
        "referral_state": Subquery(latest.values("state")[:1]),
        "referral_outcome": Subquery(latest.values("outcome")[:1]),
    }


def referral_state_q(code: str) -> Q:
    if code == ReferralState.NONE:
        return Q(referral_pk__isnull=True)
    return Q(referral_state=code)


_OUTCOME_SHORT = {
    Outcome.EMERGENCY_ACTION: "emergency action",
    Outcome.INITIAL_ASSESSMENT: "initial assessment",
    Outcome.EARLY_HELP: "early help",
}


def referral_cell(child: Child) -> Cell:
    pk = getattr(child, "referral_pk", None)
    if pk is None:
        return Cell(text="None sent")
    url = reverse("referrals:detail", kwargs={"child_pk": child.pk, "pk": pk})
    state = child.referral_state  # type: ignore[attr-defined]
    if state == ReferralState.DECIDED:
        outcome = _OUTCOME_SHORT.get(child.referral_outcome, "")  # type: ignore[attr-defined]
        return Cell(text=f"Decided: {outcome}", url=url)
    if state == ReferralState.DECISION_OVERDUE:
        return Cell(text="Awaiting decision", tag="Overdue", url=url)
    return Cell(text=dict(ReferralState.choices)[state], url=url)


def missing_recently(scope: Scope) -> dict[str, Any]:
    since = timezone.now() - timedelta(days=MISSING_DAYS)
    return {
        "missing_90": count_of(MissingEpisode.objects.filter(reported_missing_at__gte=since)),
        "missing_now": count_of(
            MissingEpisode.objects.filter(status=MissingEpisode.Status.MISSING)
        ),
    }


def missing_cell(child: Child) -> Cell:
    count = child.missing_90  # type: ignore[attr-defined]
    tag = "Missing now" if child.missing_now else ""  # type: ignore[attr-defined]
    return Cell(text=str(count) if count else "None", tag=tag)


# --- The next assessment (G16): due three months on, while the case is open -----------------


class CaseState:
    OPEN = "open"
    CLOSED = "closed"

    choices = [(OPEN, "Case open"), (CLOSED, "Case closed")]


def next_assessment(scope: Scope) -> dict[str, Any]:
    """When the three months to the next assessment run from (the latest finalised one, or
    the case's latest reopening when later), NULL while the case is closed or for a child
    never assessed; and whether, and since when, the case is closed."""
    finalised = RiskAssessment.objects.filter(
        child=OuterRef("pk"), status=RiskAssessment.Status.FINALISED
    )
    latest = finalised.order_by("-finalised_at", "-id").values("finalised_at")[:1]
    closed = open_closure_exists("pk")
    return {
        "case_closed": closed,
        "case_closed_at": Subquery(
            CaseClosure.objects.filter(child=OuterRef("pk"), reopened_at__isnull=True).values(
                "closed_at"
            )[:1]
        ),
        "next_from": Case(
            When(closed, then=Value(None)),
            When(Exists(finalised), then=Greatest(Subquery(latest), latest_reopening("pk"))),
            default=Value(None),
            output_field=DateTimeField(),
        ),
    }


def next_assessment_cell(child: Child) -> Cell:
    if getattr(child, "case_closed", False):
        closed_at = timezone.localtime(child.case_closed_at)  # type: ignore[attr-defined]
        return Cell(text="Case closed", hint=date_format(closed_at, "j M Y"))
    start = getattr(child, "next_from", None)
    if start is None:
        return Cell(text="Not assessed yet")
    due = add_months(timezone.localtime(start).date(), REASSESS_EVERY_MONTHS)
    overdue = due < timezone.localdate()
    return Cell(text=date_format(due, "j M Y"), tag="Overdue" if overdue else "")


def case_state_q(code: str) -> Q:
    return Q(case_closed=code == CaseState.CLOSED)
