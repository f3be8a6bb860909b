"""The shipped assessment tools in the database: loaded by the migration in the guidance's
words, immutable once loaded, reloaded idempotently, refused when changed (G12)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from cse_portal.language import flag_terms
from referrals.assessment_tools import (
    SHIPPED_FILES,
    TOOLS_DIR,
    ToolDefinitionError,
    read_tool,
    validate,
)
from referrals.models import AssessmentTool, ToolIndicator
from referrals.scoring import Answer, AnswerState, ToolSpec, score

pytestmark = pytest.mark.django_db

SERA_FILE = TOOLS_DIR / "sera_v1.json"

# The SERA model's signals [seed 002, "A Model of Understanding"], split at its commas.
SERA_SIGNALS = {
    "low": [
        "Sexualised risk taking behaviour",
        "Beginning to truant from school",
        "Occasionally going missing",
        "Going to known places of concern",
        "Getting into cars",
        "Showing signs of gifts or access to resources",
        "Early signs of problem drug or alcohol use",
    ],
    "medium": [
        "Regularly going missing",
        "“Swapping sex” and talking about swapping",
        "Truanting regularly from school",
        "Going to known places of concern “hot spots”",
        "Involved with other vulnerable peers",
        "Experiencing violence, intimidation and fear",
        "Developing problem drug or alcohol use",
    ],
    "high": [
        "Entrenched in one, or a number of, abusive relationships",
        "Contact with known perpetrators",
        "Going missing and running from home",
        "Problem alcohol or drug use",
        "Experience of violence, intimidation and fear",
    ],
}

# Appendix 1's domains and dimensions, in the guidance's order.
APPENDIX_1 = [
    ("Developmental Needs", "Health"),
    ("Developmental Needs", "Education"),
    ("Developmental Needs", "Emotional and Behavioural Development"),
    ("Developmental Needs", "Identity"),
    ("Developmental Needs", "Family and Social Relationships"),
    ("Developmental Needs", "Social Presentation"),
    ("Parental Capacity", "Ensuring Safety"),
    ("Family and Environmental Factors", "Family History and Functioning"),
    ("Family and Environmental Factors", "Housing"),
    ("Family and Environmental Factors", "Income"),
    ("Family and Environmental Factors", "Family’s Social Integration"),
]


@pytest.fixture
def sera() -> AssessmentTool:
    return AssessmentTool.objects.get(code="sera", version=1)


@pytest.mark.guidance("G12")
def test_the_migration_loads_sera_and_the_seraf_style_variant():
    tools = {(t.code, t.version): t for t in AssessmentTool.objects.all()}
    assert set(tools) >= {("sera", 1), ("seraf", 1)}
    assert tools[("sera", 1)].indicators.count() == 71
    assert tools[("seraf", 1)].indicators.count() == 28
    assert "SERAF-style" in tools[("seraf", 1)].title


@pytest.mark.guidance("G12")
def test_sera_has_the_models_low_medium_and_high_signals_in_the_guidance_words(sera):
    for level, texts in SERA_SIGNALS.items():
        domain = sera.domains.get(code=f"sera_{level}")
        assert list(domain.indicators.values_list("text", flat=True)) == texts
        assert set(domain.indicators.values_list("level", flat=True)) == {level}


@pytest.mark.guidance("G12")
def test_sera_has_appendix_1_factors_by_domain_and_dimension_each_at_a_level(sera):
    domains = list(sera.domains.exclude(code__startswith="sera_"))
    assert [(d.group, d.title) for d in domains] == [
        (d.group, title) for d, (_, title) in zip(domains, APPENDIX_1, strict=True)
    ]
    for domain, (group, _) in zip(domains, APPENDIX_1, strict=True):
        assert group in domain.group
    health = sera.indicators.filter(domain__title="Health").values_list("text", flat=True)
    assert "Sexually risky behaviour" in health
    factors = ToolIndicator.objects.filter(domain__in=domains)
    assert factors.count() == 52
    # Each factor says why it signals its level.
    assert not factors.filter(level="").exists()
    assert not factors.filter(note="").exists()


@pytest.mark.guidance("G12")
def test_the_outcomes_carry_the_guidance_responses(sera):
    outcomes = {o.code: o for o in sera.outcomes.all()}
    assert list(outcomes) == ["no_signals", "low", "medium", "high", "not_enough_information"]
    assert outcomes["low"].response.startswith(
        "Such children are best dealt with through early intervention process"
    )
    assert outcomes["medium"].description.startswith(
        "A child who is targeted for opportunistic abuse"
    )
    assert outcomes["not_enough_information"].kind == "not_enough_information"
    assert list(sera.recency_bands.values_list("code", flat=True)) == [
        "current",
        "last_6_months",
        "earlier",
    ]


def test_the_spec_from_the_database_is_the_spec_from_the_file():
    for path in SHIPPED_FILES:
        data = read_tool(path)
        stored = AssessmentTool.objects.get(code=data["code"], version=data["version"])
        assert stored.spec() == ToolSpec.from_data(data)


@pytest.mark.guidance("G12")
def test_a_stored_tool_scores_like_its_file(sera, django_assert_max_num_queries):
    answers = {"M-05": Answer(AnswerState.PRESENT, "current")}
    with django_assert_max_num_queries(4):
        result = score(sera, answers)
    assert result.outcome == "medium"


@pytest.mark.parametrize(
    "table", ["assessmenttool", "toolindicator", "tooldomain", "tooloutcome", "toolrecencyband"]
)
def test_a_loaded_tool_cannot_be_changed_or_deleted_in_the_database(sera, table):
    column = "tool_id" if table != "assessmenttool" else "id"
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE referrals_{table} SET id = id WHERE {column} = %s", [sera.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM referrals_{table} WHERE {column} = %s", [sera.pk])


def test_loading_a_shipped_tool_again_changes_nothing(sera, capsys):
    call_command("load_assessment_tool", str(SERA_FILE))
    assert "nothing changed" in capsys.readouterr().out
    assert sera.indicators.count() == 71


def test_a_file_that_would_change_a_loaded_version_is_refused(sera, tmp_path: Path):
    data = json.loads(SERA_FILE.read_text())
    data["indicators"][0]["level"] = "high"
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(data))
    with pytest.raises(CommandError, match="already loaded with different content"):
        call_command("load_assessment_tool", str(changed))
    assert sera.indicators.get(code=data["indicators"][0]["code"]).level == "low"


def test_a_new_version_loads_beside_the_old_one(sera, tmp_path: Path, capsys):
    data = json.loads(SERA_FILE.read_text())
    data["version"] = 2
    data["indicators"][0]["text"] = "A reworded signal"
    new = tmp_path / "sera_v2.json"
    new.write_text(json.dumps(data))
    call_command("load_assessment_tool", str(new))
    assert "Loaded" in capsys.readouterr().out
    assert sera.indicators.get(code="L-01").text == "Sexualised risk taking behaviour"
    assert AssessmentTool.objects.get(code="sera", version=2).indicators.count() == 71


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["rule"].update(kind="python"), "Unknown rule kind"),
        (lambda d: d["indicators"][0].update(level="severe"), "signals no level"),
        (lambda d: d["indicators"][0].update(domain="nowhere"), "unknown domain"),
        (lambda d: d["indicators"][1].update(code=d["indicators"][0]["code"]), "unique"),
        (lambda d: d["indicators"][0].update(recency_bands=["yesterday"]), "recency band"),
        (lambda d: d["rule"].update(floor="high"), "floor must rank below"),
        (lambda d: d["rule"].update(not_enough_information="low"), "not_enough_information"),
        (lambda d: d["rule"]["levels"].reverse(), "ascending rank"),
        (lambda d: d["rule"]["levels"][0]["escalate"].update(at=1), "escalate"),
        (lambda d: d.pop("rule"), "no 'rule'"),
    ],
)
def test_a_broken_definition_is_refused_with_a_clear_message(change, message):
    data = json.loads(SERA_FILE.read_text())
    change(data)
    with pytest.raises(ToolDefinitionError, match=message):
        validate(data)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["rule"]["bands"][0].update(min=1), "ascend from 0"),
        (lambda d: d["rule"]["bands"].reverse(), "ascend"),
        (lambda d: d["rule"]["categories"][1].update(points=-1), "points"),
        (lambda d: d["indicators"][0].update(category="grave"), "no known category"),
        (lambda d: d["indicators"][10].update(recency_bands=[]), "must take recency bands"),
        (lambda d: d["rule"].update(floor="mild"), "floor must be the first band"),
    ],
)
def test_a_broken_points_rule_is_refused(change, message):
    data = json.loads((TOOLS_DIR / "seraf_v1.json").read_text())
    change(data)
    with pytest.raises(ToolDefinitionError, match=message):
        validate(data)


def test_an_unreadable_file_is_refused(tmp_path: Path):
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("load_assessment_tool", str(broken))


@pytest.mark.guidance("G38")
def test_the_tool_keeps_the_guidance_wording_and_practitioner_notes_are_still_flagged(sera):
    # The guidance's own indicator wording is shown as written (the language prompt checks only
    # what practitioners write); the same word in a practitioner's note is still flagged.
    identity = sera.indicators.get(code="ID-01")
    assert identity.text.endswith("eating disorder, promiscuity")
    note = "Her boyfriend collects her from school; staff describe promiscuity."
    assert {flag.term for flag in flag_terms(note)} >= {"boyfriend", "promiscuity"}
