"""`with_only_relations`: a selector's callers join exactly the relations they show."""

from __future__ import annotations

import uuid

from cse_portal.models import Child
from cse_portal.querysets import with_only_relations
from referrals.selectors_missing import recent_episodes_of_child
from strategy_meetings.models import Meeting


def _joins(queryset: object) -> int:
    return str(queryset.query).count(" JOIN ")  # type: ignore[attr-defined]


def test_no_relations_joins_nothing_not_every_relation():
    # `select_related()` with no names would join every non-null relation of a meeting.
    meetings = Meeting.objects.select_related("child", "chair")
    assert _joins(meetings) == 2
    assert _joins(with_only_relations(meetings, ())) == 0


def test_the_relations_named_are_the_only_ones_joined():
    meetings = with_only_relations(Meeting.objects.select_related("child", "chair"), ("chair",))
    sql = str(meetings.query)
    assert _joins(meetings) == 1
    assert '"cse_portal_officer"' in sql and '"cse_portal_child"' not in sql.split(" WHERE ")[0]


def test_the_missing_episodes_beside_the_minutes_join_nothing():
    """The panel beside the minutes asks for the child's recent episodes with no relations
    (it shows their own dates): before, `relations=()` joined every relation of an episode."""
    child = Child(pk=uuid.uuid4())
    assert _joins(recent_episodes_of_child(child, relations=())) == 0
    assert _joins(recent_episodes_of_child(child)) > 0  # by default, an episode page's


def test_none_keeps_the_querysets_own_relations():
    meetings = Meeting.objects.select_related("child", "chair")
    assert _joins(with_only_relations(meetings, None)) == 2
