"""The strategy meetings section of a child's record page (cse_portal.sections): the child's
meetings, and for children's social care the button that convenes one (and a link from each
sent referral whose decision or threshold leads to a meeting not yet convened)."""

from __future__ import annotations

from typing import Any

from cse_portal.models import Child, Officer
from referrals.selectors import sent_referrals_to_convene_from
from strategy_meetings import selectors


def meetings_section(child: Child, officer: Officer) -> dict[str, Any]:
    # The table shows each meeting's chair, status and outcome: the chair is the one
    # relation read (the child is the page's own).
    meetings = list(selectors.meetings_of_child(child, officer, relations=("chair",)))
    can_convene = selectors.can_convene(officer, child)
    leading: list[Any] = []
    if can_convene:
        convened_from = {m.referral_id for m in meetings}
        leading = [
            r
            for r in sent_referrals_to_convene_from(child, officer)
            if r.pk not in convened_from and selectors.leads_to_meeting(r)
        ]
    return {
        "meetings": meetings,
        "can_convene": can_convene,
        "referrals_leading_to_meetings": leading,
    }
