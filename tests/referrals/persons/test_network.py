"""Persons of concern across children (G30, G31): one record linked to every child, picked
among the persons linked to children the officer may see; on a child's record, the other
children linked, by name only where the officer may see them; the guidance's prompts."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from cse_portal.access import can_convene
from cse_portal.models import AccessLog
from referrals import selectors_persons
from referrals.models import PersonLink, PersonOfConcern, Referral
from tests.conftest import World, sign_in
from tests.pdf_helpers import fetch_pdf, pdf_text
from tests.referrals.persons.conftest import HIDDEN_FIRST, HIDDEN_LAST, HIDDEN_SCHOOL, Network
from tests.referrals.persons.factories import draft_for, named_person


def record(client, child) -> str:
    response = client.get(reverse("children:detail", kwargs={"child_pk": child.pk}))
    assert response.status_code == 200
    return response.content.decode()


def section(page: str) -> str:
    start = page.index('id="persons-of-concern"')
    return page[start : start + 8000]


def plain(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.guidance("G30")
def test_one_person_is_linked_to_every_child_it_concerns(world: World, network: Network):
    links = PersonLink.objects.filter(person=network.person)
    assert {link.child_id for link in links} == {
        world.child.pk,
        network.child_b.pk,
        network.hidden.pk,
    }
    assert PersonOfConcern.objects.filter(full_name="Marcus Vale").count() == 1


@pytest.mark.guidance("G30")
def test_picking_a_known_person_on_a_referral_links_the_same_record(
    world: World, network: Network, involved_client
):
    from tests.factories import make_child

    child = make_child(by=world.involved, first_name="Carys", last_name="Third")
    referral = draft_for(child, world.involved)
    url = reverse("referrals:person_pick", kwargs={"child_pk": child.pk, "pk": referral.pk})
    found = involved_client.get(url, {"q": "vee"})
    assert "Marcus Vale" in found.content.decode()
    version = Referral.objects.get(pk=referral.pk).version
    response = involved_client.post(
        f"{url}?q=vee", {"person": network.person.pk, "relationship_to_child": "Collects her"}
    )
    assert response.status_code == 302
    link = PersonLink.objects.get(referral=referral)
    assert link.person_id == network.person.pk
    assert link.relationship_to_child == "Collects her"
    # The draft changed: a save begun before it is stale (optimistic locking).
    assert Referral.objects.get(pk=referral.pk).version == version + 1
    # Posted again (a double click): still one link.
    involved_client.post(f"{url}?q=vee", {"person": network.person.pk})
    assert PersonLink.objects.filter(referral=referral).count() == 1


@pytest.mark.guidance("G30")
def test_the_search_finds_only_persons_linked_to_children_the_agency_may_see(
    world: World, network: Network
):
    from tests.factories import make_child

    other = make_child(by=world.uninvolved, first_name="Harriet", last_name="Healthonly")
    named_person(other, world.uninvolved, full_name="Marcus Hidden")
    assert [p.full_name for p in selectors_persons.person_search(world.involved, "marcus")] == [
        "Marcus Vale"
    ]
    assert [p.full_name for p in selectors_persons.person_search(world.uninvolved, "marcus")] == [
        "Marcus Hidden"
    ]
    # By nickname, and every word must match.
    assert selectors_persons.person_search(world.owner, "vee") == [network.person]
    assert selectors_persons.person_search(world.owner, "vee nobody") == []


@pytest.mark.guidance("G30")
def test_a_person_in_another_agencys_draft_is_not_offered(world: World):
    named_person(world.child, world.involved, sent=False, full_name="Drafted Dennis")
    assert selectors_persons.person_search(world.owner, "dennis") == []
    assert [p.full_name for p in selectors_persons.person_search(world.involved, "dennis")] == [
        "Drafted Dennis"
    ]


@pytest.mark.guidance("G30")
def test_posting_the_id_of_a_person_the_agency_may_not_see_is_refused(
    world: World, network: Network, owner_client
):
    from tests.factories import make_child

    other = make_child(by=world.uninvolved, first_name="Harriet", last_name="Healthonly")
    stranger = named_person(other, world.uninvolved, full_name="Marcus Hidden")
    referral = draft_for(world.child, world.owner)
    url = reverse("referrals:person_pick", kwargs={"child_pk": world.child.pk, "pk": referral.pk})
    response = owner_client.post(url, {"person": stranger.pk})
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page and "Select a person from the list" in page
    assert "Marcus Hidden" not in page
    assert not PersonLink.objects.filter(referral=referral).exists()


@pytest.mark.guidance("G30")
def test_the_record_names_only_the_other_children_the_officer_may_see(
    world: World, network: Network, owner_client, involved_client
):
    school = plain(section(record(owner_client, world.child)))
    assert "Marcus Vale" in school
    assert "Bethany" not in school  # the police's record, not shared with the school
    assert "None that you can see" in school
    # The school does not convene: it is not told there are others.
    assert "cannot see" not in school
    police = plain(section(record(involved_client, world.child)))
    assert "Bethany Second" in police
    assert "also linked to fewer than five other children whose records your agency cannot see" in (
        police
    )


@pytest.mark.guidance("G30")
def test_children_social_care_and_police_are_told_of_hidden_children_without_who(
    world: World, network: Network, csc_client
):
    page = section(record(csc_client, world.child))
    assert "fewer than five other children" in page
    assert "1 other" not in plain(page)


def test_the_hidden_count_is_exact_only_from_five():
    network = selectors_persons.PersonNetwork(person=PersonOfConcern(), links=[], show_hidden=True)
    network.hidden_children = 4
    assert network.hidden_phrase == "fewer than five other children"
    network.hidden_children = 5
    assert network.hidden_phrase == "5 other children"
    network.show_hidden = False
    assert network.hidden_phrase == ""


LEAKS = (HIDDEN_FIRST, HIDDEN_LAST, HIDDEN_SCHOOL)


def _pages_of(client, world: World, network: Network) -> dict[str, str]:
    child = world.child
    person = network.person
    kwargs = {"child_pk": child.pk, "person_pk": person.pk}
    referral = draft_for(child, client.officer)
    pick = reverse("referrals:person_pick", kwargs={"child_pk": child.pk, "pk": referral.pk})
    pages = {
        "record": record(client, child),
        "person": client.get(reverse("referrals:person_detail", kwargs=kwargs)).content.decode(),
        "picker": client.get(pick, {"q": "marcus"}).content.decode(),
        "history": client.get(
            reverse("children:audit", kwargs={"child_pk": child.pk})
        ).content.decode(),
        "pdf": pdf_text(
            fetch_pdf(client, reverse("children:record_pdf", kwargs={"child_pk": child.pk})).content
        ),
    }
    if selectors_persons.is_convening(client.officer):
        merge = reverse("referrals:person_merge", kwargs=kwargs)
        pages["merge"] = client.get(merge, {"q": "marcus"}).content.decode()
    return pages


@pytest.mark.guidance("G30")
@pytest.mark.parametrize("who", ["owner", "involved", "csc_officer"])
def test_a_child_outside_the_officers_access_appears_on_no_page_or_pdf(
    world: World, network: Network, who: str
):
    from django.test import Client

    officer = getattr(world, who)
    client = sign_in(Client(), officer)
    client.officer = officer  # type: ignore[attr-defined]
    reference = network.hidden.reference
    for name, text in _pages_of(client, world, network).items():
        assert "Marcus Vale" in text or name in {"history"}, name
        for secret in (*LEAKS, reference, str(network.hidden.pk)):
            assert secret not in text, f"{secret} leaked on the {name} page for {who}"


@pytest.mark.guidance("G31")
def test_a_person_under_18_is_flagged_as_possibly_also_a_victim(world: World, owner_client):
    named_person(world.child, world.owner, nicknames="Little J", approximate_age=16)
    named_person(world.child, world.owner, full_name="Grown Adult", approximate_age=40)
    page = section(record(owner_client, world.child))
    cards = page.split('class="govuk-summary-card app-person-network"')[1:]
    young = next(c for c in cards if "Little J" in c)
    adult = next(c for c in cards if "Grown Adult" in c)
    assert "Under 18: possibly also a victim" in young
    assert "two separate meetings" in young and "AIM" in young
    assert 'data-prompt="under-18"' not in adult


@pytest.mark.guidance("G30")
def test_a_person_linked_to_several_children_prompts_a_referral_and_a_separate_meeting(
    world: World, network: Network, involved_client, owner_client
):
    police = section(record(involved_client, world.child))
    assert 'data-prompt="several-children"' in police
    assert "a referral to children's social care about the other children" in plain(police)
    assert "separate meeting is needed on the adult" in plain(police)
    # The school sees no other child and is not told of hidden ones: no prompt to give away.
    assert 'data-prompt="several-children"' not in section(record(owner_client, world.child))


def test_a_person_linked_to_one_child_gives_no_several_children_prompt(world, owner_client):
    named_person(world.child, world.owner, full_name="Only Once")
    assert 'data-prompt="several-children"' not in section(record(owner_client, world.child))


def test_the_person_page_is_logged_with_the_child(world: World, network: Network, owner_client):
    url = reverse(
        "referrals:person_detail",
        kwargs={"child_pk": world.child.pk, "person_pk": network.person.pk},
    )
    assert owner_client.get(url).status_code == 200
    row = AccessLog.objects.filter(officer=world.owner).latest("pk")
    assert row.child_id == world.child.pk
    assert row.object_type == "person of concern"
    assert row.object_id == str(network.person.pk)


def test_a_person_not_linked_to_the_child_answers_404(world: World, network: Network, owner_client):
    from tests.factories import make_child

    other = make_child(by=world.owner, first_name="Other", last_name="Child")
    url = reverse(
        "referrals:person_detail", kwargs={"child_pk": other.pk, "person_pk": network.person.pk}
    )
    assert owner_client.get(url).status_code == 404
    # Through the hidden child's id: 404, like a child that does not exist.
    url = reverse(
        "referrals:person_detail",
        kwargs={"child_pk": network.hidden.pk, "person_pk": network.person.pk},
    )
    assert owner_client.get(url).status_code == 404


def test_what_the_officer_writes_when_picking_gets_the_language_prompt(
    world: World, network: Network, involved_client
):
    from tests.factories import make_child

    child = make_child(by=world.involved, first_name="Carys", last_name="Third")
    referral = draft_for(child, world.involved)
    url = reverse("referrals:person_pick", kwargs={"child_pk": child.pk, "pk": referral.pk})
    page = involved_client.post(
        url,
        {"person": network.person.pk, "relationship_to_child": "Her boyfriend"},
        follow=True,
    ).content.decode()
    assert "app-language-flags" in page and "boyfriend" in page


@pytest.mark.guidance("G31")
def test_csc_is_offered_a_separate_meeting_on_a_person_linked_to_several_children(
    world: World, network: Network, csc_client, involved_client
):
    convene = reverse(
        "strategy_meetings:person_meeting_convene", kwargs={"person_pk": network.person.pk}
    )
    csc_section = section(record(csc_client, world.child))
    assert 'data-prompt="several-children"' in csc_section
    assert f'href="{convene}"' in csc_section
    assert csc_client.get(convene).status_code == 200
    # Only children's social care convenes: the police get the prompt, not the link.
    police_section = section(record(involved_client, world.child))
    assert 'data-prompt="several-children"' in police_section
    assert convene not in police_section


@pytest.mark.guidance("G31")
def test_the_convene_link_and_the_convening_page_ask_the_one_rule(world: World, network: Network):
    """The prompts offer "Convene a separate meeting" exactly to whom the convening page
    opens: both ask cse_portal.access.can_convene (children's social care)."""
    convene = reverse(
        "strategy_meetings:person_meeting_convene", kwargs={"person_pk": network.person.pk}
    )
    person_page = reverse(
        "referrals:person_detail",
        kwargs={"child_pk": world.child.pk, "person_pk": network.person.pk},
    )
    seen = []
    for officer in (world.csc_officer, world.involved, world.owner):
        client = sign_in(Client(), officer)
        offered = f'href="{convene}"' in client.get(person_page).content.decode()
        opens = client.get(convene).status_code == 200
        assert offered == opens == can_convene(officer), officer.agency
        seen.append(offered)
    assert seen == [True, False, False]  # children's social care; not the police, not a school
    world.csc_officer.is_active = False
    world.csc_officer.save()
    assert not can_convene(world.csc_officer)
