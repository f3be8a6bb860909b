"""The referral pages as officers use them: writing and sending, CSC's tray and response,
who sees what, and bad input."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cse_portal.models import AccessLog, Child
from referrals import services
from referrals.models import PersonLink, Referral
from tests.conftest import sign_in
from tests.referrals.conftest import COMPLETE_DETAILS, make_draft, send

L, R = "\u2018", "\u2019"  # the curly quotes of the language prompt
DETAILS_POST = {**COMPLETE_DETAILS, "creation_key": "", "version": ""}


def url(name, referral, **extra):
    return reverse(
        f"referrals:{name}", kwargs={"child_pk": referral.child_id, "pk": referral.pk, **extra}
    )


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def hidden(response, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', response.content.decode())
    assert match, f"no hidden {name}"
    return match.group(1)


# --- Writing and sending ---------------------------------------------------------------------


def test_a_practitioner_writes_and_sends_a_referral(owner_client, world):
    start = reverse("referrals:start", kwargs={"child_pk": world.child.pk})
    page = owner_client.get(start)
    assert page.status_code == 200
    key = hidden(page, "creation_key")
    response = owner_client.post(start, {**DETAILS_POST, "creation_key": key})
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("persons", referral)

    response = owner_client.post(
        url("persons", referral),
        {
            "full_name": "Daniel Example",
            "nicknames": "Danny",
            "approximate_age": "34",
            "relationship_to_child": "Picks the child up after school",
            "phone_numbers": "07700 900123",
            "vehicles": "Blue Ford Focus",
        },
    )
    assert response.status_code == 302
    owner_client.post(url("persons", referral), {"description": "A second man, about 20"})
    owner_client.post(
        url("places", referral), {"name": "Bus station", "description": "Seen there late"}
    )

    check = owner_client.get(url("submit", referral))
    assert "Daniel Example" in text(check) and "Bus station" in text(check)
    key = hidden(check, "submission_key")
    sent = owner_client.post(url("submit", referral), {"submission_key": key})
    assert sent.status_code == 302
    referral.refresh_from_db()
    assert referral.is_submitted and referral.to_agency == world.csc
    assert referral.person_links.count() == 2 and referral.places.count() == 1


def test_posting_the_start_form_twice_makes_one_referral(owner_client, world):
    start = reverse("referrals:start", kwargs={"child_pk": world.child.pk})
    key = hidden(owner_client.get(start), "creation_key")
    first = owner_client.post(start, {**DETAILS_POST, "creation_key": key})
    second = owner_client.post(start, {**DETAILS_POST, "creation_key": key})
    assert first["Location"] == second["Location"]
    assert Referral.objects.count() == 1


def test_sending_twice_double_click_or_back_button_sends_once(owner_client, world, draft):
    key = hidden(owner_client.get(url("submit", draft)), "submission_key")
    first = owner_client.post(url("submit", draft), {"submission_key": key})
    second = owner_client.post(url("submit", draft), {"submission_key": key})
    third = owner_client.post(url("submit", draft), {"submission_key": str(uuid.uuid4())})
    assert first.status_code == second.status_code == third.status_code == 302
    assert Referral.objects.count() == 1
    draft.refresh_from_db()
    assert str(draft.submission_key) == key
    assert world.child.involvements.filter(agency=world.csc).count() == 1


def test_the_referrer_sees_the_status_in_the_sent_list(owner_client, world, sent):
    response = owner_client.get(reverse("referrals:sent"))
    assert response.status_code == 200
    assert "Sent, awaiting acknowledgement" in text(response)
    assert world.child.display_name in text(response)


def test_the_childs_record_lists_its_referrals(owner_client, world, sent):
    response = owner_client.get(world.child.get_absolute_url())
    assert f'href="{sent.get_absolute_url()}">{sent.reference}</a>' in text(response)
    assert reverse("referrals:start", kwargs={"child_pk": world.child.pk}) in text(response)


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


@pytest.mark.guidance("G10")
def test_a_child_whose_identity_is_not_known_can_be_referred(owner_client, world):
    page = owner_client.get(reverse("referrals:start_unidentified"))
    key = hidden(page, "creation_key")
    response = owner_client.post(
        reverse("referrals:start_unidentified"),
        {
            "creation_key": key,
            "description": "About 14, school uniform, seen at the bus station",
            "gender": "not_known",
            "places": "Bus station",
            "associates": "A man called Dee",
            "approximate_age": "14",
            "home_authority": world.north.pk,
        },
    )
    referral = Referral.objects.get()
    assert response["Location"] == url("edit", referral)
    child = Child.objects.get(pk=referral.child_id)
    assert not child.is_identified and "Bus station" in child.description
    owner_client.post(url("edit", referral), {**DETAILS_POST, "version": referral.version})
    owner_client.post(url("persons", referral), {"full_name": "Derek Example"})
    page = owner_client.get(url("detail", referral))
    assert "Meets strategy meeting threshold" in text(page)
    owner_client.post(url("submit", referral), {"submission_key": str(uuid.uuid4())})
    referral.refresh_from_db()
    assert referral.is_submitted and referral.meets_strategy_threshold
    tray = sign_in(Client(), world.csc_officer).get(reverse("referrals:tray"))
    assert "Meets strategy meeting threshold" in text(tray)


def test_posting_the_unidentified_child_form_twice_makes_one_child_and_one_referral(
    owner_client, world
):
    before = Child.objects.count()
    data = {
        "creation_key": str(uuid.uuid4()),
        "description": "Seen at the station",
        "gender": "not_known",
        "home_authority": world.north.pk,
    }
    first = owner_client.post(reverse("referrals:start_unidentified"), data)
    second = owner_client.post(reverse("referrals:start_unidentified"), data)
    assert first["Location"] == second["Location"]
    assert Child.objects.count() == before + 1
    assert Referral.objects.count() == 1


def test_only_the_screening_agency_refers_from_its_screening(
    involved_client, world, refer_screening
):
    start = reverse("referrals:start", kwargs={"child_pk": world.child.pk})
    assert involved_client.get(f"{start}?screening={refer_screening.pk}").status_code == 404


def test_an_unidentified_child_aged_18_or_over_gets_a_clear_message(owner_client, world):
    response = owner_client.post(
        reverse("referrals:start_unidentified"),
        {
            "creation_key": str(uuid.uuid4()),
            "description": "Seen at the station",
            "gender": "not_known",
            "approximate_age": "19",
            "home_authority": world.north.pk,
        },
    )
    assert response.status_code == 200
    assert "The child must be under 18" in text(response)
    assert "govuk-error-summary" in text(response)
    assert "Seen at the station" in text(response)
    assert not Child.objects.filter(is_identified=False).exists()


# --- Language (G38) ---------------------------------------------------------------------------


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


@pytest.mark.guidance("G38")
def test_a_decisions_wording_is_flagged_to_the_social_worker_after_saving(csc_client, world, sent):
    response = csc_client.post(
        url("decide", sent),
        {
            "outcome": "early_help",
            "rationale": "She is streetwise and the sex was consensual.",
            "decided_by": world.csc_officer.pk,
            "approved_by": world.team_manager.pk,
        },
        follow=True,
    )
    assert sent.decision.rationale.startswith("She is streetwise")
    assert f"You wrote {L}streetwise{R}" in text(response)
    assert f"You wrote {L}consensual{R}" in text(response)
    assert "You wrote" not in text(csc_client.get(url("detail", sent)))


# --- Children's social care ------------------------------------------------------------------


@pytest.mark.guidance("G07")
def test_csc_acknowledges_and_the_referrer_sees_the_acknowledgement(
    csc_client, owner_client, world, sent
):
    page = csc_client.get(url("acknowledge", sent))
    assert page.status_code == 200
    response = csc_client.post(
        url("acknowledge", sent),
        {
            "message": "We have received your referral.",
            "action_being_taken": "Allocated to Sofia Worker for a decision today.",
        },
    )
    assert response.status_code == 302
    seen = text(owner_client.get(url("detail", sent)))
    assert "We have received your referral." in seen
    assert "Allocated to Sofia Worker for a decision today." in seen
    assert "Sofia Worker" in seen
    assert "Acknowledged, awaiting decision" in text(owner_client.get(reverse("referrals:sent")))


@pytest.mark.guidance("G09")
def test_csc_records_exactly_one_decision_and_the_referrer_sees_it(
    csc_client, owner_client, world, sent
):
    missing = csc_client.post(url("decide", sent), {"rationale": "Because."})
    assert missing.status_code == 200
    assert "Select the decision" in text(missing)
    assert "Because." in text(missing)
    two = csc_client.post(
        url("decide", sent),
        {
            "outcome": ["emergency_action", "early_help"],
            "rationale": "x",
            "decided_by": world.csc_officer.pk,
            "approved_by": world.team_manager.pk,
        },
    )
    assert two.status_code == 200
    assert "Select only one decision" in text(two)
    assert not Referral.objects.filter(pk=sent.pk, decision__isnull=False).exists()
    response = csc_client.post(
        url("decide", sent),
        {
            "outcome": "initial_assessment",
            "rationale": "Needs an initial assessment.",
            "decided_by": world.csc_officer.pk,
            "approved_by": world.team_manager.pk,
        },
    )
    assert response.status_code == 302
    sent = Referral.objects.get(pk=sent.pk)
    assert sent.decision.outcome == "initial_assessment"
    seen = text(owner_client.get(url("detail", sent)))
    assert "Initial assessment, then a strategy discussion" in seen
    assert "approved by Tom Manager" in seen
    again = csc_client.get(url("decide", sent))
    assert again.status_code == 302


def test_the_decision_form_offers_only_the_three_decisions(csc_client, sent):
    page = csc_client.get(url("decide", sent)).content.decode()
    values = set(re.findall(r'name="outcome"[^>]*value="([^"]+)"', page)) | set(
        re.findall(r'value="([^"]+)"[^>]*name="outcome"', page)
    )
    assert values == {"emergency_action", "initial_assessment", "early_help"}


@pytest.mark.guidance("G08")
def test_the_team_manager_sees_overdue_decisions_first_with_a_count(manager_client, world):
    on_time = send(make_draft(by=world.owner, child=world.child), world.owner)
    overdue = send(
        make_draft(by=world.owner, child=world.child),
        world.owner,
        now=timezone.now() - timedelta(days=10),
    )
    response = manager_client.get(reverse("referrals:tray"))
    page = text(response)
    assert "1 decision overdue" in page
    assert page.index(overdue.reference) < page.index(on_time.reference)
    assert "Overdue" in page


@pytest.mark.guidance("G08")
def test_a_social_worker_sees_the_overdue_tag_and_due_time(csc_client, world):
    overdue = send(
        make_draft(by=world.owner, child=world.child),
        world.owner,
        now=timezone.now() - timedelta(days=10),
    )
    page = text(csc_client.get(reverse("referrals:tray")))
    assert overdue.reference in page
    assert 'govuk-tag--red">Overdue' in page
    assert "Decision due by" in page


def test_officers_outside_csc_have_no_tray(owner_client, involved_client):
    assert owner_client.get(reverse("referrals:tray")).status_code == 403
    assert involved_client.get(reverse("referrals:tray")).status_code == 403


def test_the_referrer_cannot_acknowledge_or_decide(owner_client, sent):
    for name in ["acknowledge", "decide", "inform"]:
        assert owner_client.get(url(name, sent)).status_code == 403


def test_csc_of_another_area_involved_by_share_cannot_respond(world, sent):
    from cse_portal import services as core

    core.child_share(child=world.child, agency=world.south_csc, by=world.owner, reason="Moved")
    from tests.factories import OfficerFactory

    south = sign_in(Client(), OfficerFactory(agency=world.south_csc, role="social_worker"))
    assert south.get(url("detail", sent)).status_code == 200
    assert south.get(url("acknowledge", sent)).status_code == 403
    assert south.get(reverse("referrals:tray")).status_code == 200
    assert sent.reference not in text(south.get(reverse("referrals:tray")))


@pytest.mark.guidance("G11")
def test_the_looked_after_task_is_outstanding_until_recorded(
    csc_client, owner_client, world, looked_after_child, iro
):
    referral = send(make_draft(by=world.owner, child=looked_after_child), world.owner)
    page = text(csc_client.get(url("detail", referral)))
    assert "Outstanding" in page and "Record who was informed" in page
    assert "Inform team manager and IRO" in text(csc_client.get(reverse("referrals:tray")))
    form = csc_client.get(url("inform", referral))
    assert "Ira Reviewer" in text(form)
    bad = csc_client.post(
        url("inform", referral),
        {
            "team_manager": world.team_manager.pk,
            "informed_time": "25:99",
            "method": "phone",
        },
    )
    assert bad.status_code == 200
    assert "Enter the date they were informed" in text(bad)
    assert "Select the independent reviewing officer" in text(bad)
    now = timezone.localtime()
    response = csc_client.post(
        url("inform", referral),
        {
            "team_manager": world.team_manager.pk,
            "iro": iro.pk,
            "informed_on_0": now.day,
            "informed_on_1": now.month,
            "informed_on_2": now.year,
            "informed_time": now.strftime("%H:%M"),
            "method": "phone",
            "detail": "Agreed to discuss bringing the LAC review forward.",
        },
    )
    assert response.status_code == 302, text(response)
    page = text(owner_client.get(url("detail", referral)))
    assert "Outstanding" not in page
    assert "Ira Reviewer" in page


def test_informing_is_only_for_a_looked_after_child(csc_client, sent):
    assert csc_client.get(url("inform", sent)).status_code == 404


# --- Who sees what -----------------------------------------------------------------------------


def test_a_draft_is_invisible_to_other_agencies_involved_with_the_child(
    involved_client, csc_client, world, draft
):
    assert involved_client.get(url("detail", draft)).status_code == 404
    assert draft.get_absolute_url() not in text(involved_client.get(world.child.get_absolute_url()))
    assert draft.get_absolute_url() in text(
        sign_in(Client(), world.lead).get(world.child.get_absolute_url())
    )
    from cse_portal import services as core

    core.child_share(child=world.child, agency=world.csc, by=world.owner, reason="Asked")
    assert csc_client.get(url("detail", draft)).status_code == 404
    assert draft.reference not in text(csc_client.get(reverse("referrals:tray")))


def test_a_colleague_in_the_referring_agency_can_open_the_draft(lead_client, draft):
    assert lead_client.get(url("detail", draft)).status_code == 200
    assert lead_client.get(url("edit", draft)).status_code == 200


def test_a_sent_referral_is_seen_by_the_agencies_involved(involved_client, sent):
    response = involved_client.get(url("detail", sent))
    assert response.status_code == 200
    assert "Seen getting into cars" in text(response)
    assert involved_client.get(url("edit", sent)).status_code == 403


def _referral_routes():
    from tests.referrals.route_kwargs import BUILDERS

    return [*sorted(BUILDERS), "referrals:start"]


@pytest.mark.guidance("G36")
@pytest.mark.parametrize("name", _referral_routes())
def test_an_uninvolved_officer_gets_404_on_every_referral_url(uninvolved_client, world, name):
    from tests.referrals.route_kwargs import BUILDERS

    extra = BUILDERS.get(name, lambda w: {})(world)
    target = reverse(name, kwargs={"child_pk": world.child.pk, **extra})
    assert uninvolved_client.get(target).status_code == 404
    assert uninvolved_client.post(target, {"anything": "x"}).status_code in {404, 405}


def test_every_referral_route_with_a_child_has_a_kwargs_builder():

    from referrals.urls import urlpatterns
    from tests.referrals.route_kwargs import BUILDERS

    names = {f"referrals:{p.name}" for p in urlpatterns if "child_pk" in str(p.pattern)}
    assert names - {"referrals:start"} == set(BUILDERS)


def test_anonymous_visitors_are_sent_to_sign_in(anonymous_client, world, sent):
    for target in [
        url("detail", sent),
        reverse("referrals:tray"),
        reverse("referrals:sent"),
        reverse("referrals:start_unidentified"),
    ]:
        response = anonymous_client.get(target)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:sign_in"))


@pytest.mark.guidance("G37")
def test_viewing_a_referral_and_the_tray_is_logged(csc_client, world, sent):
    csc_client.get(url("detail", sent))
    row = AccessLog.objects.filter(officer=world.csc_officer, object_type="referral").get()
    assert row.child == world.child and row.object_id == str(sent.pk)
    assert row.action == AccessLog.Action.VIEW
    csc_client.get(reverse("referrals:tray"))
    assert AccessLog.objects.filter(
        officer=world.csc_officer, object_type="referrals work tray"
    ).exists()


# --- Bad input ---------------------------------------------------------------------------------


def test_odd_input_is_kept_and_shown_safely_never_a_500(owner_client, world, draft):
    nasty = "<script>alert(1)</script> Zoë 🙂 \u202e مرحبا " + "x" * 9_000
    response = owner_client.post(
        url("edit", draft),
        {
            **DETAILS_POST,
            "version": draft.version,
            "basis_of_concern": nasty,
            "other_agencies": "<b>bold</b>",
        },
    )
    assert response.status_code == 302
    page = owner_client.get(url("detail", draft)).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page and "Zoë 🙂" in page


def test_text_that_is_too_long_gets_a_message_and_is_kept(owner_client, world, draft):
    too_long = "word " * 3_000
    response = owner_client.post(
        url("edit", draft),
        {
            **DETAILS_POST,
            "version": draft.version,
            "basis_of_concern": too_long,
        },
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in text(response)
    assert "Keep this answer to 10,000 characters or fewer" in text(response)
    assert "word word word" in text(response)


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


def test_a_person_of_concern_with_a_future_or_impossible_birth_date_gets_a_message(
    owner_client, draft
):
    tomorrow = timezone.localdate() + timedelta(days=1)
    future = owner_client.post(
        url("persons", draft),
        {
            "full_name": "Someone",
            "date_of_birth_0": tomorrow.day,
            "date_of_birth_1": tomorrow.month,
            "date_of_birth_2": tomorrow.year,
        },
    )
    assert "Date of birth must be today or in the past" in text(future)
    impossible = owner_client.post(
        url("persons", draft),
        {
            "full_name": "Someone",
            "date_of_birth_0": "31",
            "date_of_birth_1": "2",
            "date_of_birth_2": "99999999999",
        },
    )
    assert impossible.status_code == 200
    assert "Enter a real date" in text(impossible)
    nothing = owner_client.post(url("persons", draft), {"phone_numbers": "0770"})
    assert "Enter the person&#x27;s name" in text(nothing) or "Enter the person's name" in text(
        nothing
    )
    assert "0770" in text(nothing)
    assert not PersonLink.objects.exists()


def test_an_adult_person_of_concern_is_accepted(owner_client, draft):
    response = owner_client.post(
        url("persons", draft),
        {
            "full_name": "Older Adult",
            "date_of_birth_0": "1",
            "date_of_birth_1": "1",
            "date_of_birth_2": "1970",
        },
    )
    assert response.status_code == 302
    assert PersonLink.objects.get().person.is_under_18 is False


def test_a_sent_referrals_draft_pages_send_you_back_to_the_referral(owner_client, sent):
    for name in ["edit", "persons", "places"]:
        response = owner_client.get(url(name, sent))
        assert response.status_code == 302 and response["Location"] == sent.get_absolute_url()


def test_pages_render_for_each_state(owner_client, csc_client, world, draft):
    for name in ["detail", "edit", "persons", "places", "submit"]:
        assert owner_client.get(url(name, draft)).status_code == 200, name
    link = services.referral_person_add(referral=draft, by=world.owner, data={"full_name": "A B"})
    place = services.referral_place_add(referral=draft, by=world.owner, data={"name": "Park"})
    assert owner_client.get(url("person_edit", draft, link_pk=link.pk)).status_code == 200
    assert owner_client.get(url("person_remove", draft, link_pk=link.pk)).status_code == 200
    assert owner_client.get(url("place_remove", draft, place_pk=place.pk)).status_code == 200
    owner_client.post(url("person_remove", draft, link_pk=link.pk))
    owner_client.post(url("place_remove", draft, place_pk=place.pk))
    assert not draft.person_links.exists() and not draft.places.exists()
    send(draft, world.owner)
    for name in ["detail", "acknowledge", "decide"]:
        assert csc_client.get(url(name, draft)).status_code == 200, name
