"""Referrals, responses, risk assessments, missing episodes and persons of concern for the volume
data set (`manage.py generate_volume`), after the core's and the screening app's rows.

Every child the core marked as referred has a CSE1 referral sent to the children's social care
of its home authority (from the screening that concluded "refer", when there is one); most are
acknowledged and decided, the newest ones wait (a share of them overdue: the tray's work).
A share of "initial assessment" decisions have a finalised CSE2 assessment, some a later
reassessment. A tenth of the children have missing episodes; persons of concern are linked
across children of the same area.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import OutputWrapper

from cse_portal.volume import VolumeChild, VolumeContext, invented_first_name, invented_last_name
from cse_portal.working_days import acknowledgement_due, decision_due
from referrals.assessment_tools import tool_for
from referrals.models import (
    MissingEpisode,
    PersonLink,
    PersonOfConcern,
    Referral,
    ReferralAcknowledgement,
    ReferralDecision,
    ReferralIndicator,
    RiskAssessment,
    ToolOutcome,
)
from screening.models import Indicator
from screening.selectors import current_catalogue

_REFERRAL_FIELDS = [
    "id", "child_id", "screening_id", "referring_agency_id", "referred_by_id", "created_at",
    "updated_at", "status", "basis_of_concern", "parents_know", "young_person_knows",
    "young_person_consents", "lawful_basis", "to_agency_id", "submitted_by_id", "received_at",
    "decision_due", "acknowledgement_due", "submission_key", "child_identified_at_submission",
    "looked_after_status_at_submission",
]  # fmt: skip
_DECISION_FIELDS = [
    "referral_id", "outcome", "rationale", "decided_by_id", "approved_by_id", "approval_method",
    "recorded_by_id", "agency_id", "decided_at", "met_threshold",
]  # fmt: skip
_BASIS = (
    "Seen getting into cars with older males after school; new phone and clothes she will not "
    "explain; missing overnight twice this month."
)


def generate_volume(ctx: VolumeContext, stdout: OutputWrapper) -> None:
    decided = _referrals(ctx)
    _assessments(ctx, decided)
    _missing_episodes(ctx)
    _persons_of_concern(ctx)
    stdout.write(f"referrals: {ctx.counts.get('referrals.Referral', 0):,} referrals")


def _referrals(ctx: VolumeContext) -> list[tuple[int, int, str]]:
    """Write the referrals and their responses; return (child index, referral id, outcome)."""
    refer = ctx.shared.get("refer_screening", {})
    referred = [(i, c) for i, c in enumerate(ctx.children) if c.referred]
    ids = iter(ctx.ids(Referral, len(referred)))
    copies = _indicator_copies()
    rows, indicators, acks, decisions, decided = [], [], [], [], []
    for index, child in referred:
        pk = next(ids)
        received = ctx.some_time_after(child.created_at, 10)
        rows.append(_referral_row(ctx, pk, child, refer.get(index), received))
        for position, copy in enumerate(ctx.rng.sample(copies, 3), start=1):
            indicators.append((pk, position, *copy))
        age = ctx.now - received
        if age < timedelta(days=2) and ctx.rng.random() < 0.7:
            continue  # waiting for the acknowledgement (some overdue)
        csc = ctx.csc_of[child.home]
        acks.append(_acknowledgement(ctx, pk, csc, received))
        if age < timedelta(days=4) and ctx.rng.random() < 0.6:
            continue  # acknowledged, decision to come
        outcome = ctx.rng.choice(["initial_assessment"] * 3 + ["early_help", "emergency_action"])
        decisions.append(_decision(ctx, pk, csc, received, outcome))
        decided.append((index, pk, outcome))
    ctx.copy(Referral, _REFERRAL_FIELDS, rows)
    fields = ["referral_id", "position", "code", "heading", "text", "kind", "kind_label"]
    ctx.copy(ReferralIndicator, fields, indicators)
    fields = ["referral_id", "message", "action_being_taken", "sent_by_id", "sent_by_agency_id"]
    ctx.copy(ReferralAcknowledgement, [*fields, "sent_at"], acks)
    ctx.copy(ReferralDecision, _DECISION_FIELDS, decisions)
    ctx.shared["decided_referrals"] = decided
    return decided


def _indicator_copies() -> list[tuple[str, str, str, str, str]]:
    indicators = Indicator.objects.filter(version=current_catalogue()).select_related("heading")
    return [
        (i.code, f"{i.heading.letter} — {i.heading.title}", i.text, i.kind, i.get_kind_display())
        for i in indicators
    ]


def _referral_row(
    ctx: VolumeContext, pk: int, child: VolumeChild, screening: int | None, received: Any
) -> tuple[Any, ...]:
    consents = ctx.rng.choice(["given", "given", "refused", "not_asked"])
    return (
        pk, child.id, screening, child.owner, child.created_by, received - timedelta(hours=1),
        received, "submitted", _BASIS, "yes", "yes", consents,
        "" if consents == "given" else "safeguarding", ctx.csc_of[child.home], child.created_by,
        received, decision_due(received), acknowledgement_due(received), ctx.uuid(),
        child.identified, "looked_after" if child.looked_after else "no",
    )  # fmt: skip


def _acknowledgement(ctx: VolumeContext, pk: int, csc: int, received: Any) -> tuple[Any, ...]:
    message = "Thank you: we have your referral and a social worker is reading it today."
    action = "Checks with the police and the school; a decision by tomorrow."
    officers = ctx.officers_of[csc]
    sent = received + timedelta(hours=ctx.rng.uniform(1, 20))
    return (pk, message, action, ctx.rng.choice(officers[3:]), csc, min(sent, ctx.now))


def _decision(ctx: VolumeContext, pk: int, csc: int, received: Any, outcome: str) -> tuple:
    officers = ctx.officers_of[csc]
    manager = officers[0]  # the team manager, signed in
    rationale = "The indicators and the police checks together meet the threshold for this."
    decided = min(received + timedelta(hours=ctx.rng.uniform(21, 30)), ctx.now)
    met = outcome != "early_help"
    row = (pk, outcome, rationale, ctx.rng.choice(officers[3:]), manager, "signed_in", manager)
    return (*row, csc, decided, met)


def _assessments(ctx: VolumeContext, decided: list[tuple[int, int, str]]) -> None:
    tool = tool_for(None)
    if tool is None:
        return
    outcomes = list(
        ToolOutcome.objects.filter(tool=tool).exclude(kind="not_enough_information")
        .values_list("id", flat=True)
    )  # fmt: skip
    chosen = [(i, r) for i, r, outcome in decided if outcome == "initial_assessment"]
    chosen = [(i, r) for i, r in chosen if ctx.rng.random() < 0.5]
    reassess = [(i, r) for i, r in chosen if ctx.rng.random() < 0.3]
    ids = iter(ctx.ids(RiskAssessment, len(chosen) + len(reassess)))
    rows, first_of = [], {}
    for index, referral in chosen:
        pk = next(ids)
        first_of[index] = pk
        rows.append(_assessment_row(ctx, pk, index, tool.pk, referral, None, outcomes, 14))
    for index, referral in reassess:
        rows.append(
            _assessment_row(ctx, next(ids), index, tool.pk, referral, first_of[index], outcomes, 90)
        )
    fields = ["id", "child_id", "tool_id", "agency_id", "referral_id", "previous_id"]
    fields += ["created_by_id", "created_at", "updated_at", "status", "suggested_outcome_id"]
    fields += ["judged_outcome_id", "summary", "finalised_by_id", "finalised_at"]
    ctx.copy(RiskAssessment, fields, rows)


def _assessment_row(
    ctx: VolumeContext,
    pk: int,
    index: int,
    tool: int,
    referral: int,
    previous: int | None,
    outcomes: list[int],
    after_days: int,
) -> tuple[Any, ...]:
    child = ctx.children[index]
    csc = ctx.csc_of[child.home]
    by = ctx.rng.choice(ctx.officers_of[csc][3:])
    start = child.created_at + timedelta(days=after_days)
    created = min(start, ctx.now - timedelta(hours=2))
    done = ctx.some_time_after(created, 10)
    outcome = ctx.rng.choice(outcomes)
    summary = "Risk reviewed with the young person, her carers and the school."
    return (
        pk, child.id, tool, csc, referral, previous, by, created, done, "finalised",
        outcome, outcome, summary, by, done,
    )  # fmt: skip


_MISSING_FIELDS = [
    "child_id", "status", "recorded_by_id", "recording_agency_id", "created_at", "updated_at",
    "reported_missing_at", "reported_by_agency_id", "circumstances", "returned_at",
    "found_location", "found_by", "return_interview_due", "return_recorded_by_id",
    "return_recorded_at", "interview_outcome", "interview_at", "interview_by_officer_id",
    "interview_summary", "interview_recorded_by_id", "interview_recorded_at",
]  # fmt: skip


def _missing_episodes(ctx: VolumeContext) -> None:
    rows = []
    for child in ctx.children:
        if ctx.rng.random() >= 0.1:
            continue
        for _ in range(ctx.rng.choice([1, 1, 2, 3])):
            rows.append(_episode(ctx, child))
    ctx.copy(MissingEpisode, _MISSING_FIELDS, rows)


def _episode(ctx: VolumeContext, child: VolumeChild) -> tuple[Any, ...]:
    rng = ctx.rng
    by = ctx.officer(child.owner)
    reported = ctx.some_time_after(child.created_at, 300)
    head = (child.id,)
    tail = (by, child.owner, reported, reported, reported, child.owner, "Did not come home.")
    returned = reported + timedelta(hours=rng.uniform(2, 40))
    if returned >= ctx.now - timedelta(hours=1):
        empty = (None, "", "", None, None, None, "", None, None, "", None, None)
        return (*head, "missing", *tail, *empty)
    found = "At a friend's flat in the town centre."
    back = (returned, found, "Police patrol", returned + timedelta(hours=72), by, returned)
    interview = returned + timedelta(hours=rng.uniform(4, 70))
    if interview >= ctx.now or rng.random() < 0.2:
        return (*head, "returned", *tail, *back, "", None, None, "", None, None)
    done = ("held", interview, by, "She talked about the older friends she stays with.")
    return (*head, "closed", *tail, *back, *done, by, interview)


def _persons_of_concern(ctx: VolumeContext) -> None:
    """People of concern, each linked to one to four children of one area (the same person
    named in several children's records: what the links across children are for)."""
    by_area: dict[int, list[VolumeChild]] = {}
    for child in ctx.children:
        by_area.setdefault(child.home, []).append(child)
    count = max(1, len(ctx.children) // 10)
    ids = iter(ctx.ids(PersonOfConcern, count))
    people, links = [], []
    for _ in range(count):
        pk = next(ids)
        area = ctx.rng.randrange(len(ctx.authority_ids))
        children = ctx.rng.sample(by_area.get(area) or ctx.children, 1)
        children += ctx.rng.choices(by_area.get(area) or ctx.children, k=ctx.rng.choice([0, 1, 3]))
        first = children[0]
        by, agency = first.created_by, first.owner
        name = f"{invented_first_name(ctx.rng)} {invented_last_name(ctx.rng)}"
        people.append(
            (pk, name, "Older male, drives a dark estate car.", by, agency, first.created_at)
        )
        for child in {c.id: c for c in children}.values():
            links.append((pk, child.id, "Says he is her boyfriend", child.created_by, child.owner))
    fields = ["id", "full_name", "description", "recorded_by_id", "recorded_by_agency_id"]
    ctx.copy(PersonOfConcern, [*fields, "created_at"], people)
    fields = [
        "person_id",
        "child_id",
        "relationship_to_child",
        "linked_by_id",
        "linked_by_agency_id",
    ]
    ctx.copy(PersonLink, fields, links)
