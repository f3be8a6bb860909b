"""The risk assessment's services: starting one with the home authority's tool (from a
referral, as a reassessment), answering, finalising with the judged level beside the tool's
suggestion, contributions and information tasks (G12–G16, G40)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cse_portal.lifecycle import ConcurrentEditError
from referrals import services
from referrals.models import AssessmentStatus, RiskAssessment
from referrals.services import AnswerInput, Judgement
from tests.referrals.assessment.records import (
    HIGH,
    LOW,
    MEDIUM,
    a_task,
    all_answers,
    answer,
    choose_tool,
    make_assessment,
    shipped_tools,  # noqa: F401  (autouse)
    tool,
)
from tests.referrals.conftest import make_draft, send

pytestmark = pytest.mark.django_db


def _finalise(assessment, by, outcome, reason=""):
    assessment.refresh_from_db()
    return services.assessment_finalise(
        assessment=assessment,
        by=by,
        judgement=Judgement(outcome=outcome, reason=reason),
        expected_version=assessment.version,
    )


# --- Starting ---------------------------------------------------------------------------------


@pytest.mark.guidance("G12")
def test_an_assessment_uses_the_tool_of_the_childs_home_authority(world):
    assert services.assessment_create(child=world.child, by=world.owner).tool == tool("sera")
    choose_tool(world.north, "seraf", by=world.owner)
    other = services.assessment_create(child=world.child, by=world.involved)
    assert other.tool == tool("seraf")


def test_starting_twice_with_the_same_key_starts_one_assessment(world):
    key = uuid.uuid4()
    first = services.assessment_create(child=world.child, by=world.owner, creation_key=key)
    again = services.assessment_create(child=world.child, by=world.owner, creation_key=key)
    assert first == again
    assert RiskAssessment.objects.count() == 1


def test_an_agency_has_one_draft_of_a_child_at_a_time(world):
    services.assessment_create(child=world.child, by=world.owner)
    with pytest.raises(ValidationError, match="already has a draft"):
        services.assessment_create(child=world.child, by=world.lead)
    # Another agency involved with the child starts its own.
    services.assessment_create(child=world.child, by=world.involved)


def test_an_assessment_starts_from_a_sent_referral_about_the_child_only(world):
    draft = make_draft(by=world.owner, child=world.child)
    with pytest.raises(ValidationError):
        services.assessment_create(child=world.child, by=world.owner, referral=draft)
    sent = send(draft, world.owner)
    assessment = services.assessment_create(child=world.child, by=world.owner, referral=sent)
    assert assessment.referral == sent


@pytest.mark.guidance("G16")
def test_a_reassessment_names_the_latest_finalised_assessment(world):
    first = make_assessment(
        child=world.child, by=world.owner, present={LOW: "current"}, judged="low"
    )
    second = make_assessment(
        child=world.child, by=world.owner, present={MEDIUM: "current"}, judged="medium"
    )
    third = services.assessment_create(child=world.child, by=world.owner)
    assert first.previous is None
    assert second.previous == first
    assert third.previous == second


# --- Answering --------------------------------------------------------------------------------


def test_how_recently_is_kept_only_for_a_present_indicator(world):
    assessment = services.assessment_create(child=world.child, by=world.owner)
    answer(
        assessment,
        world.owner,
        {
            LOW: AnswerInput("present", "last_6_months", " Seen twice. "),
            MEDIUM: AnswerInput("not_present", "current"),
        },
    )
    answers = {a.indicator.code: a for a in assessment.answers.select_related("indicator")}
    assert (answers[LOW].state, answers[LOW].recency, answers[LOW].note) == (
        "present",
        "last_6_months",
        "Seen twice.",
    )
    assert answers[MEDIUM].recency == ""


def test_a_recency_the_indicator_does_not_take_is_refused(world):
    assessment = services.assessment_create(child=world.child, by=world.owner)
    with pytest.raises(ValidationError):
        answer(assessment, world.owner, {LOW: AnswerInput("present", "6_to_12_months")})


def test_a_stale_save_is_refused_and_overwrites_nothing(world):
    assessment = services.assessment_create(child=world.child, by=world.owner)
    stale = assessment.version
    answer(assessment, world.owner, {LOW: AnswerInput("present", "current")})
    with pytest.raises(ConcurrentEditError):
        services.assessment_save_answers(
            assessment=assessment,
            by=world.lead,
            answers={LOW: AnswerInput("not_present")},
            expected_version=stale,
        )
    assert assessment.answers.get().state == "present"


def test_only_the_assessing_agency_writes_the_draft(world):
    assessment = services.assessment_create(child=world.child, by=world.owner)
    with pytest.raises(PermissionDenied):
        answer(assessment, world.involved, {LOW: AnswerInput("present")})


# --- Finalising ---------------------------------------------------------------------------------


@pytest.mark.guidance("G12")
@pytest.mark.guidance("G40")
def test_finalising_keeps_the_suggestion_and_the_indicators_that_drove_it(world):
    assessment = make_assessment(
        child=world.child,
        by=world.owner,
        present={LOW: "current", HIGH: "last_6_months"},
        judged="high",
    )
    assert assessment.status == AssessmentStatus.FINALISED
    assert assessment.suggested_outcome.code == "high"
    detail = assessment.suggestion_detail
    assert detail["label"] == "High risk"
    assert [d["code"] for d in detail["drivers"]] == [HIGH]
    assert detail["drivers"][0]["recency"] == "In the last 6 months"


@pytest.mark.guidance("G13")
def test_a_judged_level_that_differs_from_the_suggestion_needs_a_reason(world):
    assessment = make_assessment(child=world.child, by=world.owner, present={LOW: "current"})
    with pytest.raises(ValidationError) as refused:
        _finalise(assessment, world.owner, "medium")
    assert "judgement_reason" in refused.value.message_dict
    finalised = _finalise(assessment, world.owner, "medium", "Seen with adults known to police.")
    assert (finalised.suggested_outcome.code, finalised.judged_outcome.code) == ("low", "medium")


@pytest.mark.guidance("G13")
def test_a_judged_level_that_follows_the_suggestion_needs_no_reason(world):
    assessment = make_assessment(
        child=world.child, by=world.owner, present={MEDIUM: "current"}, judged="medium"
    )
    assert assessment.judgement_reason == ""


def test_every_indicator_is_answered_before_finalising(world):
    assessment = services.assessment_create(child=world.child, by=world.owner)
    answer(assessment, world.owner, all_answers(assessment, {LOW: "current"}, unanswered=[HIGH]))
    with pytest.raises(ValidationError, match="1 indicator has no answer"):
        _finalise(assessment, world.owner, "low")


def test_a_present_indicator_says_how_recently_before_finalising(world):
    assessment = make_assessment(child=world.child, by=world.owner, present={LOW: ""})
    with pytest.raises(ValidationError, match="how recently"):
        _finalise(assessment, world.owner, "low")


def test_the_judged_level_is_one_of_the_tools_outcomes(world):
    assessment = make_assessment(child=world.child, by=world.owner)
    with pytest.raises(ValidationError) as refused:
        _finalise(assessment, world.owner, "significant")  # SERAF's, not SERA's
    assert refused.value.message_dict["judged_outcome"] == ["Select the level you judge"]


@pytest.mark.guidance("G14")
def test_not_enough_information_needs_each_missing_piece_who_and_by_when(world):
    assessment = make_assessment(child=world.child, by=world.owner, not_known=[HIGH])
    assert assessment.tool.rule["not_enough_information"] == "not_enough_information"
    with pytest.raises(ValidationError) as refused:
        _finalise(assessment, world.owner, "not_enough_information")
    assert "information_tasks" in refused.value.message_dict
    services.assessment_task_add(assessment=assessment, by=world.owner, task=a_task())
    finalised = _finalise(assessment, world.owner, "not_enough_information")
    assert finalised.judged_outcome.label == "Not enough information"
    assert finalised.suggested_outcome.code == "not_enough_information"  # G40: unknowns


@pytest.mark.guidance("G14")
def test_an_information_task_names_what_who_and_when(world):
    assessment = services.assessment_create(child=world.child, by=world.owner)
    problems = services.task_problems(services.TaskInput(), assessment=assessment)
    assert set(problems) == {"information", "name", "due"}
    late = a_task(due=timezone.localdate() - timedelta(days=1))
    assert services.task_problems(late, assessment=assessment) == {
        "due": "The date must be today or in the future"
    }
    elsewhere = a_task(agency=world.health)  # not involved with the child
    assert "agency" in services.task_problems(elsewhere, assessment=assessment)
    assert services.task_problems(a_task(agency=world.police), assessment=assessment) == {}


@pytest.mark.guidance("G14")
def test_a_task_is_marked_done_once_attributed_after_finalising(world):
    assessment = make_assessment(
        child=world.child,
        by=world.owner,
        not_known=[HIGH],
        tasks=[a_task(agency=world.police)],
        judged="not_enough_information",
    )
    task = assessment.information_tasks.get()
    with pytest.raises(PermissionDenied):
        services.assessment_task_done(task=task, by=world.csc_officer, note="")
    done = services.assessment_task_done(task=task, by=world.involved, note="She did attend.")
    assert (done.done_by, done.done_note) == (world.involved, "She did attend.")
    again = services.assessment_task_done(task=task, by=world.owner, note="Again")
    assert (again.done_by, again.done_note) == (world.involved, "She did attend.")


def test_a_task_is_not_marked_done_on_a_draft(world):
    assessment = services.assessment_create(child=world.child, by=world.owner)
    task = services.assessment_task_add(assessment=assessment, by=world.owner, task=a_task())
    with pytest.raises(ValidationError):
        services.assessment_task_done(task=task, by=world.owner, note="")


def test_finalising_twice_is_refused_and_changes_nothing(world):
    assessment = make_assessment(child=world.child, by=world.owner, judged="no_signals")
    with pytest.raises(ValidationError):
        services.assessment_finalise(
            assessment=assessment,
            by=world.owner,
            judgement=Judgement(outcome="high", reason="x"),
            expected_version=assessment.version,
        )
    assessment.refresh_from_db()
    assert assessment.judged_outcome.code == "no_signals"


# --- Contributions (G15) ------------------------------------------------------------------------


@pytest.mark.guidance("G15")
def test_an_agency_asked_adds_its_contribution_while_it_is_a_draft(world):
    assessment = services.assessment_create(child=world.child, by=world.owner)
    with pytest.raises(PermissionDenied):
        services.assessment_contribute(assessment=assessment, by=world.involved, text="x")
    services.assessment_invite(assessment=assessment, by=world.owner, agencies=[world.police])
    key = uuid.uuid4()
    added = services.assessment_contribute(
        assessment=assessment, by=world.involved, text=" Known to police. ", creation_key=key
    )
    again = services.assessment_contribute(
        assessment=assessment, by=world.involved, text="Known to police.", creation_key=key
    )
    assert added == again
    assert (added.agency, added.officer, added.text) == (
        world.police,
        world.involved,
        "Known to police.",
    )


@pytest.mark.guidance("G15")
def test_only_agencies_involved_with_the_child_are_asked(world):
    assessment = services.assessment_create(child=world.child, by=world.owner)
    with pytest.raises(ValidationError):
        services.assessment_invite(assessment=assessment, by=world.owner, agencies=[world.health])
    with pytest.raises(PermissionDenied):
        services.assessment_invite(
            assessment=assessment, by=world.involved, agencies=[world.police]
        )


def test_no_contribution_is_added_once_finalised(world):
    assessment = make_assessment(
        child=world.child, by=world.owner, contributors=[world.involved], judged="no_signals"
    )
    with pytest.raises(ValidationError):
        services.assessment_contribute(assessment=assessment, by=world.involved, text="Later")
    assert assessment.contributions.count() == 1


def test_an_empty_contribution_is_refused(world):
    assessment = services.assessment_create(child=world.child, by=world.owner)
    with pytest.raises(ValidationError) as refused:
        services.assessment_contribute(assessment=assessment, by=world.owner, text="  ")
    assert refused.value.message_dict == {"text": ["Enter your agency's contribution"]}
