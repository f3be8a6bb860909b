"""Children's social care's work tray (G08)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cse_portal import services as core_services
from cse_portal.access import children_visible_to
from cse_portal.models import Involvement
from referrals.selectors import tray_count_queryset, tray_for
from tests.factories import make_child
from tests.referrals.conftest import acknowledge, decide, make_draft, send
from tests.referrals.pages import text


@pytest.mark.guidance("G08")
def test_the_team_manager_sees_overdue_decisions_first_with_a_count(manager_client, world):
    on_time = send(make_draft(by=world.owner, child=world.child), world.owner)
    overdue = send(
        make_draft(by=world.owner, child=world.child),
        world.owner,
        now=timezone.now() - timedelta(days=10),
    )
    response = manager_client.get(reverse("referrals:tray"))
    page = text(response)
    assert "1 decision overdue" in page
    assert page.index(overdue.reference) < page.index(on_time.reference)
    assert "Overdue" in page


@pytest.mark.guidance("G08")
def test_a_social_worker_sees_the_overdue_tag_and_due_time(csc_client, world):
    overdue = send(
        make_draft(by=world.owner, child=world.child),
        world.owner,
        now=timezone.now() - timedelta(days=10),
    )
    page = text(csc_client.get(reverse("referrals:tray")))
    assert overdue.reference in page
    assert 'govuk-tag--red">Overdue' in page
    assert "Decision due by" in page


def test_officers_outside_csc_have_no_tray(owner_client, involved_client):
    assert owner_client.get(reverse("referrals:tray")).status_code == 403
    assert involved_client.get(reverse("referrals:tray")).status_code == 403


def _referrals_badge(response) -> int | None:
    items = response.context["service_navigation"]
    return next(item.count for item in items if item.url_name == "referrals:tray")


def test_the_home_page_badge_counts_the_trays_rows_as_the_tray_does(csc_client, world):
    """Your work has just counted the referrals awaiting acknowledgement or decision: the
    navigation's badge says that number (as the tray's page does), not another count."""
    home, tray = reverse("home"), reverse("referrals:tray")
    assert _referrals_badge(csc_client.get(home)) is None  # nothing waiting: no badge
    for _ in range(3):
        send(make_draft(by=world.owner, child=world.child), world.owner)
    decided = send(make_draft(by=world.owner, child=world.child), world.owner)
    acknowledge(decided, world.csc_officer)
    decide(decided, world)
    make_draft(by=world.owner, child=world.child)  # not sent: not CSC's
    response = csc_client.get(home)
    assert _referrals_badge(response) == 3 == _referrals_badge(csc_client.get(tray))
    assert "Referrals awaiting acknowledgement or decision" in text(response)


def test_every_pages_badge_counts_the_trays_rows_not_a_referral_of_a_child_no_longer_seen(
    csc_client, world
):
    """A page that has not read the tray (here the children list) counts the badge itself:
    the same rows as the tray lists. Not a decided referral, not a draft, not a referral sent
    to another CSC, and not a referral of a child the CSC no longer sees (its involvement
    ended): the tray does not list it, and the badge does not count it."""
    children, tray = reverse("children:list"), reverse("referrals:tray")
    send(make_draft(by=world.owner, child=world.child), world.owner)
    send(make_draft(by=world.owner, child=world.child), world.owner)
    decided = acknowledge(
        send(make_draft(by=world.owner, child=world.child), world.owner), world.csc_officer
    )
    decide(decided, world)
    make_draft(by=world.owner, child=world.child)  # not sent
    gone = make_child(by=world.owner, first_name="Robin", last_name="Moved")
    send(make_draft(by=world.owner, child=gone), world.owner)
    assert _referrals_badge(csc_client.get(children)) == 3
    involvement = Involvement.objects.get(child=gone, agency=world.csc, ended_at__isnull=True)
    core_services.involvement_end(involvement=involvement, by=world.owner, reason="Moved away")
    assert not children_visible_to(world.csc_officer).filter(pk=gone.pk).exists()
    listed = csc_client.get(tray).context["open_referrals"]
    assert {r.child_id for r in listed} == {world.child.pk}
    assert _referrals_badge(csc_client.get(children)) == len(listed) == 2
    assert len(tray_for(world.csc_officer)) == tray_count_queryset(world.csc_officer).count() == 2
