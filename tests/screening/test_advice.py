"""The agency CSE lead officer's advice on screenings that conclude "discuss with the lead
officer" [seed 000, "The Role of the Lead Officer"]."""

from __future__ import annotations

import uuid

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse

from cse_portal import services as core_services
from cse_portal.models import Agency
from screening.models import Conclusion, ScreeningAdvice
from tests.conftest import sign_in
from tests.factories import AgencyFactory, OfficerFactory, make_child
from tests.screening.factories import make_screening
from tests.screening.helpers import at_once

AWAITING = reverse("screening:awaiting_advice")


def advice_url(screening) -> str:
    return reverse("screening:advice", kwargs={"child_pk": screening.child_id, "pk": screening.pk})


def discuss(child, by, **kwargs):
    return make_screening(
        child=child, by=by, present=("F-03",), submit=True, conclusion=Conclusion.DISCUSS, **kwargs
    )


def test_lead_officer_sees_only_their_agencys_screenings_awaiting_advice(
    lead_client, world, catalogue
) -> None:
    ours = discuss(world.child, world.owner)
    police_lead = OfficerFactory(agency=world.police, is_cse_lead=True)
    theirs = discuss(world.child, world.involved)  # police, same child
    no_concern = make_screening(child=world.child, by=world.owner, submit=True)
    draft = make_screening(child=world.child, by=world.owner)

    listed = list(lead_client.get(AWAITING).context["screenings"])

    assert listed == [ours]
    assert theirs not in listed and no_concern not in listed and draft not in listed
    police_listed = list(
        sign_in(lead_client.__class__(), police_lead).get(AWAITING).context["screenings"]
    )
    assert police_listed == [theirs]


def test_awaiting_list_leaves_out_children_the_lead_officer_cannot_see(
    lead_client, world, catalogue
) -> None:
    # A child recorded by the police and shared with no one: the school cannot see it, even
    # if a school officer had screened the child before the record stopped being shared.
    hidden_child = make_child(by=world.involved, first_name="Hidden")
    core_services.child_share(
        child=hidden_child, agency=world.school, by=world.involved, reason="School"
    )
    screening = discuss(hidden_child, world.owner)
    involvement = hidden_child.involvements.get(agency=world.school)
    core_services.involvement_end(involvement=involvement, by=world.involved, reason="Left school")

    assert screening not in list(lead_client.get(AWAITING).context["screenings"])


def test_only_lead_officers_have_the_awaiting_advice_page(owner_client, lead_client, world) -> None:
    assert owner_client.get(AWAITING).status_code == 403
    assert (
        "Screenings awaiting advice"
        not in owner_client.get(world.child.get_absolute_url()).content.decode()
    )
    assert "Screenings awaiting advice" in lead_client.get(AWAITING).content.decode()


def test_lead_officer_records_advice_and_the_screener_sees_it(
    lead_client, owner_client, world, catalogue
) -> None:
    screening = discuss(world.child, world.owner)
    response = lead_client.post(
        advice_url(screening), {"text": "Speak to the school nurse; refer if it happens again."}
    )

    assert response["Location"] == screening.get_absolute_url()
    advice = ScreeningAdvice.objects.get(screening=screening)
    assert advice.given_by == world.lead
    assert advice.given_at is not None
    assert list(lead_client.get(AWAITING).context["screenings"]) == []
    page = owner_client.get(screening.get_absolute_url()).content.decode()
    assert "Speak to the school nurse; refer if it happens again." in page
    assert "Leah Lead" in page
    screening.refresh_from_db()
    assert screening.is_submitted  # the screening itself is unchanged


def test_advice_needs_text(lead_client, world, catalogue) -> None:
    screening = discuss(world.child, world.owner)
    response = lead_client.post(advice_url(screening), {"text": "   "})
    assert response.status_code == 200
    assert "Enter your advice" in response.content.decode()
    assert not ScreeningAdvice.objects.exists()


def test_only_the_screening_agencys_lead_officer_can_advise(owner_client, world, catalogue) -> None:
    screening = discuss(world.child, world.owner)
    police_lead = OfficerFactory(agency=world.police, is_cse_lead=True)
    police_client = sign_in(owner_client.__class__(), police_lead)
    assert owner_client.get(advice_url(screening)).status_code == 403
    assert police_client.post(advice_url(screening), {"text": "x"}).status_code == 403
    assert not ScreeningAdvice.objects.exists()


def test_advice_cannot_be_changed_in_the_database(world, catalogue) -> None:
    screening = discuss(world.child, world.owner)
    advice = ScreeningAdvice.objects.create(screening=screening, text="First", given_by=world.lead)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE screening_screeningadvice SET text = 'x' WHERE id = %s", [advice.pk])


def test_other_agencies_lead_officer_of_another_area_sees_nothing(world, catalogue) -> None:
    south_school = AgencyFactory(kind=Agency.Kind.EDUCATION, local_authority=world.south)
    south_lead = OfficerFactory(agency=south_school, is_cse_lead=True)
    discuss(world.child, world.owner)
    assert list(sign_in(Client(), south_lead).get(AWAITING).context["screenings"]) == []


# --- One form, one piece of advice (issue 7: parallel posts made duplicates) --------------


def test_the_same_advice_form_posted_twice_records_the_advice_once(
    lead_client, world, catalogue
) -> None:
    screening = discuss(world.child, world.owner)
    form = lead_client.get(advice_url(screening)).context["form"]
    key = form["creation_key"].value()
    data = {"text": "Speak to the school nurse.", "creation_key": key}
    first, second = (
        lead_client.post(advice_url(screening), data),
        lead_client.post(advice_url(screening), data),
    )
    assert first.status_code == second.status_code == 302
    assert ScreeningAdvice.objects.filter(screening=screening).count() == 1
    # Further advice is a further form, with its own key.
    again = lead_client.get(advice_url(screening)).context["form"]["creation_key"].value()
    assert again != key


def test_an_advice_form_posted_on_another_screening_is_refused_clearly(
    lead_client, world, catalogue
) -> None:
    first, other = discuss(world.child, world.owner), discuss(world.child, world.owner)
    key = str(uuid.uuid4())
    lead_client.post(advice_url(first), {"text": "Advice", "creation_key": key})
    response = lead_client.post(advice_url(other), {"text": "Advice", "creation_key": key})
    assert response.status_code == 200
    assert "This form has already been used" in response.content.decode()
    assert not other.advice.exists()


@pytest.mark.django_db(transaction=True)
def test_parallel_posts_of_one_advice_form_record_it_once_and_answer_each(world, catalogue) -> None:
    screening = discuss(world.child, world.owner)
    data = {"text": "Speak to the school nurse.", "creation_key": str(uuid.uuid4())}
    clients = [sign_in(Client(), world.lead) for _ in range(4)]
    responses = at_once(lambda i: clients[i].post(advice_url(screening), data), 4)
    assert [getattr(r, "status_code", r) for r in responses] == [302] * 4
    assert ScreeningAdvice.objects.filter(screening=screening).count() == 1
