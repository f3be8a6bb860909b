"""The risk assessment's pages: starting (from a referral), the task list of the tool's
domains, a domain's page, checking the answers with the suggestion beside the judged level,
finalising, the record and the child's section with its chart (G12–G16, G40)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from referrals import services
from referrals.models import AssessmentStatus, RiskAssessment
from referrals.services import AnswerInput
from tests.referrals.assessment.records import (
    HIGH,
    LOW,
    MEDIUM,
    a_task,
    answer,
    make_assessment,
    overdue,
    shipped_tools,  # noqa: F401  (autouse)
)

pytestmark = pytest.mark.django_db


def url(name: str, assessment: RiskAssessment, **extra: object) -> str:
    return reverse(
        f"referrals:assessment_{name}",
        kwargs={"child_pk": assessment.child_id, "pk": assessment.pk, **extra},
    )


def start_url(child) -> str:
    return reverse("referrals:assessment_start", kwargs={"child_pk": child.pk})


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# --- Starting -------------------------------------------------------------------------------


def test_the_start_page_offers_the_childs_sent_referrals_and_starts_once(owner_client, world, sent):
    page = owner_client.get(f"{start_url(world.child)}?referral={sent.pk}")
    assert page.status_code == 200
    html = text_of(page)
    assert "Sexual Exploitation Risk Assessment (SERA), version 1" in html
    assert f"Referral {sent.reference} from Brookfield Academy" in html
    assert page.context["form"].initial["referral"] == str(sent.pk)
    key = page.context["form"].fields["creation_key"].initial
    data = {"referral": str(sent.pk), "creation_key": str(key)}
    first = owner_client.post(start_url(world.child), data)
    second = owner_client.post(start_url(world.child), data)
    assessment = RiskAssessment.objects.get()
    assert first["Location"] == second["Location"] == assessment.get_absolute_url()
    assert assessment.referral == sent


def test_the_start_page_refuses_a_referral_it_did_not_offer(owner_client, world):
    response = owner_client.post(start_url(world.child), {"referral": "999999"})
    assert response.status_code == 200
    assert not RiskAssessment.objects.exists()


def test_a_draft_of_the_agency_is_offered_instead_of_a_second_one(owner_client, world):
    draft = services.assessment_create(child=world.child, by=world.owner)
    html = text_of(owner_client.get(start_url(world.child)))
    assert "Carry on with the draft assessment" in html
    assert draft.get_absolute_url() in html


# --- The draft --------------------------------------------------------------------------------


def test_the_task_list_shows_each_domain_with_its_status(owner_client, world, sent):
    assessment = services.assessment_create(child=world.child, by=world.owner, referral=sent)
    answer(assessment, world.owner, {LOW: AnswerInput("present", "current")})
    html = text_of(owner_client.get(assessment.get_absolute_url()))
    assert "You have completed 0 of 14 sections." in html
    assert re.search(r"Lower risk signals</a>.*?In progress", html)
    assert re.search(r"High risk signals</a>.*?Not yet started", html)
    assert "Cannot start yet" in html
    assert f"From referral {sent.reference}" in html  # the referral beside the questions
    assert sent.basis_of_concern in html


def test_a_domain_page_saves_and_continues_to_the_next(owner_client, world):
    assessment = services.assessment_create(child=world.child, by=world.owner)
    page = owner_client.get(f"{url('answers', assessment)}?domain=sera_high")
    assert page.status_code == 200
    codes = [f"h_0{n}" for n in range(1, 6)]
    data = {"version": assessment.version, "domain": "sera_high", "continue": ""}
    for code in codes:
        data[f"answer_{code}"] = "not_present"
    data.update({"answer_h_01": "present", "recency_h_01": "last_6_months", "note_h_01": "Seen."})
    response = owner_client.post(url("answers", assessment), data)
    assert response.status_code == 302
    assert response["Location"].endswith("?domain=health")
    saved = assessment.answers.get(indicator__code=HIGH)
    assert (saved.state, saved.recency, saved.note) == ("present", "last_6_months", "Seen.")


def test_the_last_domain_continues_to_the_check_page(owner_client, world):
    assessment = services.assessment_create(child=world.child, by=world.owner)
    data = {"version": assessment.version, "domain": "social_integration", "continue": ""}
    response = owner_client.post(url("answers", assessment), data)
    assert response["Location"] == url("finalise", assessment)


def test_a_stale_save_keeps_what_was_written_and_says_why(owner_client, world):
    assessment = services.assessment_create(child=world.child, by=world.owner)
    stale = assessment.version
    answer(assessment, world.lead, {LOW: AnswerInput("present", "current")})
    response = owner_client.post(
        url("answers", assessment),
        {"version": stale, "domain": "sera_low", "answer_l_01": "not_known", "note_l_01": "Mine"},
    )
    html = text_of(response)
    assert response.status_code == 200
    assert "Someone else in your agency saved this assessment" in html
    assert "Mine" in html
    assert assessment.answers.get().state == "present"


def test_nonsense_input_gets_the_error_summary_not_a_500(owner_client, world):
    assessment = services.assessment_create(child=world.child, by=world.owner)
    response = owner_client.post(
        url("answers", assessment),
        {
            "version": "x",
            "domain": "sera_low",
            "answer_l_01": "maybe",
            "recency_l_01": "yesterday",
            "answer_zz_99": "present",
        },
    )
    html = text_of(response)
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "Select present, not present or not known" in html
    assert "not in this assessment" in html


@pytest.mark.guidance("G38")
def test_notes_are_checked_for_language_but_not_the_tools_own_wording(owner_client, world):
    assessment = services.assessment_create(child=world.child, by=world.owner)
    page = text_of(owner_client.get(f"{url('answers', assessment)}?domain=sera_low"))
    assert "Sexualised risk taking behaviour" in page
    response = owner_client.post(
        url("answers", assessment),
        {
            "version": assessment.version,
            "domain": "sera_low",
            "answer_l_01": "present",
            "note_l_01": "Her boyfriend is 24.",
            "save_draft": "",
        },
        follow=True,
    )
    html = text_of(response)
    assert "Note on “Sexualised risk taking behaviour”" in html
    assert "You wrote ‘boyfriend’" in html
    # The tool's wording ("promiscuity") is shown as the guidance wrote it, never flagged.
    for domain, words in [("identity", "promiscuity"), ("health", "Sexually risky behaviour")]:
        page = text_of(owner_client.get(f"{url('answers', assessment)}?domain={domain}"))
        assert words in page
        assert "You wrote" not in page


# --- Checking and finalising --------------------------------------------------------------------


@pytest.mark.guidance("G40")
@pytest.mark.guidance("G12")
def test_the_suggestion_and_why_are_shown_as_a_suggestion_beside_the_judgement(owner_client, world):
    assessment = make_assessment(
        child=world.child, by=world.owner, present={LOW: "current", MEDIUM: "last_6_months"}
    )
    html = text_of(owner_client.get(url("finalise", assessment)))
    suggestion = html.index("The tool suggests")
    judgement = html.index("Your judgement")
    assert suggestion < judgement
    assert 'Medium risk</strong> <span class="govuk-body-s">(a suggestion)' in html
    assert "Why: the indicators that drove it" in html
    assert "Regularly going missing" in html[suggestion:judgement]
    assert "What level of risk do you judge?" in html
    for label in ["No risk signal present", "Low risk", "Medium risk", "High risk"]:
        assert label in html[judgement:]
    assert "Not enough information" in html[judgement:]


@pytest.mark.guidance("G13")
def test_a_differing_judgement_without_a_reason_keeps_the_form(owner_client, world):
    assessment = make_assessment(child=world.child, by=world.owner, present={LOW: "current"})
    response = owner_client.post(
        url("finalise", assessment),
        {"judged_outcome": "high", "summary": "What we found.", "version": assessment.version},
    )
    html = text_of(response)
    assert response.status_code == 200
    assert "Give the reason the level you judge differs from the tool&#x27;s suggestion" in html
    assert "What we found." in html
    assert RiskAssessment.objects.get().status == AssessmentStatus.DRAFT


def test_finalising_with_unanswered_indicators_links_to_the_first(owner_client, world):
    assessment = services.assessment_create(child=world.child, by=world.owner)
    response = owner_client.post(
        url("finalise", assessment), {"judged_outcome": "low", "version": assessment.version}
    )
    html = text_of(response)
    assert "71 indicators have no answer" in html
    assert 'href="#change-l_01"' in html


@pytest.mark.guidance("G13")
@pytest.mark.guidance("G38")
def test_finalising_shows_the_confirmation_the_record_and_the_language_prompt(owner_client, world):
    assessment = make_assessment(child=world.child, by=world.owner, present={LOW: "current"})
    response = owner_client.post(
        url("finalise", assessment),
        {
            "judged_outcome": "medium",
            "judgement_reason": "She says the men are her boyfriends.",
            "version": assessment.version,
        },
        follow=True,
    )
    html = text_of(response)
    assert "Assessment finalised" in html
    assert "Judged level: Medium risk" in html
    assert "You wrote ‘boyfriends’" in html
    assert "She says the men are her boyfriends." in html
    assert html.index("The tool suggests") < html.index("The assessor's judged level")
    again = text_of(owner_client.get(assessment.get_absolute_url()))
    assert "Assessment finalised" not in again
    # Posting the check page again does not change it.
    owner_client.post(url("finalise", assessment), {"judged_outcome": "low", "version": 1})
    assert RiskAssessment.objects.get().judged_outcome.code == "medium"


@pytest.mark.guidance("G14")
def test_not_enough_information_asks_for_the_tasks_first(owner_client, world):
    assessment = make_assessment(child=world.child, by=world.owner, not_known=[HIGH])
    response = owner_client.post(
        url("finalise", assessment),
        {"judged_outcome": "not_enough_information", "version": assessment.version},
    )
    assert "Add each piece of missing information" in text_of(response)
    page = owner_client.get(url("information", assessment))
    form = page.context["form"]
    response = owner_client.post(
        url("information", assessment),
        {
            "information": "Whether she is in contact with known perpetrators",
            "agency": world.police.pk,
            "due_0": "1",
            "due_1": "1",
            "due_2": str(timezone.localdate().year + 1),
            "creation_key": str(form.fields["creation_key"].initial),
        },
    )
    assert response.status_code == 302
    owner_client.post(
        url("finalise", assessment),
        {"judged_outcome": "not_enough_information", "version": assessment.version},
    )
    assert RiskAssessment.objects.get().status == AssessmentStatus.FINALISED


@pytest.mark.guidance("G14")
def test_a_task_without_who_or_when_gets_the_error_summary(owner_client, world):
    assessment = services.assessment_create(child=world.child, by=world.owner)
    response = owner_client.post(
        url("information", assessment),
        {"information": "", "due_0": "31", "due_1": "2", "due_2": "2030"},
    )
    html = text_of(response)
    assert "govuk-error-summary" in html
    assert "Enter the information that is needed" in html
    assert "Enter who will get it" in html
    assert "Enter a real date" in html
    assert not assessment.information_tasks.exists()


@pytest.mark.guidance("G14")
def test_the_record_shows_overdue_tasks_and_who_marks_them_done(
    owner_client, involved_client, world
):
    assessment = make_assessment(
        child=world.child, by=world.owner, not_known=[HIGH], tasks=[a_task(agency=world.police)]
    )
    task = assessment.information_tasks.get()
    overdue(task)
    assessment.refresh_from_db()
    services.assessment_finalise(
        assessment=assessment,
        by=world.owner,
        judgement=services.Judgement(outcome="not_enough_information"),
        expected_version=assessment.version,
    )
    html = text_of(involved_client.get(assessment.get_absolute_url()))
    assert "Overdue" in html
    assert "Northdale Police" in html
    done_url = url("task_done", assessment, task_pk=task.pk)
    assert done_url in html
    response = involved_client.post(
        done_url, {"done_note": "Attended; no contact seen."}, follow=True
    )
    html = text_of(response)
    assert "The task has been marked as done." in html
    assert "Attended; no contact seen." in html
    task.refresh_from_db()
    assert task.done_by == world.involved


# --- Contributions (G15) --------------------------------------------------------------------------


@pytest.mark.guidance("G15")
def test_a_single_agency_assessment_is_flagged_and_a_multi_agency_one_is_not(owner_client, world):
    single = make_assessment(child=world.child, by=world.owner, judged="no_signals")
    html = text_of(owner_client.get(single.get_absolute_url()))
    assert "Single agency" in html
    assert "may not have the whole picture" in html
    multi = make_assessment(
        child=world.child, by=world.owner, contributors=[world.involved], judged="no_signals"
    )
    html = text_of(owner_client.get(multi.get_absolute_url()))
    assert "Contributed: Brookfield Academy (assessing), Northdale Police." in html
    assert "Single agency" not in html
    assert "What Northdale Police knows." in html


@pytest.mark.guidance("G15")
def test_an_agency_asked_opens_the_draft_to_contribute_and_nothing_more(
    owner_client, involved_client, world
):
    assessment = services.assessment_create(child=world.child, by=world.owner)
    assert involved_client.get(assessment.get_absolute_url()).status_code == 404
    invite = owner_client.post(url("invite", assessment), {"agencies": [world.police.pk]})
    assert invite.status_code == 302
    detail = involved_client.get(assessment.get_absolute_url())
    assert detail["Location"] == url("contribute", assessment)
    page = involved_client.get(url("contribute", assessment))
    assert "Add your agency's contribution" in page.content.decode()
    key = page.context["form"].fields["creation_key"].initial
    involved_client.post(
        url("contribute", assessment), {"text": "Known to us.", "creation_key": key}
    )
    involved_client.post(
        url("contribute", assessment), {"text": "Known to us.", "creation_key": key}
    )
    assert assessment.contributions.get().text == "Known to us."
    assert involved_client.get(f"{url('answers', assessment)}?domain=sera_low").status_code == 403
    assert involved_client.get(url("finalise", assessment)).status_code == 403
    assert involved_client.get(url("invite", assessment)).status_code == 403


def test_an_empty_contribution_gets_the_error_summary(owner_client, world):
    assessment = services.assessment_create(child=world.child, by=world.owner)
    response = owner_client.post(url("contribute", assessment), {"text": "   "})
    assert "Enter your agency&#x27;s contribution" in response.content.decode()


# --- The child's record (G16) ---------------------------------------------------------------------


def _series(world, levels, *, start_days_ago=300):
    made = []
    for n, level in enumerate(levels):
        present = {
            "low": {LOW: "current"},
            "medium": {MEDIUM: "current"},
            "high": {HIGH: "current"},
        }
        made.append(
            make_assessment(
                child=world.child,
                by=world.owner,
                present=present.get(level, {}),
                judged=level,
                now=timezone.now() - timedelta(days=start_days_ago - 100 * n),
            )
        )
    return made


@pytest.mark.guidance("G16")
def test_the_childs_record_charts_every_judged_level_with_the_same_data_as_a_table(
    owner_client, world
):
    made = _series(world, ["low", "medium", "high"])
    html = text_of(owner_client.get(world.child.get_absolute_url()))
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert 'role="img"' in svg
    assert '<title id="assessment-chart-title">Judged level of risk over time</title>' in svg
    assert "3 finalised assessments" in svg
    assert svg.count("<circle") == 3
    assert "<polyline" in svg
    table = html[html.index('id="assessment-levels"') :]
    table = table[: table.index("</table>")]
    for assessment, label in zip(made, ["Low risk", "Medium risk", "High risk"], strict=True):
        assert assessment.reference in table
        assert label in table


@pytest.mark.guidance("G16")
def test_the_next_assessment_is_due_three_months_after_the_latest_and_overdue_shows(
    owner_client, world
):
    _series(world, ["low", "medium"], start_days_ago=200)  # the latest 100 days ago
    html = text_of(owner_client.get(world.child.get_absolute_url()))
    assert "Next assessment due by" in html
    assert "Overdue" in html[html.index("Next assessment due by") :][:300]
    assert "Start a reassessment" in html


def test_the_section_shows_a_draft_only_to_its_agency(owner_client, involved_client, world):
    services.assessment_create(child=world.child, by=world.owner)
    assert "Draft risk assessment" in text_of(owner_client.get(world.child.get_absolute_url()))
    assert "Draft risk assessment" not in text_of(
        involved_client.get(world.child.get_absolute_url())
    )
