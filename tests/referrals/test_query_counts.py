"""The referral lists cost the same number of queries however many referrals they show."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cse_portal.models import LookedAfterStatus
from referrals import services
from tests.conftest import World
from tests.factories import make_child
from tests.referrals.conftest import acknowledge, decide, make_draft, send

# Every state a row can show: a draft; sent, about a looked-after child; acknowledged and
# overdue; decided late, about a looked-after child; about a child not yet identified, naming
# a person of concern (the tags of G08, G10 and G11).
STATES = ("draft", "sent", "acknowledged_overdue", "decided_late", "unidentified_named")
LOOKED_AFTER = {"sent", "decided_late"}


def _queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    # Every kind of row is on the page, so every tag's reads are counted.
    for tag in ["Overdue", "Meets strategy meeting threshold", "Inform team manager and IRO"]:
        assert tag in page
    return len(captured.captured_queries)


def _make_referrals(world: World, rounds: int, *, first: int = 0) -> None:
    """`rounds` referrals in each state, by the school to Northdale's CSC."""
    for number in range(first, first + rounds):
        for state in STATES:
            _make_referral(world, state, f"{state}{number}")


def _make_referral(world: World, state: str, name: str) -> None:
    looked_after = LookedAfterStatus.LOOKED_AFTER if state in LOOKED_AFTER else "no"
    if state == "unidentified_named":
        child = make_child(
            by=world.owner, is_identified=False, first_name="", description=f"Seen: {name}"
        )
    else:
        child = make_child(by=world.owner, first_name=name, looked_after_status=looked_after)
    draft = make_draft(by=world.owner, child=child)
    if state == "unidentified_named":
        services.referral_person_add(referral=draft, by=world.owner, data={"full_name": name})
    if state == "draft":
        return
    late = state in {"acknowledged_overdue", "decided_late"}
    sent = send(draft, world.owner, now=timezone.now() - timedelta(days=10) if late else None)
    if state == "acknowledged_overdue":
        services.referral_acknowledge(
            referral=sent,
            by=world.csc_officer,
            message="Received.",
            action_being_taken="Allocated.",
        )
    if state == "decided_late":
        acknowledge(sent, world.csc_officer)
        decide(sent, world)


def test_the_work_tray_costs_the_same_queries_for_5_or_20_referrals(manager_client, world):
    _make_referrals(world, 1)
    few = _queries_for(manager_client, reverse("referrals:tray"))
    _make_referrals(world, 3, first=1)
    many = _queries_for(manager_client, reverse("referrals:tray"))
    assert many == few
    # The session, the officer, the undecided ids and rows, the decided count, ids and rows,
    # the access log's row and the navigation (its badge is the list's length).
    assert few <= 9, few


def test_the_sent_list_costs_the_same_queries_for_5_or_20_referrals(owner_client, world):
    _make_referrals(world, 1)
    few = _queries_for(owner_client, reverse("referrals:sent"))
    _make_referrals(world, 3, first=1)
    many = _queries_for(owner_client, reverse("referrals:sent"))
    assert many == few


def _referrals_of_one_child(world: World, child, rounds: int) -> None:
    """`rounds` referrals about `child` in each state a row of the record's list shows."""
    for number in range(rounds):
        make_draft(by=world.owner, child=child)
        named = make_draft(by=world.owner, child=child)
        services.referral_person_add(
            referral=named, by=world.owner, data={"full_name": f"Named {number}"}
        )
        send(named, world.owner)
        overdue = send(
            make_draft(by=world.owner, child=child),
            world.owner,
            now=timezone.now() - timedelta(days=10),
        )
        services.referral_acknowledge(
            referral=overdue,
            by=world.csc_officer,
            message="Received.",
            action_being_taken="Allocated.",
        )
        decided = acknowledge(
            send(
                make_draft(by=world.owner, child=child),
                world.owner,
                now=timezone.now() - timedelta(days=10),
            ),
            world.csc_officer,
        )
        decide(decided, world)


def test_the_childs_record_costs_the_same_queries_for_4_or_12_referrals(owner_client, world):
    """The record's referrals section, for a looked-after child not yet identified: a draft,
    one naming a person of concern (the threshold, G10), one acknowledged and overdue, one
    decided (each row names its referring agency; the looked-after task of G11)."""
    child = make_child(
        by=world.owner,
        is_identified=False,
        first_name="",
        description="Seen at the station.",
        looked_after_status=LookedAfterStatus.LOOKED_AFTER,
    )
    url = child.get_absolute_url()
    _referrals_of_one_child(world, child, 1)
    few = _queries_for(owner_client, url)
    _referrals_of_one_child(world, child, 2)
    many = _queries_for(owner_client, url)
    page = owner_client.get(url)
    referrals = next(s["referrals"] for s in page.context["sections"] if "referrals" in s)
    assert len(referrals) == 12
    body = page.content.decode()
    for shown in ("Draft", "Decided", "Acknowledged, awaiting decision", "early-help pathway"):
        assert shown in body
    assert str(world.owner.agency) in body
    assert many == few
