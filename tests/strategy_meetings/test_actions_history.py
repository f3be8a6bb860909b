"""The action plans' part of "Who viewed or changed this record" (G37: attributable)."""

from __future__ import annotations

import pytest

from cse_portal import history
from strategy_meetings import services
from tests.strategy_meetings.plan_helpers import add_action, finalised_with_plan


@pytest.mark.guidance("G37")
def test_the_history_tells_of_actions_the_review_sign_ups_and_progress(meeting, chair, world):
    removed = add_action(meeting, chair, what="An action taken out again.")
    services.action_remove(action=removed, by=chair, expected_version=removed.version)
    final = finalised_with_plan(meeting, chair)
    services.action_record_progress(
        action=final.actions.get(), by=chair, status="in_progress", note="Started."
    )

    said = {(e.what, e.officer) for e in history.registry.entries_for(world.child, world.owner)}

    ref = final.reference
    added = f"Action added to the plan of strategy meeting {ref}: Visit the young person at"
    assert any(what.startswith(added) and what.endswith("…") and by == chair for what, by in said)
    assert (
        f"Action removed from the plan of strategy meeting {ref}: An action taken out again.",
        chair,
    ) in said
    assert any(what.startswith(f"Review of strategy meeting {ref} set for") for what, _ in said)
    assert (f"Carmen Chair signed up to the action plan of strategy meeting {ref}", chair) in said
    assert (f"Progress of an action of strategy meeting {ref}: In progress", chair) in said


def test_an_uninvolved_agency_has_no_history_of_the_plans(meeting, chair, world):
    from strategy_meetings.plan_history import entries

    add_action(meeting, chair)
    assert entries(world.child, world.uninvolved) == []
    assert entries(world.child, world.involved) != []
