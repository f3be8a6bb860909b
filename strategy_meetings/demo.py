"""Demo strategy meetings for the fictional demo children (`manage.py load_demo`).

Called by the core demo loader after the core data, the screenings and the referrals.
Officers are found by username, children by name among those the convener's agency can see;
when the expected demo rows are not there, the meeting is skipped quietly. Running it again
creates nothing: a child who already has a meeting is left alone.

The states: invitations sent (Kofi Asante, from CSC's decision on his referral); a
looked-after child placed out of area, the host authority's child protection manager
contacted (Caitlin Marsh, placed in Southmere, invitations sent); minutes in draft (Jayden
Campbell, looked after, held yesterday, some sections written); awaiting sign-up to the
action plan (Niamh Gallagher, held two days ago); final with an addendum (Mason Reilly, held
two weeks ago), its review due and one action overdue; convened from a CSE2 assessment judged
high (Jasmine Chen). A separate meeting about a person of concern linked to two of these
children is `strategy_meetings.demo_person_meeting`'s. The action plans are
`strategy_meetings.demo_actions`'. Every name and detail is fictional.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import OutputWrapper
from django.utils import timezone

from cse_portal.access import children_visible_to
from cse_portal.models import Agency, Child, Officer
from referrals.assessment_selectors import leads_to_strategy_meeting
from referrals.models import Referral, RiskAssessment
from strategy_meetings import demo_actions, demo_person_meeting, services
from strategy_meetings.models import Attendance, Meeting, Origin
from strategy_meetings.selectors import leads_to_meeting

CONVENER = "csc.social.worker"


@dataclass(frozen=True)
class DemoMeeting:
    child: tuple[str, str]
    chair: str
    days_from_now: int  # negative: held already
    state: str  # "invited", "draft", "signing" (awaiting sign-up) or "final"
    place: str
    invite: tuple[str, ...]
    minute_taker: str = ""
    iro: str = ""
    from_referral: bool = False
    from_assessment: bool = False
    out_of_area: dict[str, Any] = field(default_factory=dict)
    family_not_invited_reason: str = ""
    sections: dict[str, str] = field(default_factory=dict)
    apologies: tuple[str, ...] = ()
    outcome: dict[str, Any] = field(default_factory=dict)
    addendum: tuple[str, str] = ("", "")


DEMO_MEETINGS: list[DemoMeeting] = [
    DemoMeeting(
        child=("Kofi", "Asante"),
        chair="cp.coordinator",
        days_from_now=2,
        state="invited",
        place="Meeting room 3, Northdale Civic Centre, Market Square",
        invite=("police.officer", "yjs.lead"),
        minute_taker="csc.lead",
        from_referral=True,
    ),
    # Convened from her latest CSE2 assessment, judged high (referrals.demo_assessment).
    DemoMeeting(
        child=("Jasmine", "Chen"),
        chair="cp.coordinator",
        days_from_now=5,
        state="invited",
        place="Meeting room 1, Northdale Civic Centre, Market Square",
        invite=("police.officer", "school.lead"),
        from_assessment=True,
    ),
    DemoMeeting(
        child=("Caitlin", "Marsh"),
        chair="iro",
        days_from_now=4,
        state="invited",
        place="Southmere Family Centre, 4 Quay Street, Southmere",
        invite=("southmere.csc.lead", "southmere.police.lead", "southmere.school.lead"),
        minute_taker=CONVENER,
        out_of_area={
            "host_cp_manager": "Dev Okonjo, child protection manager, Southmere Children's "
            "Social Care",
            "days_ago": 2,
            "note": "Agreed that Northdale, the home authority, convenes and co-ordinates; "
            "Southmere's CSE lead attends and shares what Southmere Police know.",
        },
    ),
    DemoMeeting(
        child=("Jayden", "Campbell"),
        chair="iro",
        days_from_now=-1,
        state="draft",
        place="Video call",
        invite=("police.officer", "youth.worker"),
        minute_taker=CONVENER,
        from_referral=True,
        family_not_invited_reason="Jayden asked that his mother joins a later meeting, once "
        "he has talked to her himself.",
        sections={
            "needs-and-safety": "Jayden needs a trusted adult he can contact at any time. "
            "Safety plan: carers report him missing after one hour; his phone contacts are "
            "reviewed with him each week.",
            "section-47": "Agreed: section 47 enquiries are not needed at this point; the risk "
            "is managed through the child in need plan and the police investigation.",
            "risk-to-child": "High: he is being drawn into drug supply and is found at a flat "
            "used by older young people who are exploiting him.",
        },
        apologies=("youth.worker",),
    ),
    DemoMeeting(
        child=("Niamh", "Gallagher"),
        chair="cp.coordinator",
        days_from_now=-2,
        state="signing",
        place="Harbour Lane Youth Project, 12 Harbour Lane, Northdale",
        invite=("police.officer", "youth.worker"),
        minute_taker=CONVENER,
        sections={
            "needs-and-safety": "Niamh needs somewhere safe to go after the youth project "
            "closes, and a worker she trusts. Safety plan agreed with her: she texts the youth "
            "worker when she gets home.",
            "others-at-risk": "A friend of Niamh's is known to children's social care and has "
            "been seen getting into the same cars; her social worker has been told.",
        },
        outcome={
            "outcome": "child_in_need",
            "parents_will_be_told": True,
            "parents_told_what": "That agencies are worried about the cars collecting Niamh, "
            "and the plan to keep her safe.",
            "parents_told_by": "Daniel Price, social worker",
        },
    ),
    DemoMeeting(
        child=("Mason", "Reilly"),
        chair="cp.coordinator",
        days_from_now=-14,
        state="final",
        place="Brookfield Academy, meeting room B",
        invite=("health.practitioner", "school.lead"),
        minute_taker=CONVENER,
        sections={
            "needs-and-safety": "Mason needs help to stay safe online and an adult he trusts "
            "at school. His parents will set up parental controls with the school's help; the "
            "school's safeguarding lead checks in with him each Monday.",
            "section-47": "Not needed: no evidence of contact offline; the police "
            "investigation of the online contact continues.",
            "emergency-action": "Not relevant because there is no immediate risk: the "
            "account has been blocked and reported.",
            "criminal-investigation": "Northdale Police (reference NP-2219) lead on the "
            "adult who contacted Mason; nothing is said to Mason about the investigation "
            "without the police's agreement.",
            "others-at-risk": "The same account contacted two other pupils; the school has "
            "referred both. Nothing more is known about the adult yet.",
        },
        outcome={
            "outcome": "child_in_need",
            "parents_will_be_told": True,
            "parents_told_what": "What the online contact was, that the police are "
            "investigating, and how they can help keep Mason safe online.",
            "parents_told_by": "Sofia Ahmed, social worker",
        },
        addendum=(
            "criminal-investigation",
            "Correction: the police reference for the online contact is NP-2291, not NP-2219.",
        ),
    ),
]

_STANDARD_TEXT = "Discussed. Not relevant because nothing further was known at the meeting."


def load_demo(stdout: OutputWrapper) -> None:
    wanted = {CONVENER} | {
        name
        for spec in DEMO_MEETINGS
        for name in (spec.chair, spec.minute_taker, spec.iro, *spec.invite)
        if name
    }
    officers = {
        o.username: o for o in Officer.objects.select_related("agency").filter(username__in=wanted)
    }
    convener = officers.get(CONVENER)
    if convener is None or convener.agency is None:
        return
    created = 0
    for spec in DEMO_MEETINGS:
        child = (
            children_visible_to(convener)
            .filter(first_name=spec.child[0], last_name=spec.child[1])
            .select_related("home_authority", "host_authority")
            .first()
        )
        if child is None or Meeting.objects.filter(child=child).exists():
            continue
        try:
            _create(spec, child, convener, officers)
        except (ValidationError, KeyError) as error:  # demo data that no longer fits
            stdout.write(f"Strategy meetings: skipped the demo meeting about {child}: {error}")
            continue
        created += 1
    stdout.write(f"Strategy meetings: created {created} demo meetings.")
    demo_person_meeting.load_demo(stdout, convener, officers)


def _at(days: int, hour: int = 10) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, 0))


def _source(child: Child, spec: DemoMeeting) -> services.Source:
    if spec.from_assessment:
        assessment = (
            RiskAssessment.objects.filter(child=child, status="finalised")
            .select_related("judged_outcome")
            .order_by("-finalised_at")
            .first()
        )
        if assessment is not None and leads_to_strategy_meeting(assessment):
            return services.Source(
                origin=Origin.ASSESSMENT, assessment=assessment, referral=assessment.referral
            )
        return services.Source()
    if not spec.from_referral:
        return services.Source()
    referral = next(
        (
            r
            for r in Referral.objects.filter(child=child, status="submitted")
            if leads_to_meeting(r)
        ),
        None,
    )
    if referral is None:
        return services.Source()
    return services.Source(origin=Origin.REFERRAL_DECISION, referral=referral)


def _create(
    spec: DemoMeeting, child: Child, convener: Officer, officers: dict[str, Officer]
) -> Meeting:
    details = services.MeetingDetails(
        starts_at=_at(spec.days_from_now),
        place=spec.place,
        minute_taker=officers.get(spec.minute_taker),
        young_person_invited=True,
        family_invited=not spec.family_not_invited_reason,
        family_not_invited_reason=spec.family_not_invited_reason,
    )
    contact = spec.out_of_area
    convening = services.Convening(
        details=details,
        chair=officers[spec.chair],
        iro=officers.get(spec.iro),
        convening_authority=child.home_authority,
        host_cp_manager=contact.get("host_cp_manager", ""),
        host_cp_manager_contacted_at=_at(-contact["days_ago"], 15) if contact else None,
        host_contact_note=contact.get("note", ""),
    )
    meeting, _ = services.meeting_convene(
        child=child, by=convener, convening=convening, source=_source(child, spec)
    )
    held = spec.days_from_now < 0
    for username in spec.invite:
        officer = officers[username]
        assert isinstance(officer.agency, Agency)
        services.meeting_invite(
            meeting=meeting, by=convener, invitee=services.Invitee(officer.agency, officer)
        )
    if held:  # convened, and its invitations sent, three days before it was held
        convened = min(_at(spec.days_from_now - 3, 9), timezone.now())
        Meeting.objects.filter(pk=meeting.pk).update(convened_at=convened)
        meeting.invitations.update(invited_at=convened)
    if held:
        _write_minutes(meeting, spec, officers)
    return meeting


def _write_minutes(meeting: Meeting, spec: DemoMeeting, officers: dict[str, Officer]) -> None:
    chair = officers[spec.chair]
    apologies = {officers[u].pk for u in spec.apologies}
    answers = [
        services.AttendanceAnswer(
            i,
            Attendance.APOLOGIES if i.officer_id in apologies else Attendance.ATTENDED,
            i.version,
        )
        for i in meeting.invitations.filter(status="invited")
    ]
    services.meeting_record_attendance(
        meeting=meeting,
        by=chair,
        answers=answers,
        family=services.FamilyAttendance(
            young_person_attended=True,
            family_attended=True if meeting.family_invited else None,
        ),
    )
    final = spec.state == "final"
    written = final or spec.state == "signing"  # every section addressed, the outcome recorded
    for section in meeting.sections.all():
        text = spec.sections.get(section.key) or (_STANDARD_TEXT if written else "")
        if text:
            services.section_save(
                section=section, by=chair, text_=text, expected_version=section.version
            )
    if not written:
        return
    meeting.refresh_from_db()
    services.meeting_record_outcome(
        meeting=meeting,
        by=chair,
        answers=services.OutcomeAnswers(**spec.outcome),
        expected_version=meeting.version,
    )
    meeting.refresh_from_db()
    demo_actions.agree_plan(meeting, chair, officers)  # the action plan, signed (G22-G24)
    if not final:
        return
    # Written up and finalised today, after the meeting; the addendum after that.
    meeting = services.meeting_finalise(meeting=meeting, by=chair, expected_version=meeting.version)
    place, text = spec.addendum
    if text:
        services.meeting_add_addendum(meeting=meeting, by=chair, place=place, text_=text)
    demo_actions.after_final(meeting, officers)
