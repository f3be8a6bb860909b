"""Deny by default: access follows involvement, granted per object to agency groups."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.db import transaction
from django.urls import reverse

from cse_portal import services
from cse_portal.access import children_visible_to, get_child_for
from cse_portal.models import Child, Involvement, Officer
from tests.conftest import sign_in
from tests.factories import OfficerFactory, make_child

pytestmark = pytest.mark.guidance("G36")


def test_owning_and_involved_agencies_see_the_child_and_others_do_not(world):
    assert world.child in children_visible_to(world.owner)
    assert world.child in children_visible_to(world.involved)
    assert world.child in children_visible_to(world.lead)  # same agency as the owner
    assert world.child not in children_visible_to(world.uninvolved)
    assert world.child not in children_visible_to(world.csc_officer)


def test_system_administrator_sees_no_case_data(world):
    admin = OfficerFactory(
        agency=None, role=Officer.Role.SYSTEM_ADMINISTRATOR, is_superuser=True, is_staff=True
    )
    assert children_visible_to(admin).count() == 0
    with pytest.raises(Exception) as error:
        get_child_for(admin, world.child.pk, "view")
    assert error.typename == "Http404"


def test_inactive_officer_sees_nothing(world):
    world.owner.is_active = False
    world.owner.save()
    assert children_visible_to(world.owner).count() == 0


def test_a_global_permission_grants_nothing(world):
    # Even if someone gave a group the model-level permission, the door reads object grants only.
    permission = Permission.objects.get(codename="view_child", content_type__app_label="cse_portal")
    world.uninvolved.user_permissions.add(permission)
    world.health.group.permissions.add(permission)
    assert world.child not in children_visible_to(Officer.objects.get(pk=world.uninvolved.pk))


def test_children_model_has_no_default_model_permissions():
    assert Child._meta.default_permissions == ()
    assert Involvement._meta.default_permissions == ()


def test_uninvolved_officer_never_sees_the_child_in_the_list_search_or_count(
    uninvolved_client, owner_client, world
):
    hidden_name = world.child.first_name
    response = uninvolved_client.get(reverse("children:list"))
    assert hidden_name not in response.content.decode()
    assert response.context["total"] == 0
    response = uninvolved_client.post(reverse("children:list"), {"q": hidden_name}, follow=True)
    assert list(response.context["page_obj"]) == []
    assert (
        world.child.last_name not in response.content.decode()
    )  # the search box echoes only the query
    assert response.context["total"] == 0
    # while the owner finds the child by the same search
    response = owner_client.post(reverse("children:list"), {"q": hidden_name}, follow=True)
    assert response.context["total"] == 1


def test_search_text_never_travels_in_the_url(owner_client, world):
    response = owner_client.post(reverse("children:list"), {"q": "Jamie"})
    assert response.status_code == 302
    assert "Jamie" not in response["Location"]
    followed = owner_client.get(response["Location"])
    assert "Jamie" in followed.content.decode()
    assert "Jamie" not in followed.request["QUERY_STRING"]


def test_search_matches_known_as_names(owner_client, world):
    make_child(by=world.owner, first_name="Robin", last_name="Ashdown", known_as="Robbo")
    response = owner_client.post(reverse("children:list"), {"q": "robbo"}, follow=True)
    assert [c.first_name for c in response.context["page_obj"]] == ["Robin"]


def test_list_is_paginated(owner_client, world):
    for i in range(30):
        make_child(by=world.owner, first_name=f"Pat{i:02d}", last_name="Paginate")
    first = owner_client.get(reverse("children:list"))
    second = owner_client.get(reverse("children:list") + "?page=2")
    assert len(first.context["page_obj"]) == 25
    assert len(second.context["page_obj"]) == 31 - 25


def test_sharing_is_an_explicit_act_with_a_reason_shown_on_the_record(owner_client, world):
    url = reverse("children:share", kwargs={"child_pk": world.child.pk})
    response = owner_client.post(url, {"agency": world.health.pk, "reason": ""})
    assert response.status_code == 200
    assert "Enter why you are sharing this record" in response.content.decode()
    assert world.child not in children_visible_to(world.uninvolved)

    response = owner_client.post(
        url, {"agency": world.health.pk, "reason": "School nurse is supporting Jamie."}
    )
    assert response.status_code == 302
    involvement = Involvement.objects.get(child=world.child, agency=world.health)
    assert involvement.reason == Involvement.Reason.EXPLICIT_SHARE
    assert involvement.granted_by == world.owner
    assert world.child in children_visible_to(world.uninvolved)
    record = owner_client.get(world.child.get_absolute_url()).content.decode()
    assert "School nurse is supporting Jamie." in record
    assert "Shared by another agency" in record


def test_cannot_share_with_an_agency_already_involved(owner_client, world):
    url = reverse("children:share", kwargs={"child_pk": world.child.pk})
    response = owner_client.post(url, {"agency": world.police.pk, "reason": "again"})
    assert response.status_code == 200
    assert Involvement.objects.filter(child=world.child, agency=world.police).count() == 1


def test_ending_the_last_involvement_removes_access_but_not_while_another_remains(world):
    share = Involvement.objects.get(child=world.child, agency=world.police)
    services.involvement_grant(
        child=world.child, agency=world.police, reason=Involvement.Reason.REFERRAL, by=world.owner
    )
    services.involvement_end(involvement=share, by=world.owner, reason="Investigation closed")
    assert world.child in children_visible_to(world.involved)  # the referral involvement remains
    referral = Involvement.objects.get(
        child=world.child, agency=world.police, ended_at__isnull=True
    )
    services.involvement_end(involvement=referral, by=world.owner, reason="No longer involved")
    assert world.child not in children_visible_to(world.involved)
    # the history of involvement stays on the record
    assert Involvement.objects.filter(child=world.child, agency=world.police).count() == 2


def test_grant_and_permission_are_one_transaction(world):
    with pytest.raises(RuntimeError), transaction.atomic():
        services.involvement_grant(
            child=world.child,
            agency=world.health,
            reason=Involvement.Reason.EXPLICIT_SHARE,
            by=world.owner,
        )
        raise RuntimeError("something later in the same request failed")
    assert not Involvement.objects.filter(child=world.child, agency=world.health).exists()
    assert world.child not in children_visible_to(world.uninvolved)


def test_involved_officer_from_another_agency_can_open_the_record(involved_client, world):
    response = involved_client.get(world.child.get_absolute_url())
    assert response.status_code == 200


def test_adding_a_child_involves_the_officers_agency(owner_client, world):
    response = owner_client.post(
        reverse("children:add"),
        {
            "is_identified": "True",
            "first_name": "Ali",
            "last_name": "Newrecord",
            "gender": "male",
            "ethnicity": "not_known",
            "looked_after_status": "no",
            "home_authority": world.north.pk,
        },
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    child = Child.objects.get(last_name="Newrecord")
    involvement = child.involvements.get()
    assert (involvement.agency, involvement.reason, involvement.granted_by) == (
        world.school,
        Involvement.Reason.CREATED_RECORD,
        world.owner,
    )
    assert child in children_visible_to(world.lead)
    assert child not in children_visible_to(world.involved)


def test_another_officer_of_an_involved_agency_gets_access_through_the_agency(world, client):
    colleague = OfficerFactory(agency=world.police)
    sign_in(client, colleague)
    assert client.get(world.child.get_absolute_url()).status_code == 200


def test_the_doors_compiled_sub_select_takes_each_agencys_group(world):
    """`visible_child_ids` is `visible_child_rows`' SQL, compiled once per process: each
    agency's statement is bound to its own group, in `IN (…)` and read first as an array."""
    from cse_portal.access import (
        children_of_visible_ids,
        visible_child_ids,
        visible_child_rows,
    )

    other = make_child(by=world.involved, first_name="Robin")  # the police's alone
    for officer in (world.owner, world.involved, world.uninvolved, world.csc_officer):
        agency = officer.agency
        by_rows = set(Child.objects.filter(pk__in=visible_child_rows(agency)))
        assert set(Child.objects.filter(pk__in=visible_child_ids(agency))) == by_rows
        assert set(children_of_visible_ids(officer)) == by_rows
    assert world.child in Child.objects.filter(pk__in=visible_child_ids(world.owner.agency))
    assert world.child not in Child.objects.filter(
        pk__in=visible_child_ids(world.uninvolved.agency)
    )
    assert other in Child.objects.filter(pk__in=visible_child_ids(world.involved.agency))
    assert other not in Child.objects.filter(pk__in=visible_child_ids(world.owner.agency))


