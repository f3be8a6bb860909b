"""Demo CSE1 referrals in every state, for the fictional demo children (`manage.py load_demo`).

Called by the core demo loader after the core data and the screenings. Officers are found by
username, children by name (or, for a child not yet identified, by the start of the
description) among those the referrer's agency can see; when the expected demo rows are not
there, the referral is skipped quietly. Running it again creates nothing: a child that already
has a referral from the referrer's agency is left alone.

The states: a draft (with wording the language prompt picks up); sent and awaiting
acknowledgement (two of them from a screening, sent now); neither acknowledged nor decided
and both overdue; acknowledged, the decision overdue; decided with each of the three decisions
(one approved by the team manager signed in, the others verbally; one with the concern about
an identified person of concern judged well evidenced); an unidentified child with a named
person of concern (meets the strategy-meeting threshold); looked-after children with the team
manager and IRO informed (the LAC review brought forward and combined with the strategy
meeting), and not yet.

Every referral's times are in order (started, persons and places added, sent, acknowledged,
informed, decided, each before now), as `tests/referrals/test_demo.py` checks.
"""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import OutputWrapper
from django.utils import timezone

from cse_portal.access import children_visible_to
from cse_portal.models import Child, Officer
from cse_portal.working_days import LONDON, is_working_day
from referrals import (
    demo_assessment,
    demo_case,
    demo_caseload,
    demo_missing,
    demo_persons,
    services,
)
from referrals.models import PersonLink, PersonOfConcern, Referral, ReferralPlace
from referrals.selectors_persons import person_search
from screening.models import Conclusion, Screening

CSC_WORKER = "csc.social.worker"
CSC_MANAGER = "csc.manager"
IRO = "iro"

