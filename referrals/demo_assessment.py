"""Demo CSE2 risk assessments for the fictional demo children (`manage.py load_demo`), called
at the end of the referrals' demo (`referrals.demo.load_demo`).

What it shows: a trend that goes up (Jasmine Chen: low, medium, then high — the last from her
referral, with the police and the school contributing) and one that comes down (Tyler
Brennan: high, medium, low, his reassessment now overdue); "not enough information" with an
overdue task, one due and one done (Niamh Gallagher); "no risk signal present", single agency
(Harvey Dunn); the SERAF-style tool, chosen by Southmere (Amira Haddad, moderate); and a draft
that asked the police for their contribution (Zain Mahmood).

Every assessment goes through the real services, dated in the past (`now=`). Officers are
found by username and children by name among those the assessor's agency can see; a child
that has any assessment already is left alone, so running it again creates nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import OutputWrapper
from django.utils import timezone

from cse_portal.access import children_visible_to
from cse_portal.models import Child, LocalAuthority, Officer
from referrals import services
from referrals.assessment_selectors import involved_agencies
from referrals.models import AssessmentTool, AuthorityAssessmentTool, Referral, RiskAssessment
from referrals.services import AnswerInput, Judgement, TaskInput

CURRENT, RECENT, EARLIER = "current", "last_6_months", "earlier"

DEMO_ASSESSMENTS: list[dict[str, Any]] = [
    {
        "child": ("Jasmine", "Chen"),
        "series": [
            {
                "by": "police.officer",
                "days_ago": 210,
                "present": {"L-05": CURRENT, "L-06": CURRENT, "HE-05": RECENT},
                "notes": {"L-05": "Seen getting into a car with two adult men outside school."},
                "judged": "low",
                "summary": "Jasmine is being given gifts and lifts by adults we do not know. "
                "Early help offered through the school.",
            },
            {
                "by": "police.officer",
                "days_ago": 120,
                "present": {"L-05": CURRENT, "M-01": CURRENT, "M-04": RECENT, "L-07": RECENT},
                "contributors": ["school.lead"],
                "judged": "medium",
                "summary": "Missing from home three times this term and seen at the snooker "
                "hall on Mill Street, a known place of concern.",
            },
            {
                "by": "csc.social.worker",
                "days_ago": 4,
                "from_referral": True,
                # Marcus Webb, named in the referral, named in the assessment too (G30).
                "persons_from_referral": True,
                "present": {"H-02": CURRENT, "H-04": CURRENT, "M-01": CURRENT, "M-06": CURRENT},
                "contributors": ["police.officer", "school.lead"],
                "judged": "high",
                "summary": "Found at 02:00 at the flat of an adult of concern, intoxicated. "
                "She is being abused by men who give her alcohol and drugs.",
            },
        ],
    },
    {
        "child": ("Tyler", "Brennan"),
        "series": [
            {
                "by": "youth.worker",
                "days_ago": 330,
                "present": {"H-03": CURRENT, "H-02": RECENT, "M-07": CURRENT},
                "contributors": ["police.officer"],
                "judged": "high",
                "summary": "Tyler was found by police in the flat of an adult of concern after "
                "his third missing episode this term.",
            },
            {
                "by": "youth.worker",
                "days_ago": 240,
                "present": {"M-01": RECENT, "M-05": CURRENT, "H-02": EARLIER},
                "contributors": ["school.practitioner"],
                "judged": "medium",
                "summary": "No missing episode since the disruption work with the police. "
                "Still in contact with peers who are being exploited.",
            },
            {
                "by": "youth.worker",
                "days_ago": 150,
                "present": {"L-02": CURRENT, "M-05": EARLIER},
                "judged": "low",
                "summary": "Tyler attends the project twice a week and his attendance at school "
                "is improving. The adult of concern has moved out of the area.",
            },
        ],
    },
    {
        "child": ("Niamh", "Gallagher"),
        "series": [
            {
                "by": "youth.worker",
                "days_ago": 21,
                "present": {"L-05": CURRENT},
                "not_known": ["H-01", "H-02", "M-02", "M-06"],
                "judged": "not_enough_information",
                "reason": "We do not know who the men in the car are or where Niamh stays on "
                "the nights she does not come home: without that we cannot judge the risk.",
                "tasks": [
                    {
                        "information": "Who the two men in the black Audi are, and whether "
                        "police know them",
                        "agency": "Northdale Children's Social Care",
                        "due_after_days": 14,  # overdue now
                    },
                    {
                        "information": "Where Niamh stays on the nights she does not come home",
                        "officer": "youth.worker",
                        "due_after_days": 35,
                    },
                    {
                        "information": "Whether the friend known to children's social care is "
                        "being abused by the same men",
                        "name": "The duty social worker",
                        "agency": "Northdale Children's Social Care",
                        "due_after_days": 10,
                        "done": {
                            "by": "csc.social.worker",
                            "days_after": 8,
                            "note": "Yes: the same black Audi is named in the friend's case.",
                        },
                    },
                ],
            },
        ],
    },
    {
        "child": ("Harvey", "Dunn"),
        "series": [
            {
                "by": "health.practitioner",
                "days_ago": 30,
                "judged": "no_signals",
                "summary": "Harvey came to the clinic for a sports injury; no risk signal "
                "is present. The school nurse stays in touch.",
            },
        ],
    },
    {
        "child": ("Amira", "Haddad"),
        "tool": ("southmere", "seraf"),
        "series": [
            {
                "by": "southmere.social.worker",
                "days_ago": 14,
                "present": {
                    "V-01": "",
                    "V-03": "",
                    "MO-07": CURRENT,
                    "MO-08": CURRENT,
                    "SI-05": CURRENT,
                    "SI-06": RECENT,
                },
                "contributors": ["southmere.police.lead"],
                "judged": "moderate",
                "summary": "A man who helped Amira's family with housing asks her for "
                "photographs and gives her credit for her phone.",
            },
        ],
    },
    {
        "child": ("Zain", "Mahmood"),
        "series": [
            {
                "by": "csc.social.worker",
                "days_ago": 0,
                "from_referral": True,
                "present": {"L-03": CURRENT, "L-07": CURRENT, "L-06": RECENT},
                "answer_only": ["sera_low", "sera_medium"],
                "invite": ["Northdale Police"],
            },
        ],
    },
]


def load_demo(stdout: OutputWrapper) -> None:
    created = 0
    for spec in DEMO_ASSESSMENTS:
        first_by = Officer.objects.filter(username=spec["series"][0]["by"]).first()
        if first_by is None or first_by.agency is None:
            continue
        first, last = spec["child"]
        child = (
            children_visible_to(first_by)
            .filter(first_name=first, last_name=last)
            .order_by("created_at")
            .first()
        )
        if child is None or RiskAssessment.objects.filter(child=child).exists():
            continue
        if "tool" in spec:
            _choose_tool(*spec["tool"])
        try:
            for step in spec["series"]:
                _assess(step, child)
                created += 1
        except (ValidationError, Officer.DoesNotExist) as error:  # demo data that no longer fits
            stdout.write(f"Assessments: skipped the demo assessments of {child}: {error}")
    stdout.write(f"Assessments: created {created} demo risk assessments.")


def _choose_tool(authority_code: str, tool_code: str) -> None:
    authority = LocalAuthority.objects.filter(code=authority_code).first()
    tool = AssessmentTool.objects.filter(code=tool_code).order_by("-version").first()
    admin = Officer.objects.filter(role=Officer.Role.SYSTEM_ADMINISTRATOR).first()
    if authority is None or tool is None or admin is None:
        return
    AuthorityAssessmentTool.objects.get_or_create(
        local_authority=authority, defaults={"tool": tool, "chosen_by": admin}
    )


def _officer(username: str) -> Officer:
    return Officer.objects.select_related("agency").get(username=username)


def _assess(step: dict[str, Any], child: Child) -> None:
    by = _officer(step["by"])
    at = timezone.now() - timedelta(days=step["days_ago"], hours=2)
    referral = None
    if step.get("from_referral"):
        referral = Referral.objects.submitted().filter(child=child).order_by("-received_at").first()
    assessment = services.assessment_create(child=child, by=by, referral=referral, now=at)
    services.assessment_save_answers(
        assessment=assessment,
        by=by,
        answers=_answers(assessment, step),
        expected_version=assessment.version,
    )
    for agency_name in step.get("invite", []):
        agencies = [a for a in involved_agencies(child) if a.name == agency_name]
        services.assessment_invite(assessment=assessment, by=by, agencies=agencies, now=at)
    for n, username in enumerate(step.get("contributors", [])):
        _contribute(assessment, by, _officer(username), at + timedelta(hours=1 + n))
    for task in step.get("tasks", []):
        _add_task(assessment, by, task, at)
    if referral is not None and step.get("persons_from_referral"):
        services.assessment_persons_from_referral(
            assessment=assessment,
            by=by,
            person_pks=list(referral.person_links.values_list("person_id", flat=True)),
        )
        assessment.person_links.update(linked_at=at + timedelta(hours=2))
    if not step.get("judged"):
        return
    assessment.refresh_from_db()
    finalised = services.assessment_finalise(
        assessment=assessment,
        by=by,
        judgement=Judgement(
            outcome=step["judged"], reason=step.get("reason", ""), summary=step.get("summary", "")
        ),
        expected_version=assessment.version,
        now=at + timedelta(hours=4),
    )
    for task in step.get("tasks", []):
        if "done" in task:
            _mark_done(finalised, task, at)


def _answers(assessment: RiskAssessment, step: dict[str, Any]) -> dict[str, AnswerInput]:
    present, not_known = step.get("present", {}), set(step.get("not_known", []))
    notes = step.get("notes", {})
    indicators = assessment.tool.indicators.select_related("domain")
    only = set(step.get("answer_only", []))
    answers = {}
    for indicator in indicators:
        if only and indicator.domain.code not in only:
            continue
        code = indicator.code
        state = (
            "present" if code in present else "not_known" if code in not_known else "not_present"
        )
        answers[code] = AnswerInput(state, present.get(code, ""), notes.get(code, ""))
    return answers


def _contribute(
    assessment: RiskAssessment, by: Officer, contributor: Officer, at: datetime
) -> None:
    assert contributor.agency is not None
    if contributor.agency_id != by.agency_id:
        services.assessment_invite(
            assessment=assessment, by=by, agencies=[contributor.agency], now=at
        )
    services.assessment_contribute(
        assessment=assessment,
        by=contributor,
        text=f"What {contributor.agency} knows about {assessment.child.first_name}: seen with "
        "the adults of concern named in the referral; our records are shared with the "
        "assessing agency.",
        now=at,
    )


def _add_task(assessment: RiskAssessment, by: Officer, task: dict[str, Any], at: datetime) -> None:
    agencies = {a.name: a for a in involved_agencies(assessment.child)}
    services.assessment_task_add(
        assessment=assessment,
        by=by,
        task=TaskInput(
            information=task["information"],
            agency=agencies.get(task.get("agency", "")),
            officer=_officer(task["officer"]) if "officer" in task else None,
            name=task.get("name", ""),
            due=timezone.localdate(at) + timedelta(days=task["due_after_days"]),
        ),
        now=at,
    )


def _mark_done(assessment: RiskAssessment, task: dict[str, Any], at: datetime) -> None:
    done = task["done"]
    row = assessment.information_tasks.get(information=task["information"])
    services.assessment_task_done(
        task=row,
        by=_officer(done["by"]),
        note=done["note"],
        now=at + timedelta(days=done["days_after"]),
    )
