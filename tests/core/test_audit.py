"""The access log and the change history (G37)."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from pghistory.models import Events

from cse_portal import history, services
from cse_portal.models import AccessLog, Child
from cse_portal.selectors import access_log_for, change_history_for

pytestmark = pytest.mark.guidance("G37")


def test_each_view_of_a_childs_record_writes_one_access_log_row(involved_client, world):
    before = AccessLog.objects.count()
    involved_client.get(world.child.get_absolute_url(), REMOTE_ADDR="10.1.2.3")
    rows = list(AccessLog.objects.order_by("id")[before:])
    assert len(rows) == 1
    row = rows[0]
    assert (row.officer, row.agency, row.action, row.child) == (
        world.involved,
        world.police,
        "view",
        world.child,
    )
    assert row.object_type == "child record"
    assert row.object_id == str(world.child.pk)
    assert row.ip_address == "10.1.2.3"
    assert row.at is not None

    involved_client.get(world.child.get_absolute_url())
    assert (
        AccessLog.objects.filter(child=world.child, officer=world.involved, action="view").count()
        == 2
    )


def test_a_refused_view_is_not_logged_as_a_view(uninvolved_client, world):
    uninvolved_client.get(world.child.get_absolute_url())
    assert not AccessLog.objects.filter(officer=world.uninvolved, child=world.child).exists()


def test_searches_are_logged_without_the_search_text(owner_client, world):
    owner_client.post(reverse("children:list"), {"q": "Jamie"}, follow=True)
    row = AccessLog.objects.filter(officer=world.owner, action="search").get()
    assert "Jamie" not in row.detail and "Jamie" not in row.path


def test_the_database_refuses_to_update_an_access_log_row(world, owner_client):
    owner_client.get(world.child.get_absolute_url())
    row_id = AccessLog.objects.latest("id").pk
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE cse_portal_accesslog SET action = 'list' WHERE id = %s", [row_id])
    assert AccessLog.objects.get(pk=row_id).action == "view"


def test_the_database_refuses_to_delete_an_access_log_row(world, owner_client):
    owner_client.get(world.child.get_absolute_url())
    row_id = AccessLog.objects.latest("id").pk
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM cse_portal_accesslog WHERE id = %s", [row_id])
    assert AccessLog.objects.filter(pk=row_id).exists()


def _edit_payload(child: Child, **changes: str) -> dict[str, str]:
    data = {
        "is_identified": "True",
        "first_name": child.first_name,
        "last_name": child.last_name,
        "gender": child.gender,
        "ethnicity": child.ethnicity,
        "looked_after_status": child.looked_after_status,
        "home_authority": str(child.home_authority_id),
        "version": str(child.version),
    }
    data.update(changes)
    return data


def test_an_edit_is_recorded_in_the_history_and_attributed_to_the_officer(involved_client, world):
    url = reverse("children:edit", kwargs={"child_pk": world.child.pk})
    response = involved_client.post(url, _edit_payload(world.child, known_as="JJ"))
    assert response.status_code == 302
    update = Events.objects.tracks(world.child).filter(pgh_label="update").latest("pgh_created_at")
    assert update.pgh_context["user"] == world.involved.pk
    assert update.pgh_data["known_as"] == "JJ"
    changes = [e for e in change_history_for(world.child) if e["what"] == "Child's record changed"]
    assert changes[0]["officer"] == world.involved
    assert "known_as" in changes[0]["fields"]


def test_bulk_updates_are_captured_by_the_database_triggers(world):
    Child.objects.filter(pk=world.child.pk).update(school_or_setting="Elm Park School")
    assert Events.objects.tracks(world.child).filter(pgh_label="update").exists()


def test_history_rows_cannot_be_altered(world):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE cse_portal_childevent SET first_name = 'Changed'")


def test_access_history_page_is_for_the_owning_agencys_lead_and_csc(
    lead_client, involved_client, owner_client, uninvolved_client, csc_client, world
):
    from cse_portal import services

    url = reverse("children:audit", kwargs={"child_pk": world.child.pk})
    involved_client.get(world.child.get_absolute_url())
    response = lead_client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ivan Involved" in page  # the police officer's view is listed
    assert "Child&#x27;s record created" in page or "Child's record created" in page

    assert involved_client.get(url).status_code == 403  # involved, but not the owner's lead or CSC
    assert owner_client.get(url).status_code == 403  # a practitioner, not the lead officer
    assert uninvolved_client.get(url).status_code == 404
    assert csc_client.get(url).status_code == 404  # CSC is not involved yet
    services.involvement_grant(
        child=world.child, agency=world.csc, reason="referral", by=world.owner
    )
    assert csc_client.get(url).status_code == 200


def test_the_history_names_involvements_and_changed_fields_in_plain_english(world):
    services.involvement_grant(
        child=world.child, agency=world.csc, reason="referral", by=world.owner
    )
    history = change_history_for(world.child, world.lead)
    whats = [e["what"] for e in history]
    assert "Northdale Children's Social Care involved with the child (referral)" in whats
    assert all("Event" not in what for what in whats)
    Child.objects.filter(pk=world.child.pk).update(known_as="JJ", version=9)
    # One transaction in a test: every event has the same time, so find the change by what.
    changes = [
        e["changed"]
        for e in change_history_for(world.child, world.lead)
        if e["what"] == "Child's record changed"
    ]
    assert ["known as"] in changes  # bookkeeping columns (version) left out


def test_log_rows_about_records_the_viewer_cannot_open_are_left_out(world):
    for object_id in ("1", "2"):
        AccessLog.objects.create(
            officer=world.owner,
            action="view",
            child=world.child,
            object_type="example record",
            object_id=object_id,
        )
    source = history.HistorySource(
        key="example",
        entries=lambda child, officer: [],
        log_object_types=("example record",),
        openable_ids=lambda child, officer: {"2"},
    )
    history.register(source)
    try:
        shown = list(access_log_for(world.child, world.lead).values_list("object_id", flat=True))
    finally:
        history.registry.sources.pop("example")
    assert "2" in shown
    assert "1" not in shown


def _log_rows(child, officer) -> list[tuple[str, str]]:
    return list(
        AccessLog.objects.filter(child=child, officer=officer)
        .order_by("id")
        .values_list("action", "object_type")
    )


def test_the_share_page_shows_the_name_and_is_logged(owner_client, world):
    url = reverse("children:share", kwargs={"child_pk": world.child.pk})
    page = owner_client.get(url).content.decode()
    assert world.child.display_name in page
    assert _log_rows(world.child, world.owner) == [("view", "child record (share)")]
    # A share refused (no reason given) shows the name again: logged again.
    response = owner_client.post(url, {"agency": str(world.health.pk), "reason": ""})
    assert response.status_code == 200 and world.child.display_name in response.content.decode()
    assert _log_rows(world.child, world.owner) == [("view", "child record (share)")] * 2


def test_an_edit_shown_again_with_errors_is_logged_like_the_first_view(owner_client, world):
    url = reverse("children:edit", kwargs={"child_pk": world.child.pk})
    owner_client.get(url)
    response = owner_client.post(url, {"is_identified": "True", "first_name": "", "last_name": ""})
    assert response.status_code == 200
    assert world.child.display_name in response.content.decode()
    assert _log_rows(world.child, world.owner) == [("view", "child record (edit)")] * 2


def test_a_saved_edit_is_logged_as_a_change_only(owner_client, world):
    url = reverse("children:edit", kwargs={"child_pk": world.child.pk})
    response = owner_client.post(
        url,
        {
            "is_identified": "True",
            "first_name": "Jamie",
            "last_name": "Testchild",
            "gender": "male",
            "ethnicity": "not_known",
            "looked_after_status": "no",
            "home_authority": str(world.north.pk),
            "version": str(world.child.version),
        },
    )
    assert response.status_code == 302
    assert _log_rows(world.child, world.owner) == [("change", "child record")]