DEMO_REFERRALS: list[dict[str, Any]] = [
    {
        "child": ("Ellie", "Hartley"),
        "by": "school.practitioner",
        "state": "draft",
        "details": {
            "basis_of_concern": (
                "Ellie has missed eight afternoons this half term. She told a friend she has "
                "a new boyfriend, aged about 19, who picks her up from the shops at lunchtime."
            ),
            "parents_know": "not_known",
        },
        "persons": [
            {
                "data": {
                    "nicknames": "Jay",
                    "approximate_age": 19,
                    "description": "White man, about 19, drives a silver hatchback.",
                },
                "relationship": "Collects Ellie from the shops at lunchtime",
            },
        ],
    },
    {
        "child": ("Riley", "Fraser"),
        "by": "youth.lead",
        "state": "sent",
        "received_working_days_ago": 2,  # neither acknowledged nor decided: both overdue
        "details": {
            "basis_of_concern": (
                "Riley arrived at the youth project with an expensive new phone and £200 in "
                "cash, and would not say where they came from. An adult man waited outside "
                "for two hours."
            ),
            "parents_know": "yes",
            "young_person_knows": "yes",
            "young_person_consents": "refused",
            "lawful_basis": "safeguarding",
        },
        "places": [{"name": "Harbour Lane car park", "description": "Where the man waited."}],
    },
    {
        "child": ("Zain", "Mahmood"),
        "by": "school.practitioner",
        "from_screening": True,  # sent now, after the screening
        "state": "sent",
        "details": {
            "basis_of_concern": (
                "Zain's screening found several vulnerabilities and signs: missing overnight "
                "twice this month, cannabis from older young men, new clothes he cannot "
                "explain, domestic abuse at home and a recent bereavement."
            ),
            "parents_know": "no",
            "parents_not_informed_reason": (
                "Police attended the home for domestic abuse this term; telling the household "
                "before children's social care decides could put Zain at greater risk."
            ),
            "young_person_knows": "yes",
            "young_person_consents": "not_asked",
            "lawful_basis": "safeguarding",
            "other_agencies": "Northdale Police (domestic abuse incidents).",
        },
        # The same person as on Jasmine Chen's record, picked rather than added again (G30).
        "existing_persons": [
            {
                "name": "Marcus Webb",
                "relationship": "Seen handing Zain cannabis outside the school gates",
            }
        ],
        # The place of Riley Fraser's referral (the youth project's), written a little
        # differently: one place across the two children (G30).
        "places": [
            {"name": "Harbour Lane Car Park", "description": "Where Zain is picked up at night."}
        ],
    },
    {
        "child": ("Niamh", "Gallagher"),
        "by": "youth.worker",
        "from_screening": True,
        "state": "sent",
        "details": {
            "basis_of_concern": (
                "Niamh, 14, was seen getting into cars with adult men outside the youth "
                "project twice this week. A friend of hers is known to children's social care "
                "for sexual exploitation."
            ),
            "parents_know": "yes",
            "young_person_knows": "no",
            "young_person_consents": "not_asked",
            "lawful_basis": "safeguarding",
        },
        "persons": [
            {
                "data": {
                    "description": (
                        "Two men in their thirties, black Audi, partial registration NK6."
                    )
                },
                "relationship": "Pick Niamh up outside the youth project",
            },
        ],
    },
    {
        "child": ("Jasmine", "Chen"),
        "by": "police.officer",
        "state": "decided",
        "received_working_days_ago": 6,
        "outcome": "emergency_action",
        "person_well_evidenced": True,
        "rationale": (
            "Jasmine was found at an address linked to an adult of concern at 02:00 and "
            "disclosed being given alcohol and drugs. Immediate risk of significant harm: "
            "police protection used and a placement found tonight, agreed with the police."
        ),
        "details": {
            "basis_of_concern": (
                "Found at 02:00 at a flat linked to an adult of concern, intoxicated. Said she "
                "had been given vodka and pills by men she met online."
            ),
            "parents_know": "yes",
            "young_person_knows": "yes",
            "young_person_consents": "given",
        },
        "persons": [
            {
                "data": {
                    "full_name": "Marcus Webb",
                    "approximate_age": 32,
                    "addresses": "Flat 3, Quayside House, Northdale",
                    "phone_numbers": "07700 900456",
                },
                "relationship": "Tenant of the flat where Jasmine was found",
            },
        ],
    },
    {
        "child": ("Kofi", "Asante"),
        "by": "police.officer",
        "state": "decided",
        "received_working_days_ago": 8,
        "outcome": "initial_assessment",
        "recorded_by_manager": True,
        "rationale": (
            "Indicators of grooming through gifts and older associates, no immediate danger. "
            "Initial assessment started; strategy discussion with the police and the youth "
            "justice service to plan section 47 enquiries."
        ),
        "details": {
            "basis_of_concern": (
                "Kofi, 15, has been seen repeatedly with older men at the bus station and has "
                "new designer clothes. Intelligence links one of the men to the sexual "
                "exploitation of boys."
            ),
            "parents_know": "yes",
            "young_person_knows": "yes",
            "young_person_consents": "refused",
            "lawful_basis": "public_task",
        },
        "places": [{"name": "Northdale bus station", "address": "Station Road, Northdale"}],
        "existing_persons": [
            {
                "name": "Marcus Webb",
                "relationship": "One of the older men seen with Kofi at the bus station",
            }
        ],
        "persons": [
            {
                # Under 18: possibly also a victim (G31).
                "data": {
                    "nicknames": "Tiny",
                    "approximate_age": 16,
                    "description": (
                        "Boy of about 16, often with the older men at the bus station; passes "
                        "Kofi phone credit and messages from them."
                    ),
                },
                "relationship": "Passes Kofi phone credit and messages from the older men",
            }
        ],
    },
    {
        "child": ("Lily-Mae", "Parkin"),
        "by": "health.practitioner",
        "state": "decided",
        "received_working_days_ago": 10,
        "outcome": "early_help",
        "rationale": (
            "Concerns about online contact with unknown adults, no evidence of harm so far, "
            "supportive parents engaged. Threshold for children's social care not met: early "
            "help assessment (EHAF) with the school nurse and the family; refer again if "
            "anything changes."
        ),
        "details": {
            "basis_of_concern": (
                "Lily-Mae told the school nurse she talks to people she does not know on a "
                "chat app, one of whom asked for photos. She did not send any."
            ),
            "parents_know": "yes",
            "young_person_knows": "yes",
            "young_person_consents": "given",
        },
    },
    {
        "child_description": "Girl, aged about 14",
        "by": "police.officer",
        "state": "acknowledged",
        "received_working_days_ago": 2,  # acknowledged on time, the decision overdue
        "details": {
            "basis_of_concern": (
                "A girl thought to be about 14 has been seen several times at the address of "
                "Darren Pike, who has previous convictions for offences against children. Her "
                "identity is not yet known."
            ),
            "parents_know": "not_known",
            "young_person_knows": "not_known",
            "young_person_consents": "not_asked",
            "lawful_basis": "safeguarding",
        },
        "persons": [
            {
                "data": {
                    "full_name": "Darren Pike",
                    "approximate_age": 41,
                    "addresses": "12 Mill Lane, Northdale",
                    "vehicles": "White Transit van",
                },
                "relationship": "The girl has been seen entering his house",
            },
        ],
    },
    {
        "child": ("Jayden", "Campbell"),
        "by": "police.officer",
        "state": "decided",
        "received_working_days_ago": 3,
        "outcome": "initial_assessment",
        "rationale": (
            "Jayden is looked after and has been missing from placement three times; "
            "initial assessment and a strategy discussion with the police and his carers."
        ),
        "inform": True,
        "details": {
            "basis_of_concern": (
                "Jayden has gone missing from his placement three times in two weeks and was "
                "found each time in a flat used by older young people linked to drug supply."
            ),
            "parents_know": "yes",
            "young_person_knows": "yes",
            "young_person_consents": "refused",
            "lawful_basis": "safeguarding",
            "looked_after_confirmed": True,
            "placement_details": "Foster placement in Northdale.",
        },
    },
    {
        "child": ("Dawit", "Tesfaye"),
        "by": "health.practitioner",
        "state": "sent",
        "received_hours_ago": 1,
        "details": {
            "basis_of_concern": (
                "Dawit attended the sexual health clinic with an adult who said he was his "
                "uncle; Dawit did not know the man's surname."
            ),
            "parents_know": "not_known",
            "young_person_knows": "yes",
            "young_person_consents": "refused",
            "lawful_basis": "safeguarding",
            "looked_after_confirmed": True,
        },
    },
]


