"""The referral's page and the child's record: who sees which referral, and the access log."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from cse_portal import services as core
from cse_portal.models import AccessLog
from tests.conftest import sign_in
from tests.referrals.pages import text, url


def test_the_childs_record_lists_its_referrals(owner_client, world, sent):
    response = owner_client.get(world.child.get_absolute_url())
    assert f'href="{sent.get_absolute_url()}">{sent.reference}</a>' in text(response)
    assert reverse("referrals:start", kwargs={"child_pk": world.child.pk}) in text(response)


def test_a_draft_is_invisible_to_other_agencies_involved_with_the_child(
    involved_client, csc_client, world, draft
):
    assert involved_client.get(url("detail", draft)).status_code == 404
    assert draft.get_absolute_url() not in text(involved_client.get(world.child.get_absolute_url()))
    assert draft.get_absolute_url() in text(
        sign_in(Client(), world.lead).get(world.child.get_absolute_url())
    )

    core.child_share(child=world.child, agency=world.csc, by=world.owner, reason="Asked")
    assert csc_client.get(url("detail", draft)).status_code == 404
    assert draft.reference not in text(csc_client.get(reverse("referrals:tray")))


def test_a_colleague_in_the_referring_agency_can_open_the_draft(lead_client, draft):
    assert lead_client.get(url("detail", draft)).status_code == 200
    assert lead_client.get(url("edit", draft)).status_code == 200


def test_a_sent_referral_is_seen_by_the_agencies_involved(involved_client, sent):
    response = involved_client.get(url("detail", sent))
    assert response.status_code == 200
    assert "Seen getting into cars" in text(response)
    assert involved_client.get(url("edit", sent)).status_code == 403


@pytest.mark.guidance("G37")
def test_viewing_a_referral_and_the_tray_is_logged(csc_client, world, sent):
    csc_client.get(url("detail", sent))
    row = AccessLog.objects.filter(officer=world.csc_officer, object_type="referral").get()
    assert row.child == world.child and row.object_id == str(sent.pk)
    assert row.action == AccessLog.Action.VIEW
    csc_client.get(reverse("referrals:tray"))
    assert AccessLog.objects.filter(
        officer=world.csc_officer, object_type="referrals work tray"
    ).exists()
