"""Demo screenings in every state, for the fictional demo children (`manage.py load_demo`).

Called by the core demo loader after the core data. Officers are found by username and
children by name among those the screener's agency can see; when the expected demo rows are
not there, the screening is skipped quietly. Running it again creates nothing: a child that
already has a screening by the screener's agency is left alone.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import OutputWrapper
from django.utils import timezone

from cse_portal.access import children_visible_to
from cse_portal.models import Officer
from screening import services
from screening.models import Answer, Conclusion, Screening
from screening.selectors import current_catalogue

# present: indicator codes answered "present"; not_known: "not known" ("*": every indicator
# not answered present); every other indicator is "not present", except in a draft, which
# answers only the codes it names. follow_up: who will find out what is not known, and in how
# many days (G40: "no CSE concern" while indicators are not known needs it).
DEMO_SCREENINGS: list[dict[str, Any]] = [
    {
        "child": ("Ellie", "Hartley"),
        "by": "school.practitioner",
        "state": "draft",
        "present": ["A1-01"],
        "not_known": ["A1-02", "S-01"],
        "notes": {"A1-01": "Missed eight afternoons this half term, always after lunch."},
    },
    {
        "child": ("Priya", "Chauhan"),
        "by": "school.practitioner",
        "state": "submitted",
        "present": [],
        "not_known": ["R-02"],
        "notes": {"R-02": "New phone; family say it was a birthday present. Not checked."},
        "conclusion": Conclusion.NO_CONCERN,
        "reason": (
            "Nothing else of concern at school, at home or online; the phone is the only thing "
            "we do not know about, and her family's account of it is plausible."
        ),
        "follow_up": ("Mrs Okoye, head of year, Brookfield Academy", 7),
    },
    {
        "child": ("Harvey", "Dunn"),
        "by": "health.practitioner",
        "state": "submitted",
        "present": [],
        "not_known": ["*"],
        "notes": {
            "S-01": "Registered with the practice last week; his records from his previous GP "
            "have not arrived.",
        },
        "conclusion": Conclusion.NO_CONCERN,
        "reason": (
            "Harvey is new to us and we know nothing yet, for or against: nothing he or his "
            "mother said at registration raised a concern. This is not a finding of no risk: "
            "we will screen again once his records and his school's view are in."
        ),
        "follow_up": ("Dr Ahmed, GP, with his new school's designated safeguarding lead", 14),
    },
    {
        "child": ("Tyler", "Brennan"),
        "by": "school.practitioner",
        "state": "submitted",
        "present": ["E-03", "U-03"],
        "notes": {
            "E-03": "Tyler talks about himself very negatively since moving up a year.",
            "U-03": "On his phone late at night, messages from accounts he will not name.",
        },
        "conclusion": Conclusion.DISCUSS,
    },
    {
        "child": ("Fatima", "Begum"),
        "by": "school.practitioner",
        "state": "submitted",
        "present": ["A1-01"],
        "notes": {
            "A1-01": "Absent on Mondays since September; collected once by an adult we did not know."
        },
        "conclusion": Conclusion.DISCUSS,
        "advice": {
            "by": "school.lead",
            "text": (
                "Check who collected Fatima and record it. Speak to her parents about the "
                "Monday absences this week, and screen again in four weeks or sooner if she "
                "is collected by an unknown adult again — then refer via CSE1."
            ),
        },
    },
    {
        "child": ("Zain", "Mahmood"),
        "by": "school.practitioner",
        "state": "submitted",
        "present": ["F-02", "F-06", "A1-02", "A2-01", "R-01"],
        "notes": {
            "F-02": "Police called to the home twice this term (domestic abuse).",
            "F-06": "His older brother died in the spring.",
            "A1-02": "Reported missing overnight twice this month.",
            "A2-01": "Smelled of cannabis at school; says older lads give it to him.",
            "R-01": "New trainers and a designer coat he says were 'from a mate'.",
        },
        "conclusion": Conclusion.REFER,
    },
    {
        "child": ("Niamh", "Gallagher"),
        "by": "youth.worker",
        "state": "submitted",
        "present": ["G-03", "G-07"],
        "notes": {
            "G-03": "Seen getting into cars with adult men outside the youth project twice this week.",
            "G-07": "Her friend is known to children's social care for sexual exploitation.",
        },
        "conclusion": Conclusion.REFER,
        "reason": (
            "Adult men collecting a 14-year-old in cars, twice in a week, with a friend who is "
            "being exploited: this needs children's social care now, whatever the count of "
            "indicators."
        ),
    },
]


def load_demo(stdout: OutputWrapper) -> None:
    created = 0
    codes = list(current_catalogue().indicators.values_list("code", flat=True))
    for spec in DEMO_SCREENINGS:
        officer = Officer.objects.select_related("agency").filter(username=spec["by"]).first()
        if officer is None or officer.agency is None:
            continue
        first, last = spec["child"]
        child = (
            children_visible_to(officer)
            .filter(first_name=first, last_name=last)
            .order_by("created_at")
            .first()
        )
        if child is None or Screening.objects.filter(child=child, agency=officer.agency).exists():
            continue
        _create(spec, officer, child, codes)
        created += 1
    stdout.write(f"Screening: created {created} demo screenings.")


def _create(spec: dict[str, Any], officer: Officer, child: Any, codes: list[str]) -> None:
    present, not_known = set(spec["present"]), set(spec.get("not_known", []))
    notes = spec.get("notes", {})
    answers = {}
    for code in codes:
        if code in present:
            answer = Answer.PRESENT
        elif code in not_known or "*" in not_known:
            answer = Answer.NOT_KNOWN
        elif spec["state"] == "draft":
            continue  # a draft half done
        else:
            answer = Answer.NOT_PRESENT
        answers[code] = services.AnswerInput(answer=answer, note=notes.get(code, ""))
    screening = services.screening_create(child=child, by=officer, answers=answers)
    if spec["state"] == "draft":
        return
    follow_up = None
    if "follow_up" in spec:
        who, days = spec["follow_up"]
        follow_up = services.FollowUp(by=who, due=timezone.localdate() + timedelta(days=days))
    screening = services.screening_submit(
        screening=screening,
        by=officer,
        conclusion=spec["conclusion"],
        reason=spec.get("reason", ""),
        expected_version=screening.version,
        follow_up=follow_up,
    )
    advice = spec.get("advice")
    if advice:
        lead = Officer.objects.filter(username=advice["by"], is_cse_lead=True).first()
        if lead is not None and lead.agency_id == screening.agency_id:
            services.screening_advise(screening=screening, by=lead, text=advice["text"])
