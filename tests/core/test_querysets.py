"""`with_only_relations` and `given_the_child`: a selector joins exactly what its callers show."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cse_portal.models import Child, Involvement
from cse_portal.querysets import given_the_child, with_only_relations
from referrals.selectors_missing import recent_episodes_of_child
from strategy_meetings.models import Meeting
from tests.factories import make_child


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


def test_each_row_is_given_the_pages_child_and_reads_it_again_never(world):
    rows = given_the_child(Involvement.objects.filter(child=world.child), world.child)
    assert len(rows) >= 2  # the owner's and the police's
    with CaptureQueriesContext(connection) as queries:
        assert all(row.child is world.child for row in rows)
    assert len(queries) == 0


def test_a_row_of_another_child_is_refused_not_shown_under_this_child(world):
    other = make_child(by=world.owner, first_name="Robin", last_name="Otherchild")
    both = Involvement.objects.filter(child__in=[world.child, other])
    with pytest.raises(ValueError, match="is not of child"):
        given_the_child(both, world.child)
