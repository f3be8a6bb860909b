"""More fictional children for the lead officers' caseload and themes (G34, G35).

Eighteen children known to Northdale Police (recorded by a police officer, shared with
Northdale Children's Social Care), so that police.lead and csc.lead see figures of 5 or more
in some cells and fewer than 5 in others: screenings with indicators present, missing
episodes spread over the year, boys and girls alike (G39). Every name is invented.

The police's involvement is dated to the month the demo says the child became known (the
demo pretends the records were made over the year); screenings are submitted when the demo
is loaded, since a submitted screening is fixed from that moment. Running it again creates
nothing: a child already recorded (same name, visible to the police) is left alone.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from django.core.management.base import OutputWrapper
from django.utils import timezone

from cse_portal import services as core_services
from cse_portal.access import children_visible_to
from cse_portal.models import Agency, Involvement, Officer
from referrals.models import InterviewOutcome
from referrals.services import missing as missing_services
from screening import services as screening_services
from screening.models import Answer, Conclusion
from screening.selectors import current_catalogue

BY = "police.officer"
SHARE_WITH = "Northdale Children's Social Care"

# (first, last, gender, age, ethnicity, looked-after, months ago known, present, missing days ago)
CHILDREN: list[tuple[str, str, str, int, str, str, int, list[str], list[int]]] = [
    ("Tyler", "Ashworth", "male", 15, "white_british", "no", 11, ["A1-01", "G-01"], [300, 200]),
    (
        "Keira",
        "Dobson",
        "female",
        14,
        "white_british",
        "looked_after",
        10,
        ["A1-01", "U-01"],
        [280],
    ),
    ("Jordan", "Pike", "male", 16, "black_caribbean", "no", 10, ["G-01", "G-02"], []),
    ("Lacey", "Brennan", "female", 13, "white_irish", "no", 9, ["A1-01", "R-01"], [250, 240, 100]),
    (
        "Kai",
        "Thornton",
        "male",
        14,
        "mixed_white_black_caribbean",
        "looked_after",
        8,
        ["A1-01", "G-01", "A2-01"],
        [230],
    ),
    ("Amber", "Fairclough", "female", 15, "white_british", "care_leaver", 8, ["U-01", "E-01"], []),
    ("Reece", "Holloway", "male", 17, "white_british", "no", 7, ["G-02", "A2-01"], [190]),
    ("Chloe", "Yardley", "female", 14, "asian_pakistani", "no", 7, ["U-01", "U-02"], []),
    ("Ethan", "Marlow", "male", 13, "white_british", "looked_after", 6, ["A1-01"], [170, 150]),
    ("Nadia", "Osei-Brown", "female", 16, "black_african", "no", 5, ["A1-01", "F-01"], []),
    ("Callum", "Rigby", "male", 15, "white_british", "no", 5, ["G-01", "R-01"], [120]),
    (
        "Sienna",
        "Whitlock",
        "female",
        12,
        "white_british",
        "looked_after",
        4,
        ["A1-01", "U-01"],
        [95, 60],
    ),
    ("Logan", "Pryce", "male", 16, "white_other", "no", 3, ["G-01"], []),
    ("Maisie", "Quarry", "female", 15, "white_british", "no", 3, ["U-01", "S-01"], [70]),
    ("Harley", "Stanton", "male", 14, "white_british", "not_known", 2, ["A1-01", "G-02"], [40]),
    ("Freya", "Lund", "female", 13, "white_british", "no", 2, ["E-01"], []),
    ("Ollie", "Crane", "male", 12, "mixed_white_asian", "no", 1, ["U-01"], [20]),
    ("Jasmine", "Kaur", "female", 16, "asian_indian", "no", 1, ["A1-01", "U-02"], [8]),
]


def load_demo(stdout: OutputWrapper) -> None:
    officer = Officer.objects.select_related("agency").filter(username=BY).first()
    csc = Agency.objects.filter(name=SHARE_WITH).first()
    if officer is None or officer.agency is None or csc is None:
        return
    codes = list(current_catalogue().indicators.values_list("code", flat=True))
    created = 0
    for spec in CHILDREN:
        first, last = spec[0], spec[1]
        if children_visible_to(officer).filter(first_name=first, last_name=last).exists():
            continue
        _create(spec, officer, csc, codes)
        created += 1
    stdout.write(f"Caseload: created {created} more demo children for the lead officers.")


def _create(spec: tuple[Any, ...], officer: Officer, csc: Agency, codes: list[str]) -> None:
    first, last, gender, age, ethnicity, looked_after, months, present, missing = spec
    today = timezone.localdate()
    child = core_services.child_create(
        by=officer,
        data={
            "first_name": first,
            "last_name": last,
            "gender": gender,
            "ethnicity": ethnicity,
            "looked_after_status": looked_after,
            "date_of_birth": today.replace(year=today.year - age) - timedelta(days=40),
            "home_authority": officer.agency.local_authority if officer.agency else None,
        },
    )
    core_services.child_share(
        child=child, agency=csc, by=officer, reason="Known to the police CSE team: shared."
    )
    known = timezone.now() - timedelta(days=30 * months + 3)
    Involvement.objects.filter(child=child).update(granted_at=known)
    answers = {
        code: screening_services.AnswerInput(
            answer=Answer.PRESENT if code in present else Answer.NOT_PRESENT
        )
        for code in codes
    }
    screening = screening_services.screening_create(child=child, by=officer, answers=answers)
    screening_services.screening_submit(
        screening=screening,
        by=officer,
        conclusion=Conclusion.DISCUSS,
        reason="Indicators present: to discuss with our CSE lead officer.",
        expected_version=screening.version,
    )
    for days in missing:
        _missing(child, officer, timezone.now() - timedelta(days=days))


def _missing(child: Any, officer: Officer, reported: datetime) -> None:
    """An episode recorded an hour after the report, the child back the next day and the
    return interview held the day after: every time in order, all in the past."""
    hour = timedelta(hours=1)
    episode, _ = missing_services.missing_episode_record(
        child=child,
        by=officer,
        creation_key=uuid.uuid4(),
        reported_missing_at=reported,
        reported_by_name="Parent",
        circumstances="Did not come home after school.",
        now=reported + hour,
    )
    returned = reported + timedelta(hours=20)
    episode = missing_services.missing_episode_record_return(
        episode=episode,
        by=officer,
        expected_version=episode.version,
        returned_at=returned,
        found_location="Found in the town centre, Northdale",
        found_by="Police",
        now=returned + hour,
    )
    interviewed = returned + timedelta(hours=30)
    missing_services.missing_episode_record_interview(
        episode=episode,
        by=officer,
        expected_version=episode.version,
        outcome=InterviewOutcome.HELD,
        interview_at=interviewed,
        interview_by_name="Jo Harding, independent return interviewer",
        summary="Talked about where they had been; the plan was shared with the police.",
        now=interviewed + hour,
    )
