"""The referrals' part of a child's "Who viewed or changed this record" (cse_portal.history).

Only the referrals the viewing officer may open are told of — sent ones, and drafts of the
officer's own agency — so another agency's draft leaves no trace on the page: no entry, and
no access-log row (the rows of the referral pages carry the referral's id, and only the ids
the officer may open are shown). The rows of the page that starts a referral carry the
child's id, not a referral's: they are left out too, since they would tell other agencies
that a referral is being written.

Each entry says in plain English what happened and when, from the records themselves (the
referral's own times: started, sent, acknowledged, decided), and, for what the records do
not keep, from their history rows (a draft's details changed, a person or place removed).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.apps import apps
from pghistory.models import Events

from cse_portal import history
from cse_portal.access import case_objects_visible_to
from cse_portal.history import HistoryEntry
from referrals.models import Outcome, PersonLink, Referral, ReferralPlace
from referrals.selectors import referrals_openable_by

if TYPE_CHECKING:
    from cse_portal.models import Child, Officer

# The access-log object types of the referral pages ("referral", "referral (edit)", …).
LOG_OBJECT_TYPES = ("referral",)

OUTCOMES = {
    Outcome.EMERGENCY_ACTION: "emergency action",
    Outcome.INITIAL_ASSESSMENT: "initial assessment and strategy discussion",
    Outcome.EARLY_HELP: "threshold not met, early-help pathway",
}


def _referrals(child: Child, officer: Officer) -> list[Referral]:
    return list(
        case_objects_visible_to(officer, referrals_openable_by(officer))
        .filter(child=child)
        .select_related(
            "referred_by",
            "submitted_by",
            "to_agency",
            "acknowledgement__sent_by",
            "decision__recorded_by",
            "looked_after_notice__recorded_by",
        )
    )


def openable_ids(child: Child, officer: Officer) -> set[str]:
    """The referrals of the child the officer may open, as the access log writes their ids."""
    return {
        str(pk)
        for pk in referrals_openable_by(officer).filter(child=child).values_list("pk", flat=True)
    }


def entries(child: Child, officer: Officer) -> list[HistoryEntry]:
    referrals = {r.pk: r for r in _referrals(child, officer)}
    if not referrals:
        return []
    found = [e for r in referrals.values() for e in _milestones(r)]
    found += _additions(referrals)
    found += _events(referrals)
    return found


def _milestones(r: Referral) -> Iterable[HistoryEntry]:
    ref = r.reference
    yield HistoryEntry(at=r.created_at, what=f"Referral {ref} started", officer=r.referred_by)
    if r.received_at is not None:
        yield HistoryEntry(
            at=r.received_at, what=f"Referral {ref} sent to {r.to_agency}", officer=r.submitted_by
        )
    if ack := r.acknowledgement_or_none:
        yield HistoryEntry(
            at=ack.sent_at,
            what=f"Referral {ref} acknowledged by {ack.sent_by}",
            officer=ack.sent_by,
        )
    if notice := r.looked_after_notice_or_none:
        yield HistoryEntry(
            at=notice.recorded_at,
            what=f"Team manager and IRO informed (referral {ref})",
            officer=notice.recorded_by,
        )
    if decision := r.decision_or_none:
        outcome = OUTCOMES.get(Outcome(decision.outcome), decision.get_outcome_display())
        yield HistoryEntry(
            at=decision.decided_at,
            what=f"Decision recorded: {outcome} (referral {ref})",
            officer=decision.recorded_by,
        )


def _additions(referrals: dict[int, Referral]) -> list[HistoryEntry]:
    """Persons and places added while the referral was a draft (removed since, too): from the
    history rows of their insertion, at the time the row keeps now if it is still there."""
    found = []
    for model, event_name, time_field, what in (
        (PersonLink, "PersonLinkEvent", "linked_at", "Person of concern added to referral"),
        (ReferralPlace, "ReferralPlaceEvent", "added_at", "Place of concern added to referral"),
    ):
        inserted = list(
            apps.get_model("referrals", event_name)
            .objects.filter(referral_id__in=referrals, pgh_label="insert")
            .values("pgh_obj_id", "referral_id", time_field, "pgh_context__metadata")
        )
        now_at = dict(
            model.objects.filter(pk__in=[e["pgh_obj_id"] for e in inserted]).values_list(
                "pk", time_field
            )
        )
        officers = history.officers_by_id(
            history.event_officer_id(e["pgh_context__metadata"]) for e in inserted
        )
        found += [
            HistoryEntry(
                at=now_at.get(e["pgh_obj_id"], e[time_field]),
                what=f"{what} {referrals[e['referral_id']].reference}",
                officer=officers.get(history.event_officer_id(e["pgh_context__metadata"]) or 0),
            )
            for e in inserted
        ]
    return found


_REMOVED = {
    "PersonLinkEvent": "Person of concern removed from referral",
    "ReferralPlaceEvent": "Place of concern removed from referral",
}


def _removals(referrals: dict[int, Referral]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for model_name, what in _REMOVED.items():
        event_model = apps.get_model("referrals", model_name)
        for row in event_model.objects.filter(referral_id__in=referrals, pgh_label="delete").values(
            "pgh_created_at", "referral_id", "pgh_context__metadata"
        ):
            rows.append({**row, "what": what, "pgh_context": row["pgh_context__metadata"]})
    return rows


def _events(referrals: dict[int, Referral]) -> list[HistoryEntry]:
    """What only the history rows keep: a draft's details changed, a person or place removed."""
    changes = list(
        Events.objects.tracks(list(referrals.values()))
        .filter(pgh_model="referrals.ReferralEvent", pgh_label="update")
        .values("pgh_created_at", "pgh_obj_id", "pgh_diff", "pgh_data", "pgh_context")
    )
    removals = _removals(referrals)
    officers = history.officers_by_id(
        history.event_officer_id(e["pgh_context"]) for e in changes + removals
    )
    found = [_draft_change(e, referrals, officers) for e in changes]
    found += [
        HistoryEntry(
            at=e["pgh_created_at"],
            what=f"{e['what']} {referrals[e['referral_id']].reference}",
            officer=officers.get(history.event_officer_id(e["pgh_context"]) or 0),
        )
        for e in removals
    ]
    return [e for e in found if e is not None]


def _draft_change(
    event: dict[str, Any], referrals: dict[int, Referral], officers: dict[int, Officer]
) -> HistoryEntry | None:
    """A change to a draft's details; None for the sending (its own entry) and for changes
    of bookkeeping only (a version moved on)."""
    if (event["pgh_data"] or {}).get("status") != Referral.Status.DRAFT:
        return None
    names, labels = history.field_labels(Referral, (event["pgh_diff"] or {}).keys())
    if not names:
        return None
    referral = referrals[int(event["pgh_obj_id"])]
    return HistoryEntry(
        at=event["pgh_created_at"],
        what=f"Draft referral {referral.reference} changed",
        officer=officers.get(history.event_officer_id(event["pgh_context"]) or 0),
        changed=labels,
        fields=names,
    )


SOURCE = history.HistorySource(
    key="referrals",
    entries=entries,
    log_object_types=LOG_OBJECT_TYPES,
    openable_ids=openable_ids,
)