def test_the_door_reads_the_permission_in_each_statement_not_a_cached_id(world):
    """The door's compiled SQL holds no permission id: the permission is looked up by its
    codename in each statement, so a grant made or withdrawn just now counts at once."""
    from cse_portal.access import visible_child_ids

    owner_agency = world.owner.agency
    assert world.child in Child.objects.filter(pk__in=visible_child_ids(owner_agency))
    query = str(Child.objects.filter(pk__in=visible_child_ids(owner_agency)).query)
    view_child = Permission.objects.get(codename="view_child", content_type__app_label="cse_portal")
    assert "view_child" in query and f'permission_id" = {view_child.pk}' not in query
    services.child_share(
        child=world.child, agency=world.uninvolved.agency, by=world.owner, reason="Health visits."
    )
    assert world.child in Child.objects.filter(pk__in=visible_child_ids(world.uninvolved.agency))


def test_the_lists_total_counts_the_children_the_door_lets_through(world):
    from cse_portal.access import count_visible_children

    make_child(by=world.involved, first_name="Robin")
    admin = OfficerFactory(agency=None, role=Officer.Role.SYSTEM_ADMINISTRATOR, is_superuser=True)
    for officer in (world.owner, world.involved, world.uninvolved, world.csc_officer, admin):
        assert count_visible_children(officer) == children_visible_to(officer).count()
    assert count_visible_children(world.involved) == 2
    assert count_visible_children(admin) == 0
    world.involved.is_active = False
    assert count_visible_children(world.involved) == 0
