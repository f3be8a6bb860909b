"""Finalising the minutes: every consideration addressed (G19), the placement factors and
the IRO for a looked-after child (G20), the outcome (G21), the parents (G25), attendance
(G17, G18); the finalised record is dated and attributed (G37); corrections are addenda
(G26); other parts of the app add their rules through the hook (G23)."""

from __future__ import annotations

import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cse_portal.models import LookedAfterStatus, Notification
from strategy_meetings import services
from strategy_meetings.models import Addendum, Meeting
from strategy_meetings.services import finalising
from tests.factories import make_child
from tests.strategy_meetings.factories import (
    convene,
    csc_involved,
    finalised,
    ready_to_finalise,
    record_everyone_attended,
    record_outcome,
    write_every_section,
)


def _finalise(meeting, by):
    meeting.refresh_from_db()
    return services.meeting_finalise(meeting=meeting, by=by, expected_version=meeting.version)


@pytest.mark.guidance("G19")
def test_every_consideration_must_be_addressed(meeting, chair):
    record_everyone_attended(meeting, chair)
    record_outcome(meeting, chair)
    problems = services.finalise_problems(meeting)
    assert sum(key.startswith("section_") for key in problems) == 10
    write_every_section(meeting, chair)
    section = meeting.sections.get(key="others-at-risk")
    services.section_save(section=section, by=chair, text_="   ", expected_version=section.version)
    assert list(services.finalise_problems(meeting)) == ["section_others-at-risk"]
    with pytest.raises(ValidationError):
        _finalise(meeting, chair)


@pytest.mark.guidance("G19")
def test_not_relevant_because_is_an_answer(meeting, chair):
    write_every_section(meeting, chair, text="Not relevant because no criminal investigation.")
    record_everyone_attended(meeting, chair)
    record_outcome(meeting, chair)
    assert services.finalise_problems(meeting) == {}


@pytest.mark.guidance("G17")
def test_everyones_attendance_must_be_recorded(meeting, chair):
    write_every_section(meeting, chair)
    record_outcome(meeting, chair)
    problems = services.finalise_problems(meeting)
    assert "attendance" in problems and "young_person_attended" in problems


@pytest.mark.guidance("G21")
def test_the_outcome_must_be_recorded(meeting, chair):
    write_every_section(meeting, chair)
    record_everyone_attended(meeting, chair)
    problems = services.finalise_problems(meeting)
    assert {"outcome", "parents_will_be_told"} <= set(problems)


@pytest.mark.guidance("G20")
def test_a_looked_after_childs_minutes_need_the_placement_factors_and_the_iro(
    involved_csc, chair, iro
):
    world = involved_csc
    child = make_child(
        by=world.csc_officer, first_name="Robin", looked_after_status=LookedAfterStatus.LOOKED_AFTER
    )
    csc_involved(child, world.csc, world.csc_officer)
    meeting = convene(child=child, by=world.csc_officer, chair=chair, iro=iro)
    for section in meeting.sections.filter(kind="consideration"):
        services.section_save(section=section, by=chair, text_="Done.", expected_version=1)
    record_everyone_attended(meeting, chair)
    record_outcome(meeting, chair)
    problems = services.finalise_problems(meeting)
    assert sorted(problems) == [
        "section_controlling-movements",
        "section_remain-in-placement",
        "section_risk-to-child",
        "section_risks-to-other-children",
    ]
    # The IRO cannot be removed while they are the only one invited...
    with pytest.raises(ValidationError):
        services.invitation_remove(
            invitation=meeting.invitations.get(officer=iro), by=chair, reason="x"
        )
    # ...and if they decline, finalising is refused until another IRO is invited.
    services.invitation_decline(invitation=meeting.invitations.get(officer=iro), by=iro)
    assert "iro" in services.finalise_problems(meeting)


@pytest.mark.guidance("G37")
def test_the_final_record_is_dated_and_attributed_and_invitees_told(meeting, chair, world):
    meeting = finalised(meeting, chair)
    assert meeting.status == Meeting.Status.FINAL
    assert meeting.finalised_by == chair
    assert meeting.finalised_by_agency == world.csc
    assert meeting.finalised_at is not None
    assert Notification.objects.filter(kind="meeting.finalised", recipient=chair).exists()


def test_only_the_chair_finalises(meeting, chair, minute_taker):
    ready_to_finalise(meeting, chair)
    with pytest.raises(PermissionDenied):
        _finalise(meeting, minute_taker)


def test_final_minutes_are_refused_by_the_services(meeting, chair):
    meeting = finalised(meeting, chair)
    section = meeting.sections.first()
    with pytest.raises(ValidationError):
        services.section_save(section=section, by=chair, text_="Changed", expected_version=2)
    with pytest.raises(ValidationError):
        record_outcome(meeting, chair, outcome="nfa")


@pytest.mark.guidance("G23")
def test_other_parts_of_the_app_add_rules_through_the_hook(meeting, chair):
    ready_to_finalise(meeting, chair)
    finalising.register_finalise_rule(
        "test-sign-up", lambda m: {"sign_up": f"Everyone signs up ({m.reference})"}
    )
    try:
        assert services.finalise_problems(meeting) == {
            "sign_up": f"Everyone signs up ({meeting.reference})"
        }
        with pytest.raises(ValidationError):
            _finalise(meeting, chair)
    finally:
        finalising._EXTRA_RULES.pop("test-sign-up")
    assert services.finalise_problems(meeting) == {}


@pytest.mark.guidance("G26")
def test_corrections_after_finalising_are_attributed_addenda(meeting, chair, minute_taker, world):
    meeting = finalised(meeting, chair)
    key = uuid.uuid4()
    addendum = services.meeting_add_addendum(
        meeting=meeting,
        by=minute_taker,
        place="section-47",
        text_="Correction: the police officer's name was misspelt.",
        creation_key=key,
    )
    again = services.meeting_add_addendum(
        meeting=meeting, by=minute_taker, place="section-47", text_="again", creation_key=key
    )
    assert addendum == again and Addendum.objects.count() == 1
    assert (addendum.written_by, addendum.written_by_agency) == (minute_taker, world.csc)
    assert addendum.place_label == "Whether to undertake section 47 enquiries"


@pytest.mark.guidance("G26")
def test_addenda_are_for_final_minutes_and_for_the_chair_and_minute_taker(meeting, chair, world):
    with pytest.raises(ValidationError):
        services.meeting_add_addendum(meeting=meeting, by=chair, place="outcome", text_="x")
    meeting = finalised(meeting, chair)
    with pytest.raises(PermissionDenied):
        services.meeting_add_addendum(
            meeting=meeting, by=world.csc_officer, place="outcome", text_="x"
        )
    problems = services.addendum_problems(place="nowhere", text_=" ")
    assert set(problems) == {"place", "text"}
