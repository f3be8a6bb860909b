"""Demo missing episodes (G33) for the fictional demo children, through the real services.

Called by `referrals.demo.load_demo` after the referrals. Officers are found by username,
children by name among those the recording officer's agency can see; when they are not there,
the child is skipped quietly. A child who already has a missing episode is left alone, so a
second run creates nothing. Every place is fictional.

The states: Jayden Campbell, missing from his foster placement three times (the interviews of
the first two done by the youth project, the third overdue); Priya Chauhan, Ayaan Chowdhury,
Destiny Okafor, Shannon McAllister and Malik Jordan, once each, back a few days ago and the interview overdue;
Caitlin Marsh, placed in Southmere, missing four times, the last since last night (still
missing); Tyler Brennan, once, the interview done; Niamh Gallagher, once, the interview offered
and declined. Each stage is recorded a little after it happened, as it would be.
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
from cse_portal.working_days import LONDON
from referrals.models import InterviewOutcome, MissingEpisode
from referrals.services import missing as services

FLAT = "A flat on Cinder Row, Northdale, used by older young people"

# (days ago, "HH:MM") for each time: reported, returned, interview.
DEMO_EPISODES: list[dict[str, Any]] = [
    {
        "child": ("Jayden", "Campbell"),
        "by": "csc.social.worker",
        "episodes": [
            {
                "reported": (19, "22:15"),
                "reported_by_name": "Foster carer",
                "circumstances": "Did not come home after school. His phone was switched off.",
                "returned": (18, "08:40"),
                "found_location": FLAT,
                "found_by": "Found by Northdale Police on a welfare check",
                "interview": (17, "16:00"),
                "interview_by": "youth.worker",
                "summary": (
                    "Jayden said he stayed with 'mates'. He would not say who else was at the "
                    "flat. He had a new phone and trainers. Agreed to weekly sessions with the "
                    "youth project."
                ),
            },
            {
                "reported": (13, "23:05"),
                "reported_by": "police.officer",
                "circumstances": "Seen getting into a car with two older young men at 19:30.",
                "returned": (12, "11:20"),
                "found_location": FLAT,
                "found_by": "Returned to the placement on his own",
                "interview": (11, "15:30"),
                "interview_by": "youth.worker",
                "summary": (
                    "Jayden was tired and withdrawn. He said he 'owed' someone money. Shared "
                    "with the police and his social worker the same day."
                ),
            },
            {
                # Back six days ago: the interview fell due three days ago (overdue).
                "reported": (7, "21:40"),
                "reported_by_name": "Foster carer",
                "circumstances": "Left the placement after a phone call and did not come back.",
                "returned": (6, "14:10"),
                "found_location": "Northdale bus station",
                "found_by": "Found by Northdale Police",
            },
        ],
    },
    {
        "child": ("Caitlin", "Marsh"),
        "by": "southmere.police.lead",
        "episodes": [
            {
                "reported": (71, "20:30"),
                "reported_by_name": "Residential care home manager, Larchfield House",
                "returned": (70, "09:15"),
                "found_location": "Back at Larchfield House, brought by a taxi",
                "found_by": "Returned in a taxi; the driver would not say who paid",
                "interview": (69, "14:00"),
                "interview_by_name": "Independent return interviewer, Southmere Advocacy Service",
                "summary": "Caitlin said she was at a party in Northdale. She would not say more.",
            },
            {
                "reported": (46, "22:00"),
                "reported_by_name": "Residential care home manager, Larchfield House",
                "returned": (45, "18:30"),
                "found_location": "Kestrel Vale retail park, Southmere",
                "found_by": "Found by Southmere Police",
                "interview": (44, "10:00"),
                "interview_by_name": "Independent return interviewer, Southmere Advocacy Service",
                "summary": (
                    "Caitlin had bruising on her arm and said an older man drove her around. "
                    "Discussed with the host authority's CSE lead the same day."
                ),
            },
            {
                "reported": (21, "21:00"),
                "reported_by_name": "Residential care home manager, Larchfield House",
                "returned": (20, "07:45"),
                "found_location": "Outside Larchfield House",
                "found_by": "Returned on her own",
                "interview": (19, "16:30"),
                "interview_by_name": "Independent return interviewer, Southmere Advocacy Service",
                "summary": "Caitlin was upset and did not want to talk about where she had been.",
            },
            {
                # Still missing since last night.
                "reported": (1, "21:30"),
                "reported_by_name": "Residential care home manager, Larchfield House",
                "circumstances": (
                    "Did not return to Larchfield House by 21:00. Last seen at 18:00 at "
                    "Kestrel Vale retail park getting into a dark car."
                ),
            },
        ],
    },
    {
        "child": ("Tyler", "Brennan"),
        "by": "police.officer",
        "episodes": [
            {
                "reported": (30, "23:50"),
                "reported_by_name": "Tyler's mother",
                "circumstances": "Went out at 17:00 and did not come home.",
                "returned": (29, "13:00"),
                "found_location": "Home, 16 Quarry Bank",
                "found_by": "Returned home on his own",
                "interview": (28, "17:00"),
                "interview_by": "youth.worker",
                "summary": (
                    "Tyler said he was 'out with people from the park'. He was given £50 and "
                    "cannabis. Safety plan agreed with him and his mother."
                ),
            },
        ],
    },
    {
        "child": ("Niamh", "Gallagher"),
        "by": "youth.worker",
        "episodes": [
            {
                "reported": (58, "19:00"),
                "reported_by": "youth.worker",
                "circumstances": "Did not arrive at the youth project; the friend she stays "
                "with had not seen her since the morning.",
                "returned": (57, "12:30"),
                "found_location": "The friend's address in Northdale",
                "found_by": "Returned on her own",
                "interview": (56, "15:00"),
                "outcome": InterviewOutcome.DECLINED,
                "interview_by": "youth.worker",
                "summary": (
                    "Offered by her youth worker at the project; Niamh declined, saying she "
                    "was fine. She agreed to keep in touch by text."
                ),
            },
        ],
    },
    # Back four or five days ago, the return interview not yet recorded (overdue): so that
    # "Your work" of the school, the health trust, youth justice and Southmere's agencies has
    # something overdue in it.
    {
        "child": ("Priya", "Chauhan"),
        "by": "school.practitioner",
        "episodes": [
            {
                "reported": (5, "16:30"),
                "reported_by": "health.practitioner",
                "circumstances": "Left the clinic waiting room and did not go home.",
                "returned": (4, "10:15"),
                "found_location": "Home, brought back by her aunt",
                "found_by": "Returned home with a relative",
            },
        ],
    },
    {
        "child": ("Ayaan", "Chowdhury"),
        "by": "yjs.lead",
        "episodes": [
            {
                "reported": (6, "20:00"),
                "reported_by_name": "Ayaan's father",
                "circumstances": "Missed his evening curfew and his phone was off.",
                "returned": (5, "09:00"),
                "found_location": "Northdale railway station",
                "found_by": "Found by Northdale Police",
            },
        ],
    },
    {
        "child": ("Destiny", "Okafor"),
        "by": "southmere.csc.lead",
        "episodes": [
            {
                "reported": (5, "22:10"),
                "reported_by_name": "Destiny's grandmother",
                "circumstances": "Did not come home after meeting friends in town.",
                "returned": (4, "13:40"),
                "found_location": "A friend's address in Southmere",
                "found_by": "Returned on her own",
            },
        ],
    },
    {
        "child": ("Shannon", "McAllister"),
        "by": "housing.lead",
        "episodes": [
            {
                "reported": (5, "19:45"),
                "reported_by_name": "Hostel support worker",
                "circumstances": "Did not return to the supported lodgings by the agreed time.",
                "returned": (4, "11:00"),
                "found_location": "The supported lodgings, Wharf Street",
                "found_by": "Returned on her own",
            },
        ],
    },
    {
        "child": ("Malik", "Jordan"),
        "by": "southmere.police.lead",
        "episodes": [
            {
                "reported": (6, "23:00"),
                "reported_by_name": "Malik's mother",
                "circumstances": "Seen leaving the estate in a car with an older man.",
                "returned": (5, "07:30"),
                "found_location": "Kestrel Vale bus shelter",
                "found_by": "Found by Southmere Police",
            },
        ],
    },
]


def _at(when: tuple[int, str]) -> datetime:
    days, clock = when
    hours, minutes = (int(part) for part in clock.split(":"))
    day = timezone.localdate() - timedelta(days=days)
    return datetime.combine(day, time(hours, minutes), tzinfo=LONDON)


def load_demo(stdout: OutputWrapper) -> None:
    wanted = {spec["by"] for spec in DEMO_EPISODES}
    for spec in DEMO_EPISODES:
        for episode in spec["episodes"]:
            wanted |= {episode[k] for k in ("reported_by", "interview_by") if k in episode}
    officers = {
        o.username: o for o in Officer.objects.select_related("agency").filter(username__in=wanted)
    }
    created = 0
    for spec in DEMO_EPISODES:
        officer = officers.get(spec["by"])
        child = _find_child(spec, officer)
        if officer is None or child is None or MissingEpisode.objects.filter(child=child).exists():
            continue
        try:
            for episode in spec["episodes"]:
                _create(episode, child, officer, officers)
                created += 1
        except ValidationError as error:  # demo data that no longer fits: say so, go on
            stdout.write(f"Missing episodes: skipped some of {child}'s: {error.messages}")
    stdout.write(f"Missing episodes: created {created} demo missing episodes.")


def _find_child(spec: dict[str, Any], officer: Officer | None) -> Child | None:
    if officer is None:
        return None
    first, last = spec["child"]
    return (
        children_visible_to(officer)
        .filter(first_name=first, last_name=last)
        .order_by("created_at")
        .first()
    )


def _create(
    spec: dict[str, Any], child: Child, officer: Officer, officers: dict[str, Officer]
) -> None:
    reported = _at(spec["reported"])
    episode, _ = services.missing_episode_record(
        child=child,
        by=officer,
        creation_key=uuid.uuid4(),
        reported_missing_at=reported,
        reported_by_officer=officers.get(spec.get("reported_by", "")),
        reported_by_name=spec.get("reported_by_name", ""),
        circumstances=spec.get("circumstances", ""),
        now=reported + timedelta(minutes=25),
    )
    if "returned" not in spec:
        return
    returned = _at(spec["returned"])
    episode = services.missing_episode_record_return(
        episode=episode,
        by=officer,
        expected_version=episode.version,
        returned_at=returned,
        found_location=spec["found_location"],
        found_by=spec.get("found_by", ""),
        now=returned + timedelta(hours=1),
    )
    if "interview" not in spec:
        return
    interviewed = _at(spec["interview"])
    interviewer = officers.get(spec.get("interview_by", ""))
    services.missing_episode_record_interview(
        episode=episode,
        by=interviewer or officer,
        expected_version=episode.version,
        outcome=spec.get("outcome", InterviewOutcome.HELD),
        interview_at=interviewed,
        interview_by_officer=interviewer,
        interview_by_name=spec.get("interview_by_name", ""),
        summary=spec["summary"],
        now=interviewed + timedelta(hours=2),
    )
