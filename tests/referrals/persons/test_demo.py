"""The demo's persons of concern across children: Marcus Webb linked to three children by
two agencies (the school may not see one of them), a person under 18, and disruption
actions against Marcus; loading again adds nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from cse_portal.access import children_visible_to
from cse_portal.models import Agency, Officer
from referrals.models import DisruptionAction, PersonLink, PersonOfConcern
from referrals.selectors_persons import persons_section


@pytest.mark.django_db
@pytest.mark.guidance("G30")
@pytest.mark.guidance("G31")
@pytest.mark.guidance("G32")
def test_the_demo_links_one_person_to_three_children_across_two_agencies(module_demo):
    assert "skipped the demo referral" not in module_demo
    marcus = PersonOfConcern.objects.get(full_name="Marcus Webb")
    links = list(PersonLink.objects.filter(person=marcus).select_related("child", "referral"))
    assert len({link.child_id for link in links}) == 3
    assert {link.linked_by_agency.name for link in links if link.assessment_id is None} == {
        "Northdale Police",
        "Brookfield Academy",
    }
    # Children's social care named him again in its latest assessment of Jasmine (G30).
    by_assessment = [link for link in links if link.assessment_id is not None]
    assert [(link.child.first_name, link.linked_by_agency.name) for link in by_assessment] == [
        ("Jasmine", "Northdale Children's Social Care")
    ]
    school = Officer.objects.get(username="school.practitioner")
    visible = set(children_visible_to(school).values_list("pk", flat=True))
    unseen = [link.child for link in links if link.child_id not in visible]
    assert [c.first_name for c in unseen] == ["Kofi"]
    zain = next(link.child for link in links if link.child.first_name == "Zain")
    network = next(n for n in persons_section(zain, school)["networks"] if n.person == marcus)
    assert [c.first_name for c in network.other_children] == ["Jasmine"]
    assert network.hidden_phrase == ""  # the school does not convene
    assert any(p.is_under_18 for p in PersonOfConcern.objects.all())
    assert DisruptionAction.objects.filter(person=marcus).count() == 2
    call_command("load_demo", "--quiet", stdout=io.StringIO())
    assert PersonLink.objects.filter(person=marcus).count() == len(links)
    assert DisruptionAction.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.guidance("G30")
def test_the_demo_has_a_place_recurring_across_two_children_of_different_agencies(module_demo):
    from referrals.models import ReferralPlace
    from referrals.selectors_places import places_section

    places = ReferralPlace.objects.filter(match_key="N:HARBOURLANECARPARK").select_related(
        "referral__child", "referral__referring_agency"
    )
    assert {p.referral.child.first_name for p in places} == {"Riley", "Zain"}
    assert len({p.referral.referring_agency_id for p in places}) == 2
    zain = next(p.referral.child for p in places if p.referral.child.first_name == "Zain")
    csc = Officer.objects.filter(agency__kind=Agency.Kind.CHILDRENS_SOCIAL_CARE).first()
    assert csc is not None
    [place] = places_section(zain, csc)["places"]
    assert [c.first_name for c in place.other_children] == ["Riley"]
