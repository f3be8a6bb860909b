"""The caseload and the themes cost the same queries for 5 or 500 children (G34, G35)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cse_portal.models import Child, ChildGroupObjectPermission, Gender, Involvement
from referrals.models import MissingEpisode
from tests.caseload.conftest import screened

pytestmark = pytest.mark.django_db


def _queries(client, name: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(name))
    assert response.status_code == 200
    return len(captured.captured_queries)


def bulk_children(world, count: int) -> None:
    """`count` children of the school, with their involvement, the school's permission to
    see them and a missing episode each, inserted in bulk."""
    start = Child.objects.count()
    children = Child.objects.bulk_create(
        Child(
            first_name=f"Bulk{start + i}",
            last_name="Child",
            gender=[Gender.MALE, Gender.FEMALE][i % 2],
            approximate_age=10 + i % 8,
            home_authority=world.north,
            owning_agency=world.school,
            created_by=world.owner,
        )
        for i in range(count)
    )
    view = Permission.objects.get(codename="view_child")
    ChildGroupObjectPermission.objects.bulk_create(
        ChildGroupObjectPermission(group=world.school.group, permission=view, content_object=c)
        for c in children
    )
    Involvement.objects.bulk_create(
        Involvement(child=c, agency=world.school, reason="created_record", granted_by=world.owner)
        for c in children
    )
    MissingEpisode.objects.bulk_create(
        MissingEpisode(
            child=c,
            recorded_by=world.owner,
            recording_agency=world.school,
            reported_missing_at=timezone.now() - timedelta(days=3),
            reported_by_name="Foster carer",
        )
        for c in children
    )


@pytest.mark.guidance("G34")
@pytest.mark.guidance("G35")
@pytest.mark.parametrize("name", ["caseload", "themes"])
def test_the_page_costs_the_same_queries_for_5_or_500_children(lead_client, world, name):
    screened(world.child, world.owner, "A1-01")
    bulk_children(world, 4)
    assert Child.objects.count() == 5
    few = _queries(lead_client, name)
    bulk_children(world, 495)
    many = _queries(lead_client, name)
    assert many == few
    if name == "caseload":
        assert lead_client.get(reverse(name)).context["total"] == 500
