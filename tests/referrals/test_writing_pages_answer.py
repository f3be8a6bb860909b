"""What the writing pages answer besides a save: a 404 for a screening that is not a number,
an access-log row whenever a page shows the child (a refused POST too), a record of a child
not yet identified that its own edit page accepts, and the language prompts (G38) for what
the screening carried over and what its "refer" path found."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from cse_portal import language
from cse_portal.models import AccessLog, Child
from referrals import services
from referrals.models import Referral, ReferralIndicator
from tests.referrals.conftest import COMPLETE_DETAILS
from tests.referrals.forms import posted_as_is
from tests.referrals.pages import DETAILS_POST, L, R, hidden, text, url

# --- The screening to refer from ------------------------------------------------------------


@pytest.mark.parametrize(
    # Superscript two; Arabic-Indic one, and three-four: digits to str.isdigit(), not to us.
    "screening",
    ["\u00b2", "\u0661", "\u0663\u0664", "1\u00b2", "99999999999999999999", "-1", "1.0", " 1"],
)
def test_a_screening_that_is_not_a_plain_number_is_not_found(owner_client, world, screening):
    start = reverse("referrals:start", kwargs={"child_pk": world.child.pk})
    assert owner_client.get(start, {"screening": screening}).status_code == 404


# --- The access log -------------------------------------------------------------------------


def _logged(child: Child, object_type: str) -> int:
    return AccessLog.objects.filter(
        child=child, action=AccessLog.Action.VIEW, object_type=object_type
    ).count()


def test_a_refused_post_of_the_start_page_is_logged_as_a_view_of_the_child(owner_client, world):
    start = reverse("referrals:start", kwargs={"child_pk": world.child.pk})
    response = owner_client.post(start, {"basis_of_concern": "x"})
    assert response.status_code == 200 and "Jamie Testchild" in text(response)
    assert _logged(world.child, "referral (start)") == 1


def test_every_writing_page_logs_a_refused_post(owner_client, world, draft):
    link = services.referral_person_add(referral=draft, by=world.owner, data={"full_name": "A"})
    pages = [
        ("edit", {}, "referral (edit)"),
        ("persons", {}, "referral (persons of concern)"),
        ("places", {}, "referral (places of concern)"),
        ("submit", {}, "referral (send)"),
    ]
    for name, data, object_type in pages:
        assert owner_client.post(url(name, draft), data).status_code == 200
        assert _logged(world.child, object_type) == 1, name
    person_page = url("person_edit", draft, link_pk=link.pk)
    assert owner_client.post(person_page, {"version": "1"}).status_code == 200
    assert _logged(world.child, "referral (person of concern)") == 1


# --- A child not yet identified: the joined description fits the cap ---------------------


def _unidentified(description: str, places: str = "", associates: str = "", **extra):
    return {
        "creation_key": str(uuid.uuid4()),
        "description": description,
        "places": places,
        "associates": associates,
        "gender": "not_known",
        **extra,
    }


def test_what_is_known_about_an_unidentified_child_is_capped_as_one_text(owner_client, world):
    page = reverse("referrals:start_unidentified")
    # Each answer within the cap of one answer; together (with their labels) past it.
    response = owner_client.post(
        page,
        _unidentified("d" * 6_000, "p" * 3_000, "a" * 1_000, home_authority=world.north.pk),
    )
    assert response.status_code == 200
    page_text = text(response)
    labels = len("\n\nPlaces seen: ") + len("\n\nSeen with: ")
    excess = 6_000 + 3_000 + 1_000 + labels - 10_000
    assert f"saved together, in at most 10,000 characters: shorten them by {excess} characters" in (
        page_text
    )
    assert 'href="#id_description"' in page_text  # the longest of the three
    assert "p" * 3_000 in page_text  # kept
    assert not Child.objects.filter(is_identified=False).exists()


def test_every_unidentified_child_recorded_can_be_edited(owner_client, world):
    # As long as it can be: 10,000 characters once joined.
    joined_extra = len("\n\nPlaces seen: ") + len("\n\nSeen with: ")
    description = "d" * (10_000 - joined_extra - 2_000)
    response = owner_client.post(
        reverse("referrals:start_unidentified"),
        _unidentified(description, "p" * 1_000, "a" * 1_000, home_authority=world.north.pk),
    )
    assert response.status_code == 302
    child = Child.objects.get(is_identified=False)
    assert len(child.description) == 10_000
    # The child's own edit page, saved as it comes: accepted.
    edit = reverse("children:edit", kwargs={"child_pk": child.pk})
    saved = owner_client.post(edit, posted_as_is(owner_client.get(edit)))
    assert saved.status_code == 302, text(saved)[-3000:]


# --- Language (G38) -------------------------------------------------------------------------


@pytest.mark.guidance("G38")
def test_the_check_page_flags_the_notes_carried_over_from_the_screening(
    owner_client, world, refer_screening
):
    referral, _ = services.referral_create(
        child=world.child, by=world.owner, data=COMPLETE_DETAILS, screening=refer_screening
    )
    ReferralIndicator.objects.filter(referral=referral, note="Told a teacher").update(
        note="Told a teacher her pimp takes her to parties"
    )
    # The catalogue's own wording is never flagged, whatever it says.
    ReferralIndicator.objects.create(
        referral=referral,
        position=99,
        code="TEST-1",
        heading="T — Test",
        text="Has an older boyfriend or girlfriend",
        kind="sign",
        kind_label="Sign",
    )
    flagged = ReferralIndicator.objects.get(referral=referral, position=1)
    for page in ("submit", "detail"):
        content = text(owner_client.get(url(page, referral)))
        assert f"Note from the screening on “{flagged.text}”" in content, page
        assert f"You wrote {L}pimp{R}" in content
        assert f"You wrote {L}boyfriend{R}" not in content
        assert "Has an older boyfriend or girlfriend" in content  # shown, not flagged


@pytest.mark.guidance("G38")
def test_the_start_page_shows_what_the_screenings_refer_path_flagged(
    owner_client, world, refer_screening
):
    session = owner_client.session
    language.stash_flags(
        type("Request", (), {"session": session})(),
        {"Your reasons": language.flag_terms("She is streetwise and her punter pays her")},
    )
    session.save()
    start = reverse("referrals:start", kwargs={"child_pk": world.child.pk})
    page = owner_client.get(start, {"screening": refer_screening.pk})
    content = text(page)
    assert "In “Your reasons”" in content
    assert f"You wrote {L}streetwise{R}" in content and f"You wrote {L}punter{R}" in content
    # Shown once: the next page does not repeat them.
    assert "Your reasons" not in text(owner_client.get(start, {"screening": refer_screening.pk}))
    owner_client.post(
        f"{start}?screening={refer_screening.pk}",
        {**DETAILS_POST, "creation_key": hidden(page, "creation_key")},
    )
    assert Referral.objects.get().screening == refer_screening