# Each referral's own timeline (issue 7): started, persons and places added, sent, then
# acknowledged, decided and the team manager and IRO informed, each after the one before and
# before now; due times from the working-day rule, as the service computes them.
DRAFTING = timedelta(minutes=50)  # started this long before it was sent
ADDED_AFTER_START = timedelta(minutes=15)  # persons and places, while drafting
ACKNOWLEDGED_AFTER = timedelta(minutes=40)
INFORMED_AFTER = timedelta(hours=1)
DECIDED_AFTER = timedelta(hours=4)


def _received_at(spec: dict[str, Any]) -> datetime | None:
    """When a sent referral was received: some hours or working days ago (at 10:00 London
    time). None for one sent now, as a referral from a screening is: the demo screenings are
    submitted as the demo loads, and a referral comes after its screening."""
    if spec.get("from_screening"):
        return None
    if "received_hours_ago" in spec:
        return timezone.now() - timedelta(hours=spec["received_hours_ago"])
    day = timezone.localdate()
    remaining = spec["received_working_days_ago"]
    while remaining:
        day -= timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return datetime.combine(day, time(10, 0), tzinfo=LONDON)


def _find_child(spec: dict[str, Any], officer: Officer) -> Child | None:
    children = children_visible_to(officer)
    if "child" in spec:
        first, last = spec["child"]
        children = children.filter(first_name=first, last_name=last)
    else:
        children = children.filter(
            is_identified=False, description__startswith=spec["child_description"]
        )
    return children.order_by("created_at").first()


def load_demo(stdout: OutputWrapper) -> None:
    officers = {
        o.username: o
        for o in Officer.objects.select_related("agency").filter(
            username__in={CSC_WORKER, CSC_MANAGER, IRO} | {s["by"] for s in DEMO_REFERRALS}
        )
    }
    created = 0
    # Referrals that name a person already known come after the one that first names them.
    for spec in sorted(DEMO_REFERRALS, key=lambda s: bool(s.get("existing_persons"))):
        officer = officers.get(spec["by"])
        if officer is None or officer.agency is None:
            continue
        child = _find_child(spec, officer)
        if (
            child is None
            or Referral.objects.filter(child=child, referring_agency=officer.agency).exists()
        ):
            continue
        try:
            _create(spec, officer, child, officers)
        except ValidationError as error:  # demo data that no longer fits: say so, go on
            stdout.write(f"Referrals: skipped the demo referral about {child}: {error.messages}")
            continue
        created += 1
    stdout.write(f"Referrals: created {created} demo referrals.")
    demo_missing.load_demo(stdout)
    demo_assessment.load_demo(stdout)  # the CSE2 risk assessments, after the referrals
    demo_persons.load_demo(stdout)  # disruption actions against a person across children
    demo_caseload.load_demo(stdout)  # more children for the lead officers' overview
    demo_case.load_demo(stdout)  # the one closed case


def _screening_to_refer_from(
    spec: dict[str, Any], officer: Officer, child: Child
) -> Screening | None:
    if not spec.get("from_screening"):
        return None
    return (
        Screening.objects.filter(
            child=child,
            agency=officer.agency,
            status=Screening.Status.SUBMITTED,
            conclusion=Conclusion.REFER,
            referrals__isnull=True,
        )
        .order_by("-submitted_at")
        .first()
    )


