"""An approximate age grows with time and does not drift back at each edit: the edit form
shows today's age; saving it unchanged keeps the day it was recorded; a new age restarts it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cse_portal import services
from cse_portal.models import Child
from tests.factories import make_child


def _recorded_years_ago(child: Child, years: int) -> Child:
    """The child's approximate age as if recorded `years` (and a few days) ago."""
    recorded = timezone.localdate() - timedelta(days=365 * years + 3)
    Child.objects.filter(pk=child.pk).update(approximate_age_recorded_on=recorded)
    child.refresh_from_db()
    return child


@pytest.fixture
def estimated(world) -> Child:
    """A boy recorded as "about 14" two years ago: about 16 today, in the 16-17 risk group."""
    child = make_child(by=world.owner, first_name="Reece", last_name="Estimate", approximate_age=14)
    return _recorded_years_ago(child, 2)


def _edit_payload(world, child: Child, **changes) -> dict[str, str]:
    data = {
        "is_identified": "True",
        "first_name": child.first_name,
        "last_name": child.last_name,
        "gender": child.gender,
        "ethnicity": child.ethnicity,
        "looked_after_status": child.looked_after_status,
        "home_authority": str(child.home_authority_id),
        "approximate_age": str(child.age),
        "version": str(child.version),
    }
    data.update(changes)
    return data


def test_the_edit_form_shows_todays_approximate_age_not_the_stored_one(owner_client, estimated):
    assert estimated.age == 16
    page = owner_client.get(reverse("children:edit", kwargs={"child_pk": estimated.pk}))
    html = page.content.decode()
    assert 'name="approximate_age" value="16"' in html


def test_editing_another_field_keeps_the_age_and_the_day_it_was_recorded(
    owner_client, world, estimated
):
    recorded_on = estimated.approximate_age_recorded_on
    url = reverse("children:edit", kwargs={"child_pk": estimated.pk})
    response = owner_client.post(
        url, _edit_payload(world, estimated, school_or_setting="Northdale College")
    )
    assert response.status_code == 302
    child = Child.objects.get(pk=estimated.pk)
    assert child.school_or_setting == "Northdale College"
    assert (child.approximate_age, child.approximate_age_recorded_on) == (14, recorded_on)
    assert child.age == 16
    assert "Aged 16 or 17" in child.derived_risk_groups()


def test_a_new_approximate_age_is_recorded_today(owner_client, world, estimated):
    url = reverse("children:edit", kwargs={"child_pk": estimated.pk})
    response = owner_client.post(url, _edit_payload(world, estimated, approximate_age="15"))
    assert response.status_code == 302
    child = Child.objects.get(pk=estimated.pk)
    assert (child.approximate_age, child.approximate_age_recorded_on) == (
        15,
        timezone.localdate(),
    )
    assert child.age == 15


def test_the_service_keeps_an_unchanged_age_for_writes_that_are_not_forms(world, estimated):
    recorded_on = estimated.approximate_age_recorded_on
    child = services.child_update(
        child=estimated,
        by=world.owner,
        data={"known_as": "Ree", "approximate_age": 16},
        expected_version=estimated.version,
    )
    assert (child.approximate_age, child.approximate_age_recorded_on) == (14, recorded_on)
    child = services.child_update(
        child=child, by=world.owner, data={"known_as": "R"}, expected_version=child.version
    )
    assert (child.approximate_age, child.approximate_age_recorded_on) == (14, recorded_on)


def test_removing_the_age_or_giving_a_date_of_birth_clears_the_estimate(world, estimated):
    child = services.child_update(
        child=estimated,
        by=world.owner,
        data={"approximate_age": None},
        expected_version=estimated.version,
    )
    assert (child.approximate_age, child.approximate_age_recorded_on) == (None, None)
    assert child.age is None


def test_an_age_given_where_there_was_a_date_of_birth_is_recorded_today(world):
    today = timezone.localdate()
    born = date(today.year - 13, today.month, min(today.day, 28))
    child = make_child(by=world.owner, first_name="Dana", date_of_birth=born)
    child = services.child_update(
        child=child,
        by=world.owner,
        data={"date_of_birth": None, "approximate_age": 13},
        expected_version=child.version,
    )
    assert (child.approximate_age, child.approximate_age_recorded_on) == (13, today)
