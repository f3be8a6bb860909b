"""The door to a referral and its two rules, once each (`referrals.selectors`): the referring
agency writes a draft and sends it; the children's social care it was sent to responds."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from cse_portal import services as core
from referrals import selectors
from tests.factories import OfficerFactory


def _door(door, officer, referral):
    return door(officer, referral.pk, child_pk=referral.child_id)


def test_the_referring_agency_writes_its_draft_and_no_one_else(world, draft):
    for officer in [world.owner, world.lead]:
        assert selectors.is_referrer(officer, draft)
        assert _door(selectors.get_referral_for_writing, officer, draft) == draft
    assert not selectors.is_referrer(world.involved, draft)
    assert not selectors.is_referrer(AnonymousUser(), draft)
    # Another agency involved with the child does not even see the draft.
    with pytest.raises(Http404):
        _door(selectors.get_referral_for_writing, world.involved, draft)


def test_a_sent_referral_is_seen_by_the_involved_but_written_by_the_referrer_only(world, sent):
    assert _door(selectors.get_referral_for, world.involved, sent) == sent
    with pytest.raises(PermissionDenied):
        _door(selectors.get_referral_for_writing, world.involved, sent)
    with pytest.raises(Http404):
        _door(selectors.get_referral_for_writing, world.uninvolved, sent)


def test_only_the_receiving_csc_responds(world, draft, sent):
    assert selectors.is_receiving_csc(world.csc_officer, sent)
    assert _door(selectors.get_referral_for_csc, world.team_manager, sent) == sent
    assert not selectors.is_receiving_csc(world.owner, sent)
    with pytest.raises(PermissionDenied):
        _door(selectors.get_referral_for_csc, world.owner, sent)
    core.child_share(child=world.child, agency=world.south_csc, by=world.owner, reason="Moved")
    south = OfficerFactory(agency=world.south_csc, role="social_worker")
    assert not selectors.is_receiving_csc(south, sent)
    with pytest.raises(PermissionDenied):
        _door(selectors.get_referral_for_csc, south, sent)


def test_a_draft_has_no_receiving_csc_yet(world, draft):
    core.child_share(child=world.child, agency=world.csc, by=world.owner, reason="Asked")
    assert not selectors.is_receiving_csc(world.csc_officer, draft)
    with pytest.raises(Http404):
        _door(selectors.get_referral_for_csc, world.csc_officer, draft)
