"""The referrals in the child's whole file (PDF): their section and their chronology entries
(registered with `cse_portal.sections` in ReferralsConfig.ready()).

The file holds sent referrals only (with CSC's acknowledgement, decision and the looked-after
notice): a draft is not part of the child's file, even for the referring agency.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from cse_portal.models import Child, Officer
from cse_portal.sections import ChronologyEntry
from referrals.models import PersonLink, Referral
from referrals.selectors import referrals_of_child


def sent_referrals(child: Child, officer: Officer) -> QuerySet[Referral]:
    """The child's sent referrals the officer may see, oldest first, with CSC's responses
    (selected already by the selector) and the persons of concern named."""
    return (
        referrals_of_child(child, officer)
        .filter(status=Referral.Status.SUBMITTED)
        .select_related(
            "submitted_by", "acknowledgement__sent_by", "acknowledgement__sent_by_agency"
        )
        .prefetch_related(
            Prefetch(
                "person_links",
                queryset=PersonLink.objects.select_related("person").order_by("linked_at", "id"),
                to_attr="links_in_order",
            )
        )
        .order_by("received_at", "id")
    )


def pdf_section(child: Child, officer: Officer) -> dict[str, Any]:
    return {"referrals": list(sent_referrals(child, officer))}


def _entries_of(referral: Referral) -> list[ChronologyEntry]:
    assert referral.received_at is not None  # set when the referral is sent
    entries = [
        ChronologyEntry(
            at=referral.received_at,
            kind="Referral",
            event=f"CSE1 referral {referral.reference} sent to {referral.to_agency}",
            summary=referral.basis_of_concern,
            by=str(referral.submitted_by or referral.referred_by),
            agency=str(referral.referring_agency),
        )
    ]
    if (ack := referral.acknowledgement_or_none) is not None:
        entries.append(
            ChronologyEntry(
                at=ack.sent_at,
                kind="Referral",
                event=f"Referral {referral.reference} acknowledged to the referrer",
                summary=ack.action_being_taken,
                by=str(ack.sent_by),
                agency=str(ack.sent_by_agency),
            )
        )
    if (decision := referral.decision_or_none) is not None:
        entries.append(
            ChronologyEntry(
                at=decision.decided_at,
                kind="Referral",
                event=f"Decision on referral {referral.reference}",
                summary=decision.get_outcome_display(),
                by=str(decision.decided_by),
                agency=str(decision.agency),
            )
        )
    if (notice := referral.looked_after_notice_or_none) is not None:
        entries.append(
            ChronologyEntry(
                at=notice.informed_at,
                kind="Referral",
                event="Team manager and IRO informed (looked-after child)",
                summary=notice.discussion_outcome,
                by=str(notice.recorded_by),
            )
        )
    return entries


def chronology(child: Child, officer: Officer) -> list[ChronologyEntry]:
    return [entry for referral in sent_referrals(child, officer) for entry in _entries_of(referral)]
