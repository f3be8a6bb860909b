"""Checking the answers and concluding (issue 7): what is not known is not "no risk" (G40),
the suggestion names every rule that fired (G03, G04), the answers before the conclusion,
the confirmation, the language prompt on the "refer" path (G38) and the referral link."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from cse_portal import language
from screening import services
from screening.models import Answer, Conclusion, Screening, Suggestion
from screening.rules import SIGNS_ALSO_PRESENT, SUGGESTION_PROMPTS
from tests.screening.factories import answers, make_screening
from tests.screening.helpers import section_url, url


def screen(world, default: str = Answer.NOT_PRESENT, **by_code: str) -> Screening:
    return services.screening_create(
        child=world.child, by=world.owner, answers=answers(default, **by_code)
    )


def conclude(client, screening: Screening, conclusion: str, **extra: str):
    return client.post(
        url("submit", screening),
        {"conclusion": conclusion, "version": screening.version, **extra},
    )


def follow_up(due) -> dict[str, str]:
    return {
        "follow_up_by": "Sam Patel, school nurse",
        "follow_up_due_0": str(due.day),
        "follow_up_due_1": str(due.month),
        "follow_up_due_2": str(due.year),
    }


# --- Not known is not "no risk" (G40) ----------------------------------------------------


@pytest.mark.guidance("G40")
def test_all_not_known_suggests_not_enough_information_never_no_indicator(
    owner_client, world, catalogue
) -> None:
    screening = screen(world, Answer.NOT_KNOWN)
    html = owner_client.get(url("submit", screening)).content.decode()
    assert "Not enough information" in html
    assert Suggestion.NONE.label not in html
    assert "37 indicators are not known." in html
    assert "A lack of evidence does not mean that there is no risk" in html


@pytest.mark.guidance("G40")
def test_beside_any_suggestion_the_tool_says_how_many_indicators_are_not_known(
    owner_client, world, catalogue
) -> None:
    screening = screen(world, E_01=Answer.PRESENT, R_01=Answer.NOT_KNOWN, R_02=Answer.NOT_KNOWN)
    html = owner_client.get(url("submit", screening)).content.decode()
    assert "Potential victim of sexual exploitation" in html
    assert "2 indicators are not known." in html


@pytest.mark.guidance("G40")
def test_a_screening_with_no_answers_shows_no_suggestion(owner_client, world, catalogue) -> None:
    screening = services.screening_create(child=world.child, by=world.owner)
    html = owner_client.get(url("submit", screening)).content.decode()
    assert "No suggestion yet" in html
    for suggestion in Suggestion:
        assert f">{suggestion.label}</strong>" not in html


@pytest.mark.guidance("G40")
@pytest.mark.guidance("G05")
def test_no_concern_while_indicators_are_not_known_needs_reasons_and_who_finds_out_by_when(
    owner_client, world, catalogue
) -> None:
    screening = screen(world, S_01=Answer.NOT_KNOWN)
    response = conclude(owner_client, screening, Conclusion.NO_CONCERN)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Give your reasons for concluding there is no CSE concern while 1 indicator is" in html
    assert "Enter who will find out what is not known" in html
    assert "Enter the date by which they will find out" in html
    screening.refresh_from_db()
    assert screening.is_draft

    due = timezone.localdate() + timedelta(days=7)
    response = conclude(
        owner_client,
        screening,
        Conclusion.NO_CONCERN,
        conclusion_reason="Only the clinic visit is unknown; nothing else concerns us.",
        **follow_up(due),
    )
    assert response.status_code == 302
    screening.refresh_from_db()
    assert screening.is_submitted
    assert (screening.suggestion, screening.conclusion) == (
        Suggestion.NOT_ENOUGH_INFORMATION,
        Conclusion.NO_CONCERN,
    )
    assert (screening.not_known_count, screening.follow_up_by, screening.follow_up_due) == (
        1,
        "Sam Patel, school nurse",
        due,
    )
    assert (
        "Sam Patel, school nurse will find out by"
        in owner_client.get(url("detail", screening)).content.decode()
    )


@pytest.mark.guidance("G40")
def test_who_will_find_out_is_asked_only_where_indicators_are_not_known(
    owner_client, world, catalogue
) -> None:
    unknowns = screen(world, S_01=Answer.NOT_KNOWN)
    html = owner_client.get(url("submit", unknowns)).content.decode()
    assert "If you conclude there is no CSE concern" in html
    assert 'name="follow_up_by"' in html and 'name="follow_up_due_0"' in html
    everything_known = make_screening(child=world.child, by=world.owner)
    assert (
        'name="follow_up_by"'
        not in owner_client.get(url("submit", everything_known)).content.decode()
    )


@pytest.mark.guidance("G40")
def test_a_follow_up_date_in_the_past_or_impossible_is_a_clear_error(
    owner_client, world, catalogue
) -> None:
    screening = screen(world, S_01=Answer.NOT_KNOWN)
    reason = {"conclusion_reason": "Known to us."}
    past = conclude(
        owner_client,
        screening,
        Conclusion.NO_CONCERN,
        **reason,
        **follow_up(timezone.localdate() - timedelta(days=1)),
    )
    assert "must be today or in the future" in past.content.decode()
    impossible = conclude(
        owner_client,
        screening,
        Conclusion.NO_CONCERN,
        **reason,
        **{**follow_up(timezone.localdate()), "follow_up_due_0": "31", "follow_up_due_1": "2"},
    )
    assert impossible.status_code == 200
    assert "Enter a real date" in impossible.content.decode()
    huge = {**follow_up(timezone.localdate()), "follow_up_due_2": "99999999999999999999"}
    assert conclude(owner_client, screening, Conclusion.NO_CONCERN, **huge).status_code == 200
    screening.refresh_from_db()
    assert screening.is_draft


@pytest.mark.guidance("G40")
@pytest.mark.guidance("G05")
def test_discussing_what_is_not_known_with_the_lead_officer_needs_no_reason(
    owner_client, world, catalogue
) -> None:
    screening = screen(world, Answer.NOT_KNOWN)
    response = conclude(owner_client, screening, Conclusion.DISCUSS)
    assert response.status_code == 302
    screening.refresh_from_db()
    assert screening.conclusion == Conclusion.DISCUSS and screening.follow_up_by == ""


@pytest.mark.guidance("G40")
def test_the_database_refuses_no_concern_despite_unknowns_without_a_follow_up(
    world, catalogue
) -> None:
    screening = screen(world, S_01=Answer.NOT_KNOWN)
    submitted = {
        "status": "submitted",
        "suggestion": Suggestion.NOT_ENOUGH_INFORMATION,
        "conclusion": Conclusion.NO_CONCERN,
        "conclusion_reason": "Reasons.",
        "not_known_count": 1,
        "submitted_by": world.owner,
        "submitted_at": timezone.now(),
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        Screening.objects.filter(pk=screening.pk).update(**submitted)
    with pytest.raises(IntegrityError), transaction.atomic():
        Screening.objects.filter(pk=screening.pk).update(
            **{**submitted, "conclusion_reason": ""},
            follow_up_by="Sam Patel",
            follow_up_due=timezone.localdate(),
        )
    Screening.objects.filter(pk=screening.pk).update(
        **submitted, follow_up_by="Sam Patel", follow_up_due=timezone.localdate()
    )


# --- The suggestion names every rule that fired (G03, G04) -------------------------------


@pytest.mark.guidance("G03")
@pytest.mark.guidance("G04")
def test_several_vulnerabilities_and_a_sign_are_both_named(owner_client, world, catalogue) -> None:
    screening = screen(world, F_03=Answer.PRESENT, F_04=Answer.PRESENT, A1_02=Answer.PRESENT)
    html = owner_client.get(url("submit", screening)).content.decode().replace("&#x27;", "'")
    assert SUGGESTION_PROMPTS[Suggestion.HIGH_RISK] in html
    assert SIGNS_ALSO_PRESENT in html
    alone = make_screening(
        child=world.child, by=world.owner, present=("F-03", "F-04"), submit=True, reason="R"
    )
    assert SIGNS_ALSO_PRESENT not in owner_client.get(url("detail", alone)).content.decode()


# --- Check answers: the summary first, Change links, the error that moves focus ----------


def test_the_answers_come_before_the_conclusion_and_the_submit_button(
    owner_client, world, catalogue
) -> None:
    screening = make_screening(child=world.child, by=world.owner)
    html = owner_client.get(url("submit", screening)).content.decode()
    last_answer = html.rindex("govuk-summary-list__row")
    assert last_answer < html.index("What do you conclude?") < html.index("Submit screening")
    for code in ("s", "a1", "d"):
        assert f'href="{section_url(screening, code)}#' in html


def test_indicators_without_an_answer_link_to_the_first_ones_change_link(
    owner_client, world, catalogue
) -> None:
    screening = screen(world, F_02="", G_01="")
    response = conclude(owner_client, screening, Conclusion.DISCUSS)
    html = response.content.decode()
    summary = html[html.index("govuk-error-summary") : html.index("govuk-caption-l")]
    link = re.search(r'<a href="#([^"]+)">2 indicators have no answer', summary)
    assert link is not None and link.group(1) == "change-f_02"
    assert f'id="change-f_02" href="{section_url(screening, "f")}#' in html


# --- After submitting: the confirmation, the language prompt, the referral ----------------


def test_a_submission_is_confirmed_once_with_what_happens_next(
    owner_client, world, catalogue
) -> None:
    screening = make_screening(child=world.child, by=world.owner, present=("E-01",))
    response = conclude(owner_client, screening, Conclusion.DISCUSS)
    assert response["Location"] == url("detail", screening)
    html = owner_client.get(url("detail", screening)).content.decode()
    assert "govuk-panel--confirmation" in html and "Screening submitted" in html
    assert "What happens next" in html
    assert "Leah Lead" in html  # the agency's CSE lead officer, who will advise
    assert "govuk-panel" not in owner_client.get(url("detail", screening)).content.decode()


@pytest.mark.guidance("G38")
@pytest.mark.guidance("G06")
@pytest.mark.urls("tests.screening.urls_with_referral_start")
def test_on_the_refer_path_the_reasons_are_read_for_the_language_prompt_before_the_redirect(
    owner_client, world, catalogue
) -> None:
    screening = make_screening(child=world.child, by=world.owner)
    response = conclude(
        owner_client,
        screening,
        Conclusion.REFER,
        conclusion_reason="She says her boyfriend, who is 25, gives her money.",
    )
    assert response.status_code == 302
    assert "/referrals/" in response["Location"]
    request = type("R", (), {"session": owner_client.session})()
    flags = language.pop_flags(request)  # what the next page shows
    assert "Your reasons for your screening conclusion" in flags
    assert any(
        flag.term == "boyfriend" for flag in flags["Your reasons for your screening conclusion"]
    )


@pytest.mark.guidance("G06")
def test_continue_to_the_referral_only_until_one_is_started_then_a_link_to_it(
    owner_client, involved_client, world, catalogue
) -> None:
    from referrals import services as referral_services
    from tests.referrals.conftest import COMPLETE_DETAILS, send

    screening = make_screening(
        child=world.child,
        by=world.owner,
        present=("F-03", "F-04"),
        submit=True,
        conclusion=Conclusion.REFER,
    )
    assert (
        "Continue to the CSE1 referral"
        in owner_client.get(url("detail", screening)).content.decode()
    )

    referral, _ = referral_services.referral_create(
        child=world.child, by=world.owner, data=COMPLETE_DETAILS, screening=screening
    )
    html = owner_client.get(url("detail", screening)).content.decode()
    assert "Continue to the CSE1 referral" not in html
    assert f"Referral {referral.reference}</a>: draft" in html
    assert referral.get_absolute_url() in html
    # Another agency involved with the child sees neither the draft referral nor the offer.
    other = involved_client.get(url("detail", screening)).content.decode()
    assert referral.reference not in other and "Continue to the CSE1 referral" not in other

    send(referral, world.owner)
    other = involved_client.get(url("detail", screening)).content.decode()
    assert f"Referral {referral.reference}</a>: sent, awaiting acknowledgement" in other
