"""Convening a strategy meeting: who convenes and chairs (G17), the young person and the
family (G18), the IRO of a looked-after child (G20), out-of-area children (G29)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cse_portal.models import LookedAfterStatus, Officer
from strategy_meetings import services
from strategy_meetings.models import CONSIDERATIONS, PLACEMENT_FACTORS, Meeting
from tests.factories import OfficerFactory, make_child
from tests.strategy_meetings.factories import DETAILS, convene, csc_involved

SOON = timezone.now() + timedelta(days=3)


def _convening(chair, **fields):
    details = fields.pop("details", replace(DETAILS, starts_at=SOON))
    return services.Convening(details=details, chair=chair, **fields)


@pytest.mark.guidance("G17")
def test_a_meeting_is_convened_with_a_chair_date_and_place_and_the_chair_is_invited(
    involved_csc, chair
):
    world = involved_csc
    meeting = convene(child=world.child, by=world.csc_officer, chair=chair)
    assert meeting.chair == chair
    assert meeting.convening_agency == world.csc
    assert meeting.convened_by == world.csc_officer
    assert meeting.starts_at is not None and meeting.place
    invitation = meeting.invitations.get()
    assert (invitation.officer, invitation.agency, invitation.role) == (chair, world.csc, "Chair")


@pytest.mark.guidance("G17")
@pytest.mark.parametrize("role", [Officer.Role.SOCIAL_WORKER, Officer.Role.TEAM_MANAGER])
def test_the_chair_must_be_a_cp_coordinator_or_an_iro(involved_csc, role):
    world = involved_csc
    not_a_chair = OfficerFactory(agency=world.csc, role=role)
    with pytest.raises(ValidationError) as error:
        services.meeting_convene(
            child=world.child,
            by=world.csc_officer,
            convening=_convening(not_a_chair, convening_authority=world.north),
        )
    assert "child protection coordinator or an independent reviewing officer" in str(
        error.value.message_dict["chair"]
    )
    assert not Meeting.objects.exists()


@pytest.mark.guidance("G17")
def test_an_iro_can_chair(involved_csc, iro):
    meeting = convene(child=involved_csc.child, by=involved_csc.csc_officer, chair=iro)
    assert meeting.chair == iro


def test_only_childrens_social_care_convenes(involved_csc, chair):
    world = involved_csc
    with pytest.raises(PermissionDenied):
        services.meeting_convene(
            child=world.child,
            by=world.owner,
            convening=_convening(chair, convening_authority=world.north),
        )


@pytest.mark.guidance("G19")
def test_the_ten_considerations_are_laid_out_in_the_guidances_words(meeting):
    sections = list(meeting.sections.order_by("position"))
    assert [s.key for s in sections] == [c.key for c in CONSIDERATIONS]
    assert sections[0].title == (
        "The needs of the young person and what arrangements may be necessary for his or her "
        "own safety."
    )
    assert sections[9].title == (
        "To identify whether there are any other young people potentially at risk and whether "
        "there is any information known about the alleged abuser."
    )
    assert all(s.text == "" for s in sections)


@pytest.mark.guidance("G18")
@pytest.mark.parametrize("who", ["young_person", "family"])
def test_not_inviting_the_young_person_or_family_needs_a_reason(involved_csc, chair, who):
    world = involved_csc
    details = replace(
        DETAILS,
        starts_at=SOON,
        **{f"{who}_invited": False, f"{who}_not_invited_reason": "  "},
    )
    with pytest.raises(ValidationError) as error:
        services.meeting_convene(
            child=world.child,
            by=world.csc_officer,
            convening=_convening(chair, details=details, convening_authority=world.north),
        )
    assert f"{who}_not_invited_reason" in error.value.message_dict


@pytest.mark.guidance("G18")
def test_whether_they_are_invited_must_be_answered(involved_csc, chair):
    world = involved_csc
    details = replace(DETAILS, starts_at=SOON, young_person_invited=None)
    problems = services.convene_problems(
        world.child, _convening(chair, details=details, convening_authority=world.north)
    )
    assert problems == {"young_person_invited": "Select whether the young person is invited"}


def _looked_after(world, **fields):
    child = make_child(
        by=world.csc_officer,
        first_name="Robin",
        looked_after_status=LookedAfterStatus.LOOKED_AFTER,
        **fields,
    )
    csc_involved(child, world.csc, world.csc_officer)
    return child


@pytest.mark.guidance("G20")
def test_a_looked_after_childs_meeting_cannot_be_convened_without_the_iro(involved_csc, chair):
    world = involved_csc
    child = _looked_after(world)
    problems = services.convene_problems(child, _convening(chair, convening_authority=world.north))
    assert "iro" in problems
    with pytest.raises(ValidationError):
        services.meeting_convene(
            child=child,
            by=world.csc_officer,
            convening=_convening(chair, convening_authority=world.north),
        )


@pytest.mark.guidance("G20")
def test_a_looked_after_childs_meeting_invites_the_iro_and_adds_the_placement_factors(
    involved_csc, chair, iro
):
    world = involved_csc
    child = _looked_after(world)
    meeting = convene(child=child, by=world.csc_officer, chair=chair, iro=iro)
    assert meeting.child_looked_after
    assert meeting.invitations.get(officer=iro).is_iro
    keys = list(meeting.sections.order_by("position").values_list("key", flat=True))
    assert keys == [c.key for c in CONSIDERATIONS] + [p.key for p in PLACEMENT_FACTORS]
    titles = [p.title for p in PLACEMENT_FACTORS]
    assert titles == [
        "The risk to the child",
        "The risks to other children in the placement",
        "Whether the child should remain in their present placement",
        "The feasibility of controlling the child's movements, and the likely effects of doing so",
    ]


@pytest.mark.guidance("G20")
def test_an_iro_chairing_is_the_childs_iro_unless_another_is_named(involved_csc, iro):
    world = involved_csc
    child = _looked_after(world)
    meeting = convene(child=child, by=world.csc_officer, chair=iro)
    assert meeting.invitations.get(officer=iro).is_iro


@pytest.mark.guidance("G20")
def test_an_iro_not_on_the_portal_can_be_named(involved_csc, chair):
    world = involved_csc
    child = _looked_after(world)
    meeting = convene(child=child, by=world.csc_officer, chair=chair, iro_name="Pat Outside")
    invitation = meeting.invitations.get(is_iro=True)
    assert (invitation.person_name, invitation.officer) == ("Pat Outside", None)


def _placed_elsewhere(world):
    return _looked_after(
        world, host_authority=world.south, host_cse_lead_contact="Nadia, Southmere CSC"
    )


@pytest.mark.guidance("G29")
def test_out_of_area_the_host_cp_manager_must_have_been_contacted(involved_csc, iro):
    world = involved_csc
    child = _placed_elsewhere(world)
    problems = services.convene_problems(child, _convening(iro, convening_authority=world.north))
    assert set(problems) == {"host_cp_manager", "host_cp_manager_contacted_at"}


@pytest.mark.guidance("G29")
def test_out_of_area_records_which_authority_convenes_and_who_was_contacted_when(involved_csc, iro):
    world = involved_csc
    child = _placed_elsewhere(world)
    contacted = timezone.now() - timedelta(days=1)
    meeting = convene(
        child=child,
        by=world.csc_officer,
        chair=iro,
        convening_authority=world.south,
        host_cp_manager="Dev Patel, child protection manager, Southmere",
        host_cp_manager_contacted_at=contacted,
    )
    assert meeting.convening_authority == world.south
    assert meeting.child_host_authority == world.south
    assert meeting.host_cp_manager.startswith("Dev Patel")
    assert meeting.host_cp_manager_contacted_at == contacted


@pytest.mark.guidance("G29")
def test_the_convening_authority_is_the_home_or_the_host(involved_csc, chair):
    world = involved_csc
    elsewhere = world.south  # the child is not placed in Southmere
    problems = services.convene_problems(
        world.child, _convening(chair, convening_authority=elsewhere)
    )
    assert "convening_authority" in problems


def test_the_same_form_sent_twice_convenes_one_meeting(involved_csc, chair):
    world = involved_csc
    import uuid

    key = uuid.uuid4()
    convening = _convening(chair, convening_authority=world.north)
    first, created = services.meeting_convene(
        child=world.child, by=world.csc_officer, convening=convening, creation_key=key
    )
    again, created_again = services.meeting_convene(
        child=world.child, by=world.csc_officer, convening=convening, creation_key=key
    )
    assert (created, created_again) == (True, False)
    assert first == again and Meeting.objects.count() == 1


def test_a_review_names_the_meeting_it_reviews(meeting, involved_csc, chair):
    world = involved_csc
    review = convene(
        child=world.child,
        by=world.csc_officer,
        chair=chair,
        source=services.Source(origin="review", review_of=meeting),
    )
    assert review.review_of == meeting
    assert list(meeting.reviews.all()) == [review]
