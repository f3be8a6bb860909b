"""An assessment that starts from a referral is pre-answered from the referral's SAFEGUARD
indicators, through the tool's map (data), as a suggestion the assessor confirms or changes;
beside the tool's missing indicators, the count of missing episodes (a prompt, G33)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from referrals import services
from referrals.assessment_prefill import SHIPPED_MAPS, read_map, recency_for, unknown_codes
from referrals.assessment_tools import SHIPPED_FILES, read_tool
from referrals.models import AssessmentAnswer, ToolPrefillMap
from referrals.services import AnswerInput, Judgement
from screening import services as screening_services
from screening.models import Answer, Indicator
from tests.conftest import sign_in
from tests.referrals.assessment.records import (
    all_answers,
    answer,
    choose_tool,
    shipped_tools,  # noqa: F401  (autouse)
)
from tests.referrals.conftest import COMPLETE_DETAILS, send
from tests.referrals.missing.factories import ago, record, record_return
from tests.screening.factories import ensure_catalogue

pytestmark = pytest.mark.django_db


def _sql(statement, params):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)


PRESENT = ("A1-02", "S-01", "F-04")  # missing from home; STIs; residential care (not linked)


def _referral(world, *, present=PRESENT, now=None):
    catalogue = ensure_catalogue()
    answers = {
        i.code: screening_services.AnswerInput(
            Answer.PRESENT if i.code in present else Answer.NOT_PRESENT, ""
        )
        for i in Indicator.objects.filter(version=catalogue)
    }
    screening = screening_services.screening_create(
        child=world.child, by=world.owner, answers=answers
    )
    screening = screening_services.screening_submit(
        screening=screening,
        by=world.owner,
        conclusion="refer",
        reason="",
        expected_version=screening.version,
    )
    referral, _ = services.referral_create(
        child=world.child, by=world.owner, data=dict(COMPLETE_DETAILS), screening=screening
    )
    return send(referral, world.owner, now=now)


# --- The maps are data, checked against both catalogues ---------------------------------------


@pytest.mark.parametrize("path", SHIPPED_MAPS, ids=lambda p: p.name)
def test_every_code_of_a_shipped_map_exists_in_the_safeguard_catalogue_and_its_tool(path):
    data = read_map(path)
    tools = {(t["code"], t["version"]): t for t in map(read_tool, SHIPPED_FILES)}
    tool = tools[(data["tool"], data["tool_version"])]
    catalogue = json.loads(
        (path.parent.parent / "safeguard_catalogue_v1.json").read_text(encoding="utf-8")
    )
    assert data["catalogue_version"] == catalogue["version"]
    bad_safeguard, bad_tool = unknown_codes(
        data,
        safeguard={i["code"] for i in catalogue["indicators"]},
        tool={i["code"] for i in tool["indicators"]},
    )
    assert bad_safeguard == set() and bad_tool == set()
    assert data["missing_indicators"], "each tool names its missing indicators"


def test_both_shipped_tools_have_a_map_loaded_and_it_cannot_be_changed():
    maps = ToolPrefillMap.objects.select_related("tool")
    assert {m.tool.code for m in maps} == {"sera", "seraf"}
    one = maps.first()
    with pytest.raises(Exception, match="Cannot update or delete"):
        _sql("UPDATE referrals_toolprefillmap SET recent_days = 1 WHERE id = %s", [one.pk])
    with pytest.raises(Exception, match="Cannot update or delete"):
        _sql("DELETE FROM referrals_toolprefilllink WHERE map_id = %s", [one.pk])


def test_a_recent_referral_is_current_an_older_one_falls_in_its_band():
    now = timezone.now()
    sera = ["current", "last_6_months", "earlier"]
    seraf = ["current", "last_6_months", "6_to_12_months", "earlier"]
    assert recency_for(now - timedelta(days=27), sera, recent_days=28, now=now) == "current"
    assert recency_for(now - timedelta(days=40), sera, recent_days=28, now=now) == "last_6_months"
    assert recency_for(now - timedelta(days=300), sera, recent_days=28, now=now) == "earlier"
    assert recency_for(now - timedelta(days=300), seraf, recent_days=28, now=now) == (
        "6_to_12_months"
    )
    assert recency_for(now - timedelta(days=400), seraf, recent_days=28, now=now) == "earlier"
    assert recency_for(None, sera, recent_days=28, now=now) == ""


# --- Pre-answering ---------------------------------------------------------------------------


def test_an_assessment_from_a_referral_is_pre_answered_as_suggestions_awaiting_check(world):
    referral = _referral(world)
    assessment = services.assessment_create(child=world.child, by=world.owner, referral=referral)
    answers = {a.indicator.code: a for a in assessment.answers.select_related("indicator")}
    # A1-02 → "Occasionally going missing"; S-01 → the two STI / pregnancy factors.
    assert set(answers) == {"L-03", "HE-03", "HE-04"}
    going_missing = answers["L-03"]
    assert going_missing.state == "present" and going_missing.recency == "current"
    assert going_missing.awaiting_check
    assert going_missing.note == ""  # the assessor's note is theirs
    assert going_missing.referral_suggestion.startswith("Present, from the CSE1 referral of ")
    assert going_missing.referral_suggestion.endswith(": Missing from home or care")
    assert assessment.prefill_map.tool == assessment.tool


def test_an_old_referral_suggests_an_earlier_band(world):
    referral = _referral(world, present=("A1-02",), now=timezone.now() - timedelta(days=90))
    assessment = services.assessment_create(child=world.child, by=world.owner, referral=referral)
    assert assessment.answers.get().recency == "last_6_months"


def test_seraf_uses_its_own_map(world):
    choose_tool(world.north, "seraf", by=world.owner)
    referral = _referral(world)
    assessment = services.assessment_create(child=world.child, by=world.owner, referral=referral)
    assert set(assessment.answers.values_list("indicator__code", flat=True)) == {"MO-04"}


def test_an_assessment_not_from_a_referral_has_no_suggestions(world):
    assessment = services.assessment_create(child=world.child, by=world.owner)
    assert not assessment.answers.exists() and assessment.prefill_map is None


@pytest.mark.guidance("G40")
def test_a_suggestion_from_the_referral_is_never_silently_final(world):
    referral = _referral(world)
    assessment = services.assessment_create(child=world.child, by=world.owner, referral=referral)
    # Every other indicator answered; the suggested ones not yet saved by the assessor.
    others = {
        k: v for k, v in all_answers(assessment).items() if k not in {"L-03", "HE-03", "HE-04"}
    }
    answer(assessment, world.owner, others)
    assessment.refresh_from_db()
    with pytest.raises(ValidationError, match="suggested from the referral"):
        services.assessment_finalise(
            assessment=assessment,
            by=world.owner,
            judgement=Judgement(outcome="low"),
            expected_version=assessment.version,
        )
    # The database refuses it too, whatever writes it.
    with pytest.raises(IntegrityError, match="confirmed or changed"):
        _sql(
            "UPDATE referrals_riskassessment SET status = 'finalised', judged_outcome_id = "
            "suggested_outcome_id WHERE id = %s",
            [assessment.pk],
        )


def test_saving_the_page_confirms_or_changes_the_suggestion_and_keeps_what_was_suggested(world):
    referral = _referral(world)
    assessment = services.assessment_create(child=world.child, by=world.owner, referral=referral)
    answer(
        assessment,
        world.owner,
        {
            "L-03": AnswerInput(state="present", recency="current"),
            "HE-03": AnswerInput(state="not_present"),
        },
    )
    kept = AssessmentAnswer.objects.get(assessment=assessment, indicator__code="L-03")
    changed = AssessmentAnswer.objects.get(assessment=assessment, indicator__code="HE-03")
    waiting = AssessmentAnswer.objects.get(assessment=assessment, indicator__code="HE-04")
    assert not kept.awaiting_check and kept.referral_suggestion_kept
    assert not changed.awaiting_check and not changed.referral_suggestion_kept
    assert changed.referral_suggestion  # what the referral suggested stays on the record
    assert waiting.awaiting_check


# --- The pages -------------------------------------------------------------------------------


def _domain_page(client, assessment, domain):
    url = reverse(
        "referrals:assessment_answers",
        kwargs={"child_pk": assessment.child_id, "pk": assessment.pk},
    )
    return client.get(f"{url}?domain={domain}")


def test_the_domain_page_says_which_answers_came_from_the_referral(world, client):
    referral = _referral(world)
    assessment = services.assessment_create(child=world.child, by=world.owner, referral=referral)
    page = _domain_page(sign_in(client, world.owner), assessment, "sera_low").content.decode()
    assert "From the referral" in page
    assert "Missing from home or care (check it, then confirm or change it)" in page
    task_list = client.get(assessment.get_absolute_url()).content.decode()
    assert "To check: from the referral" in task_list


@pytest.mark.guidance("G33")
@pytest.mark.guidance("G12")
def test_beside_the_missing_indicators_the_count_of_recent_episodes_is_a_prompt(world, client):
    assessment = services.assessment_create(child=world.child, by=world.owner)
    for days in (10, 40, 200):
        episode = record(world.child, world.owner, reported=ago(days=days))
        record_return(episode, world.owner, returned=ago(days=days - 1))
    page = _domain_page(sign_in(client, world.owner), assessment, "sera_low").content.decode()
    assert "2 missing episodes recorded in the last 90 days" in page
    assert reverse("referrals:missing_list", kwargs={"child_pk": world.child.pk}) in page
    # Only beside the missing indicators (L-03 here), and never an answer.
    assert page.count("missing episodes recorded") == 1
    assert not assessment.answers.exists()
