"""The referrals on a child's "Who viewed or changed this record": what happened to the
referrals the viewer may open, in plain English, and no trace of another agency's draft."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from cse_portal.models import AccessLog, Officer
from cse_portal.selectors import access_log_for, change_history_for
from referrals import services
from referrals.models import Referral
from tests.conftest import sign_in
from tests.factories import OfficerFactory
from tests.referrals.conftest import COMPLETE_DETAILS, acknowledge, make_draft, send
from tests.referrals.pages import hidden, text, url


@pytest.fixture
def csc_lead(world) -> Officer:
    return OfficerFactory(
        username="csclead",
        first_name="Carla",
        last_name="Lead",
        agency=world.csc,
        role=Officer.Role.TEAM_MANAGER,
        is_cse_lead=True,
    )


def _police_draft_through_the_pages(world) -> Referral:
    """The police officer (involved with the child) starts a draft, names a person and a place,
    changes it, removes the place and opens it: every page that logs or records something."""
    police = sign_in(Client(), world.involved)
    start = reverse("referrals:start", kwargs={"child_pk": world.child.pk})
    form = police.get(start)
    response = police.post(
        start,
        {
            **COMPLETE_DETAILS,
            "basis_of_concern": "Police intelligence: seen with an adult of concern.",
            "creation_key": hidden(form, "creation_key"),
            "version": "",
        },
    )
    assert response.status_code == 302
    draft = Referral.objects.get(referring_agency=world.police)
    police.get(url("persons", draft))
    services.referral_person_add(
        referral=draft, by=world.involved, data={"full_name": "Secret Suspect"}
    )
    place = services.referral_place_add(
        referral=draft, by=world.involved, data={"name": "Police observation point"}
    )
    services.referral_place_remove(place=place, by=world.involved)
    draft.refresh_from_db()
    edit = police.get(url("edit", draft))
    police.post(
        url("edit", draft),
        {**COMPLETE_DETAILS, "version": hidden(edit, "version"), "creation_key": ""},
    )
    police.get(url("detail", draft))
    return Referral.objects.get(pk=draft.pk)


def test_a_csc_lead_sees_the_sent_referrals_history_and_nothing_of_another_agencys_draft(
    world, csc_lead, owner_client, csc_client
):
    sent = make_draft(by=world.owner, child=world.child)
    services.referral_person_add(referral=sent, by=world.owner, data={"full_name": "Adult X"})
    services.referral_place_add(referral=sent, by=world.owner, data={"name": "The park"})
    owner_client.get(url("detail", sent))
    sent = acknowledge(send(Referral.objects.get(pk=sent.pk), world.owner), world.csc_officer)
    services.referral_decide(
        referral=sent,
        by=world.csc_officer,
        outcome="initial_assessment",
        rationale="Reasons.",
        decided_by=world.csc_officer,
        approved_by=world.team_manager,
        person_well_evidenced=True,
        evidence_judged_by=world.csc_officer,
    )
    csc_client.get(url("detail", sent))
    draft = _police_draft_through_the_pages(world)
    assert AccessLog.objects.filter(officer=world.involved, object_id=str(draft.pk)).count() >= 3

    whats = [e["what"] for e in change_history_for(world.child, csc_lead)]
    ref = sent.reference
    for expected in (
        f"Referral {ref} started",
        f"Person of concern added to referral {ref}",
        f"Place of concern added to referral {ref}",
        f"Referral {ref} sent to Northdale Children's Social Care",
        f"Referral {ref} acknowledged by Sofia Worker",
        f"Decision recorded: initial assessment and strategy discussion (referral {ref})",
    ):
        assert expected in whats
    assert not [w for w in whats if draft.reference in w]
    rows = list(access_log_for(world.child, csc_lead))
    assert {(r.officer_id, r.object_id) for r in rows} >= {
        (world.owner.pk, str(sent.pk)),
        (world.csc_officer.pk, str(sent.pk)),
    }
    assert not [
        r
        for r in rows
        if r.officer_id == world.involved.pk and r.object_type.startswith("referral")
    ]

    # And the page itself: the sent referral's history, not a word of the draft.
    page = text(
        sign_in(Client(), csc_lead).get(
            reverse("children:audit", kwargs={"child_pk": world.child.pk})
        )
    )
    assert f"Referral {ref} acknowledged by Sofia Worker" in page
    assert draft.reference not in page
    assert "Secret Suspect" not in page and "Police observation point" not in page
    assert not re.search(r"Ivan Involved[^<]*</td>\s*<td[^>]*>[^<]*</td>\s*<td[^>]*>referral", page)


def test_the_referring_agency_sees_its_own_drafts_history(world, lead_client):
    draft = make_draft(by=world.owner, child=world.child)
    place = services.referral_place_add(referral=draft, by=world.owner, data={"name": "Park"})
    services.referral_place_remove(place=place, by=world.owner)
    draft.refresh_from_db()
    services.referral_update(
        referral=draft,
        by=world.owner,
        data={**COMPLETE_DETAILS, "other_agencies": "The youth service."},
        expected_version=draft.version,
    )
    history = change_history_for(world.child, world.lead)
    by_what = {e["what"]: e for e in history}
    ref = draft.reference
    assert by_what[f"Referral {ref} started"]["officer"] == world.owner
    assert by_what[f"Place of concern added to referral {ref}"]["officer"] == world.owner
    assert by_what[f"Place of concern removed from referral {ref}"]["officer"] == world.owner
    assert by_what[f"Draft referral {ref} changed"]["changed"] == ["other agencies"]
    # Bookkeeping (a version moved on) and the raw model names never show.
    assert all("Event" not in e["what"] and "version" not in e["changed"] for e in history)


@pytest.mark.guidance("G11")
def test_the_looked_after_notice_is_in_the_history(world, looked_after_child, iro):
    from django.utils import timezone

    referral = send(make_draft(by=world.owner, child=looked_after_child), world.owner)
    services.referral_record_looked_after_notice(
        referral=referral,
        by=world.csc_officer,
        team_manager=world.team_manager,
        iro=iro,
        informed_at=timezone.now(),
        method="phone",
        bring_lac_review_forward=False,
    )
    whats = [e["what"] for e in change_history_for(looked_after_child, world.csc_officer)]
    assert f"Team manager and IRO informed (referral {referral.reference})" in whats
