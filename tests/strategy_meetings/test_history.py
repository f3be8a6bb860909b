"""The meetings' part of "Who viewed or changed this record" (G37: attributable)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cse_portal import history
from strategy_meetings import services
from tests.strategy_meetings.factories import finalised


@pytest.mark.guidance("G37")
def test_the_history_tells_of_convening_inviting_writing_finalising_and_addenda(
    meeting, chair, world, csc_client
):
    services.meeting_invite(
        meeting=meeting, by=chair, invitee=services.Invitee(world.health, world.uninvolved)
    )
    meeting = finalised(meeting, chair)
    services.meeting_add_addendum(meeting=meeting, by=chair, place="outcome", text_="Added.")
    entries = history.registry.entries_for(world.child, world.csc_officer)
    said = {(e.what, e.officer) for e in entries}
    ref = meeting.reference
    assert (f"Strategy meeting {ref} convened", world.csc_officer) in said
    assert (
        f"Northdale Health Trust invited to strategy meeting {ref} (Una Uninvolved)",
        chair,
    ) in said
    assert (
        f"Minutes of strategy meeting {ref} written: Whether to undertake section 47 enquiries",
        chair,
    ) in said
    assert (f"Minutes of strategy meeting {ref} finalised", chair) in said
    assert (f"Addendum to strategy meeting {ref}", chair) in said
    page = csc_client.get(reverse("children:audit", kwargs={"child_pk": world.child.pk}))
    assert f"Strategy meeting {ref} convened" in page.content.decode()


def test_an_uninvolved_agency_has_no_history_of_the_meetings(meeting, world):
    from strategy_meetings.history import entries

    assert entries(world.child, world.uninvolved) == []
    assert entries(world.child, world.involved) != []
