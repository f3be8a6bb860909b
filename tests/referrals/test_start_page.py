"""The start page of a referral: the CSE1's details, from a child's record or from a screening
that concluded "refer"."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from referrals.models import Referral
from tests.referrals.pages import DETAILS_POST, L, R, hidden, text


def test_posting_the_start_form_twice_makes_one_referral(owner_client, world):
    start = reverse("referrals:start", kwargs={"child_pk": world.child.pk})
    key = hidden(owner_client.get(start), "creation_key")
    first = owner_client.post(start, {**DETAILS_POST, "creation_key": key})
    second = owner_client.post(start, {**DETAILS_POST, "creation_key": key})
    assert first["Location"] == second["Location"]
    assert Referral.objects.count() == 1


@pytest.mark.guidance("G06")
def test_a_screening_that_concludes_refer_starts_a_referral_with_its_indicators(
    owner_client, world, refer_screening
):
    start = reverse("referrals:start", kwargs={"child_pk": world.child.pk})
    start += f"?screening={refer_screening.pk}"
    page = owner_client.get(start)
    assert page.status_code == 200 and "will be copied into the referral" in text(page)
    owner_client.post(start, {**DETAILS_POST, "creation_key": hidden(page, "creation_key")})
    referral = Referral.objects.get()
    assert referral.screening == refer_screening
    assert referral.indicators.count() == 2
    assert owner_client.get(start)["Location"] == referral.get_absolute_url()
    assert owner_client.get(start.replace(f"={refer_screening.pk}", "=abc")).status_code == 404


def test_only_the_screening_agency_refers_from_its_screening(
    involved_client, world, refer_screening
):
    start = reverse("referrals:start", kwargs={"child_pk": world.child.pk})
    assert involved_client.get(f"{start}?screening={refer_screening.pk}").status_code == 404


@pytest.mark.guidance("G38")
def test_replaced_terms_are_flagged_on_the_next_page_and_the_save_goes_ahead(owner_client, world):
    start = reverse("referrals:start", kwargs={"child_pk": world.child.pk})
    key = hidden(owner_client.get(start), "creation_key")
    response = owner_client.post(
        start,
        {
            **DETAILS_POST,
            "creation_key": key,
            "basis_of_concern": "Her boyfriend, aged 30, acts as her pimp.",
        },
        follow=True,
    )
    referral = Referral.objects.get()
    assert referral.basis_of_concern == "Her boyfriend, aged 30, acts as her pimp."
    page = text(response)
    assert f"You wrote {L}pimp{R} — the guidance asks us to say {L}coercer{R}" in page
    assert f"You wrote {L}boyfriend{R}" in page
    assert "not as the child&#x27;s boyfriend" in page or "not as the child's boyfriend" in page


def test_missing_answers_are_listed_in_the_error_summary_and_answers_kept(owner_client, world):
    start = reverse("referrals:start", kwargs={"child_pk": world.child.pk})
    response = owner_client.post(
        start,
        {
            "creation_key": str(uuid.uuid4()),
            "basis_of_concern": "Something I saw",
            "parents_know": "no",
            "young_person_consents": "refused",
        },
    )
    page = text(response)
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert "Give the reason the parents or carers have not been told" in page
    assert "Select the lawful basis" in page
    assert "Select whether the young person knows" in page
    assert "Something I saw" in page
    assert not Referral.objects.exists()
