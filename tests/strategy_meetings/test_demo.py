"""The demo meetings load in every state of this part of the pathway, once, with their
timelines in order; a looked-after child placed out of area has the host authority's child
protection manager contacted (G29)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from cse_portal.models import Involvement
from strategy_meetings.models import Addendum, Meeting, PersonMeeting
from strategy_meetings.selectors import meeting_contents


def _meeting_of(first_name: str) -> Meeting:
    return Meeting.objects.select_related("child").get(child__first_name=first_name)


@pytest.mark.django_db
@pytest.mark.guidance("G29")
def test_the_demo_has_meetings_in_each_state_and_a_second_run_adds_none(module_demo):
    assert "skipped the demo meeting" not in module_demo
    assert Meeting.objects.count() == 6  # and Niamh's (awaiting sign-up), Jasmine's

    kofi = _meeting_of("Kofi")
    assert kofi.is_draft and kofi.starts_at > timezone.now() and kofi.referral is not None
    assert not meeting_contents(kofi).addressed_count

    caitlin = _meeting_of("Caitlin")
    assert caitlin.child_looked_after and caitlin.placed_out_of_area
    assert caitlin.convening_authority == caitlin.child.home_authority
    assert caitlin.host_cp_manager and caitlin.host_cp_manager_contacted_at < timezone.now()
    assert caitlin.invitations.filter(is_iro=True).exists()
    assert caitlin.sections.count() == 14

    jayden = _meeting_of("Jayden")
    contents = meeting_contents(jayden)
    assert jayden.is_draft and jayden.starts_at < timezone.now()
    assert 0 < contents.addressed_count < len(contents.sections)
    assert {i.attendance for i in contents.open_invitations} == {"attended", "apologies"}

    mason = _meeting_of("Mason")
    assert mason.is_final and mason.finalised_by is not None
    addendum = Addendum.objects.get(meeting=mason)
    assert mason.convened_at < mason.starts_at < mason.finalised_at < addendum.written_at

    # Invitees' agencies are involved with the children.
    assert Involvement.objects.filter(
        reason=Involvement.Reason.MEETING_INVITATION,
        child=caitlin.child,
        agency__name="Kestrel Vale School",
    ).exists()

    # Convened from Jasmine's latest assessment, judged high; a separate meeting about the
    # person of concern linked to her and to Kofi links both children's meetings.
    jasmine = _meeting_of("Jasmine")
    assert jasmine.origin == "assessment"
    assert jasmine.source_assessment.judged_outcome.code == "high"
    separate = PersonMeeting.objects.get()
    assert {m.child.first_name for m in separate.linked_meetings.all()} == {"Jasmine", "Kofi"}
    assert separate.minutes and separate.actions.exists()
    assert "separate meeting" in module_demo

    call_command("load_demo", "--quiet", stdout=io.StringIO())
    assert PersonMeeting.objects.count() == 1
    assert Meeting.objects.count() == 6  # and Niamh's (awaiting sign-up), Jasmine's
