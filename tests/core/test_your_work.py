""" "Your work" on the home page: what each app contributes, overdue first, each list's empty
state, and nothing about a child the officer may not see."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cse_portal import work
from cse_portal.models import AccessLog
from referrals.models import Referral
from screening.models import Conclusion
from screening.services import screening_advise
from tests.conftest import sign_in
from tests.factories import OfficerFactory, make_child
from tests.referrals.conftest import acknowledge, make_draft, send
from tests.referrals.missing.factories import ago, record, record_return
from tests.screening.factories import make_screening

HOME = reverse("home")


def _home(client) -> str:
    response = client.get(HOME)
    assert response.status_code == 200
    return response.content.decode()


def _shown(officer, key: str) -> work.WorkList:
    return next(s.work for s in work.registry.for_officer(officer) if s.contribution.key == key)


def _sent(world, child, *, days_ago: float = 0) -> Referral:
    referral = make_draft(by=world.owner, child=child)
    return send(referral, world.owner, now=timezone.now() - timedelta(days=days_ago))


@pytest.mark.guidance("G08")
def test_csc_sees_referrals_awaiting_a_decision_overdue_first(world, csc_client):
    fresh = _sent(world, make_child(by=world.owner, first_name="Fresh"))
    late = _sent(world, world.child, days_ago=6)
    rows = _shown(world.csc_officer, "referrals_to_answer").rows
    assert [r.link for r in rows] == [late.get_absolute_url(), fresh.get_absolute_url()]
    assert rows[0].overdue and not rows[1].overdue
    page = _home(csc_client)
    assert "Referrals awaiting acknowledgement or decision" in page and "Overdue" in page
    assert page.index("Jamie Testchild") < page.index("Fresh Testchild")


@pytest.mark.guidance("G07")
def test_the_referrer_sees_and_is_told_what_children_s_social_care_did(
    world, owner_client, csc_client
):
    referral = _sent(world, world.child)
    assert "has not acknowledged or decided" in _home(owner_client)
    acknowledge(referral, world.csc_officer)
    page = _home(owner_client)
    assert "What changed on referrals you sent" in page and "Acknowledged" in page
    notification = world.owner.notifications.get(kind="referral.acknowledged")
    assert notification.link == referral.get_absolute_url()
    assert "Jamie" not in notification.text and referral.reference in notification.text


def test_a_lead_officer_sees_screenings_awaiting_advice_and_the_screener_is_told(
    world, lead_client, owner_client
):
    screening = make_screening(
        child=world.child,
        by=world.owner,
        submit=True,
        conclusion=Conclusion.DISCUSS,
        reason="To talk it through.",
    )
    assert world.lead.notifications.filter(kind="screening.awaiting_advice").exists()
    assert [r.link for r in _shown(world.lead, "screenings_to_advise").rows] == [
        screening.get_absolute_url()
    ]
    assert "Awaiting your lead officer" in _home(owner_client)
    screening_advise(screening=screening, by=world.lead, text="Talk to the school nurse.")
    assert _shown(world.lead, "screenings_to_advise").count == 0
    assert "No screening of your agency is waiting for your advice." in _home(lead_client)
    told = world.owner.notifications.get(kind="screening.advice_given")
    assert told.link == screening.get_absolute_url()


@pytest.mark.guidance("G33")
def test_a_return_interview_due_is_on_the_home_page_and_told_to_who_recorded_it(
    world, owner_client
):
    episode = record(world.child, world.owner, reported=ago(hours=100))
    record_return(episode, world.involved, returned=ago(hours=80))
    rows = _shown(world.owner, "return_interviews").rows
    assert len(rows) == 1 and rows[0].overdue  # due 72 hours after the return
    assert "Return interview due" in _home(owner_client)
    assert world.owner.notifications.filter(kind="missing.interview_due").count() == 1


def test_every_list_has_its_empty_wording(world):
    newcomer = OfficerFactory(agency=world.police)
    page = _home(sign_in(Client(), newcomer))
    for shown in work.registry.for_officer(newcomer):
        assert shown.work.count == 0
        assert shown.contribution.empty.replace("'", "&#x27;") in page


def test_each_persona_gets_the_lists_that_are_theirs(world):
    keys = lambda officer: {s.contribution.key for s in work.registry.for_officer(officer)}  # noqa: E731
    assert "referrals_to_answer" in keys(world.csc_officer)
    assert "referrals_to_answer" not in keys(world.owner)
    assert "sent_changes" in keys(world.owner) and "sent_changes" not in keys(world.csc_officer)
    assert "screenings_to_advise" in keys(world.lead)
    assert "screenings_to_advise" not in keys(world.owner)


def test_nothing_about_a_child_the_officer_may_not_see(world, csc_client):
    hidden = make_child(by=world.owner, first_name="Zebedee", last_name="Quillfeather")
    _sent(world, hidden, days_ago=5)  # CSC sees it: it was referred to them
    record_return(record(hidden, world.owner, reported=ago(hours=90)), world.owner)
    make_screening(
        child=hidden,
        by=world.owner,
        submit=True,
        conclusion=Conclusion.DISCUSS,
        reason="To talk it through.",
    )
    assert "Quillfeather" in _home(csc_client)
    # The police are involved with world.child only; the health trust with no child.
    for officer in (world.involved, world.uninvolved):
        page = _home(sign_in(Client(), officer))
        assert "Quillfeather" not in page and "Zebedee" not in page


def test_the_home_page_is_logged_as_a_listing(world, csc_client):
    _home(csc_client)
    entry = AccessLog.objects.filter(officer=world.csc_officer).latest("at")
    assert entry.action == AccessLog.Action.LIST and entry.object_type == "your work"


def test_a_system_administrator_is_sent_to_the_admin(db):
    admin = OfficerFactory(agency=None, is_staff=True, is_superuser=True, role="sysadmin")
    response = sign_in(Client(), admin).get(HOME)
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")


def test_the_children_list_keeps_its_own_address(owner_client):
    assert owner_client.get(reverse("children:list")).status_code == 200


def test_the_navigation_counts_what_waits(world, csc_client, lead_client):
    _sent(world, world.child)
    make_screening(
        child=world.child,
        by=world.owner,
        submit=True,
        conclusion=Conclusion.DISCUSS,
        reason="To talk it through.",
    )
    csc_page = _home(csc_client)
    assert 'Referrals <span class="app-nav-count">1</span>' in csc_page
    lead_page = _home(lead_client)
    assert 'Screenings awaiting advice <span class="app-nav-count">1</span>' in lead_page
    assert 'Notifications <span class="app-nav-count">1</span>' in lead_page
