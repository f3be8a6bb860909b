"""Demo disruption actions (G32) against the person of concern linked to three children
across two agencies (Marcus Webb: Jasmine Chen and Kofi Asante by the police, Zain Mahmood by
the school, which may not see Kofi's record). Called by `referrals.demo.load_demo` after the
referrals; running it again creates nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import OutputWrapper
from django.utils import timezone

from cse_portal.models import Officer
from referrals import services
from referrals.models import DisruptionAction
from referrals.selectors_persons import person_search

POLICE_OFFICER = "police.officer"
PERSON = "Marcus Webb"

ACTIONS: list[dict[str, Any]] = [
    {
        "days_ago": 30,
        "kind": "warning_letter",
        "outcome": "Letter served in person at Flat 3, Quayside House.",
        "note": "Warned about harbouring offences after Jasmine was found at the flat.",
    },
    {
        "days_ago": 9,
        "kind": "cawn",
        "outcome": "Child Abduction Warning Notice served for Jasmine Chen and Kofi Asante.",
        "note": "He accepted the notice and was told the police will seek a civil order.",
    },
]


def load_demo(stdout: OutputWrapper) -> None:
    officer = Officer.objects.select_related("agency").filter(username=POLICE_OFFICER).first()
    if officer is None or officer.agency is None:
        return
    found = [p for p in person_search(officer, PERSON) if p.full_name == PERSON]
    if not found or DisruptionAction.objects.filter(person=found[0]).exists():
        return
    today = timezone.localdate()
    for spec in ACTIONS:
        services.disruption_record(
            person=found[0],
            by=officer,
            data={
                "kind": spec["kind"],
                "action_date": today - timedelta(days=spec["days_ago"]),
                "outcome": spec["outcome"],
                "note": spec["note"],
            },
            creation_key=None,
        )
    stdout.write(f"Referrals: recorded {len(ACTIONS)} demo disruption actions against {PERSON}.")