def _write_draft(
    spec: dict[str, Any], officer: Officer, child: Child, started: datetime | None
) -> Referral:
    referral, _ = services.referral_create(
        child=child,
        by=officer,
        data=spec["details"],
        screening=_screening_to_refer_from(spec, officer, child),
    )
    for person in spec.get("persons", []):
        services.referral_person_add(
            referral=referral,
            by=officer,
            data=person["data"],
            relationship_to_child=person.get("relationship", ""),
        )
    for known in spec.get("existing_persons", []):
        found = person_search(officer, known["name"])
        if found:
            services.referral_person_link_existing(
                referral=referral,
                by=officer,
                person_pk=found[0].pk,
                relationship_to_child=known["relationship"],
            )
    for place in spec.get("places", []):
        services.referral_place_add(
            referral=referral,
            by=officer,
            data={k: place.get(k, "") for k in services.PLACE_FIELDS},
        )
    if started is not None:
        _backdate_draft(referral, started)
    return referral


def _backdate_draft(referral: Referral, started: datetime) -> None:
    """The draft as if written before it was sent (still a draft: its rows may change)."""
    added = started + ADDED_AFTER_START
    Referral.objects.filter(pk=referral.pk, status=Referral.Status.DRAFT).update(
        created_at=started, updated_at=added
    )
    links = PersonLink.objects.filter(referral=referral)
    # Only the persons this referral recorded: a person already known keeps their own times.
    PersonOfConcern.objects.filter(links__in=links).exclude(
        pk__in=PersonLink.objects.exclude(referral=referral).values("person_id")
    ).update(created_at=added, updated_at=added)
    links.update(linked_at=added)
    ReferralPlace.objects.filter(referral=referral).update(added_at=added)


def _create(
    spec: dict[str, Any], officer: Officer, child: Child, officers: dict[str, Officer]
) -> None:
    received = None if spec["state"] == "draft" else _received_at(spec)
    referral = _write_draft(spec, officer, child, received - DRAFTING if received else None)
    if spec["state"] == "draft":
        return
    referral = services.referral_submit(
        referral=Referral.objects.get(pk=referral.pk),
        by=officer,
        submission_key=uuid.uuid4(),
        now=received,
    ).referral
    worker, manager = officers.get(CSC_WORKER), officers.get(CSC_MANAGER)
    if worker is None or manager is None or worker.agency_id != referral.to_agency_id:
        return
    _respond(spec, referral, worker, manager, officers.get(IRO))


def _respond(
    spec: dict[str, Any],
    referral: Referral,
    worker: Officer,
    manager: Officer,
    iro: Officer | None,
) -> None:
    """CSC's response, as far as the demo state goes. Only referrals received in the past
    (not those sent now) are acknowledged or decided in the demo."""
    received = referral.received_at
    if received is None or spec["state"] not in {"acknowledged", "decided"}:
        return
    local = timezone.localtime(referral.decision_due)
    due = f"{local:%A} {local.day} {local:%B} at {local:%H:%M}"
    services.referral_acknowledge(
        referral=referral,
        by=worker,
        message=f"We have received your CSE1 referral {referral.reference}.",
        action_being_taken=(
            f"Allocated to {worker.get_full_name()}. A decision will be made with the team "
            f"manager by {due}."
        ),
        now=received + ACKNOWLEDGED_AFTER,
    )
    if spec.get("inform") and referral.is_about_looked_after_child:
        _inform(referral, worker, manager, iro, received + INFORMED_AFTER)
    if spec["state"] == "decided":
        _decide(spec, referral, worker, manager, received + DECIDED_AFTER)


def _decide(
    spec: dict[str, Any], referral: Referral, worker: Officer, manager: Officer, at: datetime
) -> None:
    """Decided by the social worker; recorded by the team manager signed in, or by the social
    worker with the team manager's verbal approval."""
    asked = services.asks_whether_person_well_evidenced(referral)
    services.referral_decide(
        referral=referral,
        by=manager if spec.get("recorded_by_manager") else worker,
        outcome=spec["outcome"],
        rationale=spec["rationale"],
        decided_by=worker,
        approved_by=manager,
        person_well_evidenced=spec.get("person_well_evidenced", False) if asked else None,
        evidence_judged_by=worker if asked else None,
        threshold_not_met_reason=spec.get("threshold_not_met_reason", ""),
        now=at,
    )


def _inform(
    referral: Referral, worker: Officer, manager: Officer, iro: Officer | None, at: datetime
) -> None:
    services.referral_record_looked_after_notice(
        referral=referral,
        by=worker,
        team_manager=manager,
        iro=iro,
        iro_name="" if iro else "The child's IRO",
        informed_at=at,
        method="in_person",
        bring_lac_review_forward=True,
        combine_with_strategy_meeting=True,
        detail="The IRO who chairs Jayden's LAC reviews will chair the strategy meeting.",
        now=at + timedelta(minutes=20),
    )
