"""Strategy meetings for the volume data set (`manage.py generate_volume`), after the referrals:
a share of the referrals decided "initial assessment" or "emergency action" have a strategy
meeting convened by the home area's children's social care, chaired by its child protection
coordinator, every involved agency's officer invited and recorded as attending, the minutes'
sections written, and an action plan of three SMART actions owned by the attendees.

The meetings are drafts: the minutes are being written (making minutes final computes their
digest through the real service, which a bulk load does not do).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import OutputWrapper

from cse_portal.volume import VolumeContext
from strategy_meetings.models import (
    Action,
    ActionPlan,
    Invitation,
    Meeting,
    MinutesSection,
    sections_for,
)

_MEETING_FIELDS = [
    "id", "child_id", "origin", "referral_id", "status", "convening_agency_id", "convened_by_id",
    "convened_at", "chair_id", "minute_taker_id", "starts_at", "place", "child_looked_after",
    "child_host_authority_id", "convening_authority_id", "host_cp_manager",
    "host_cp_manager_contacted_at", "young_person_invited", "family_invited", "created_at",
    "updated_at",
]  # fmt: skip
_ACTION_FIELDS = [
    "meeting_id", "what", "owner_officer_id", "owner_agency_id", "due", "measure", "status",
    "created_by_id", "created_at", "updated_by_id", "updated_at",
]  # fmt: skip
_ACTIONS = [
    ("Visit her at home with her carer and talk about the older friends.", "A visit note"),
    ("Share what the school sees at the end of each week.", "A weekly e-mail to CSC"),
    ("Check the addresses named and the car seen.", "The checks recorded on the file"),
]


def generate_volume(ctx: VolumeContext, stdout: OutputWrapper) -> None:
    decided = ctx.shared.get("decided_referrals", [])
    chosen = [(i, r) for i, r, outcome in decided if outcome != "early_help"]
    chosen = [(i, r) for i, r in chosen if ctx.rng.random() < 0.4]
    ids = iter(ctx.ids(Meeting, len(chosen)))
    meetings, sections, invitations, actions, plans = [], [], [], [], []
    for index, referral in chosen:
        pk = next(ids)
        child = ctx.children[index]
        csc = ctx.csc_of[child.home]
        chair, minute_taker = ctx.officers_of[csc][1], ctx.officers_of[csc][3]
        convened = min(child.created_at + timedelta(days=12), ctx.now - timedelta(days=1))
        starts = convened + timedelta(hours=20)
        meetings.append(_meeting_row(ctx, pk, index, referral, chair, minute_taker, convened))
        for n, spec in enumerate(sections_for(looked_after=child.looked_after), start=1):
            text = "Discussed; see the actions." if ctx.rng.random() < 0.8 else ""
            sections.append((pk, spec.key, str(spec.kind), n, text, minute_taker, starts))
        owners = [(chair, csc)]
        for agency in dict.fromkeys([*child.agencies, csc]):
            officer = ctx.officers_of[agency][0] if agency != csc else chair
            if officer != chair:
                owners.append((officer, agency))
            invitations.append(
                (pk, agency, officer, "invited", chair, convened, "attended", chair, starts)
            )
        for what, measure in _ACTIONS:
            owner, agency = ctx.rng.choice(owners)
            due = (starts + timedelta(days=ctx.rng.randrange(7, 60))).date()
            status = ctx.rng.choice(["not_started", "in_progress", "done"])
            row = (pk, what, owner, agency, due, measure, status, chair, starts)
            actions.append((*row, chair, starts))
        plans.append((pk, 1, (starts + timedelta(days=90)).date(), starts, chair))
    ctx.copy(Meeting, _MEETING_FIELDS, meetings)
    fields = ["meeting_id", "key", "kind", "position", "text", "updated_by_id", "updated_at"]
    ctx.copy(MinutesSection, fields, sections)
    fields = ["meeting_id", "agency_id", "officer_id", "status", "invited_by_id", "invited_at"]
    fields += ["attendance", "attendance_recorded_by_id", "attendance_recorded_at"]
    ctx.copy(Invitation, fields, invitations)
    ctx.copy(Action, _ACTION_FIELDS, actions)
    fields = ["meeting_id", "version", "review_date", "updated_at", "updated_by_id"]
    ctx.copy(ActionPlan, fields, plans)
    stdout.write(f"strategy_meetings: {len(meetings):,} meetings, {len(actions):,} actions")


def _meeting_row(
    ctx: VolumeContext,
    pk: int,
    index: int,
    referral: int,
    chair: int,
    minute_taker: int,
    convened: Any,
) -> tuple[Any, ...]:
    child = ctx.children[index]
    csc = ctx.csc_of[child.home]
    host = child.host
    return (
        pk, child.id, "referral_decision", referral, "draft", csc, chair, convened, chair,
        minute_taker, convened + timedelta(hours=20), "Meeting room 2, the Civic Centre",
        child.looked_after, host, ctx.authority_ids[child.home],
        "The host area's child protection manager" if host else "",
        convened if host else None, True, True, convened, convened,
    )  # fmt: skip
