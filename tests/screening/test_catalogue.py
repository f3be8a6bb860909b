"""The SAFEGUARD indicator catalogue: reference data, versioned, never rewritten (G02)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from screening.catalogue import VERSION_1_FILE
from screening.models import Indicator, Kind
from tests.screening.factories import make_screening

# The OCC checklist as the guidance gives it [seed 000, "Signs and Indicators of Abuse"].
OCC_VULNERABILITIES = {
    "Living in a chaotic or dysfunctional household (including parental substance use, "
    "domestic violence, parental mental health issues, parental criminality)",
    "History of abuse (including family related child sexual abuse, risk of forced marriage, "
    "risk of honour based violence, physical and emotional abuse and neglect)",
    "Recent bereavement or loss",
    "Gang-association either through relatives, peers or intimate relationships (in cases of "
    "gang-associated CSE only)",
    "Attending school with children and young people who are already sexually exploited",
    "Learning disabilities",
    "Unsure about their sexual orientation or unable to disclose sexual orientation to their "
    "families",
    "Friends with young people who are sexually exploited",
    "Homeless",
    "Lacking friends from the same age group",
    "Living in a gang neighbourhood",
    "Living in residential care",
    "Living in hostel or bed and breakfast accommodation",
    "Low self-esteem or self-confidence",
    "Young carer",
}
OCC_SIGNS = {
    "Missing from home or care",
    "Physical injuries",
    "Drug or alcohol misuse",
    "Involvement in offending",
    "Repeat sexually-transmitted infections, pregnancy and terminations",
    "Absent from school",
    "Change in physical appearance",
    "Evidence of sexual bullying and/or vulnerability through the internet and/or social "
    "networking sites",
    "Estranged from their family",
    "Receipt of gifts from unknown sources",
    "Recruiting others into exploitative situations",
    "Poor mental health",
    "Self-harm",
    "Thoughts of or attempts at suicide",
}


@pytest.mark.guidance("G02")
def test_catalogue_has_the_nine_safeguard_headings_in_order(catalogue) -> None:
    letters = "".join(catalogue.headings.order_by("position").values_list("letter", flat=True))
    assert letters == "SAFEGUARD"


@pytest.mark.guidance("G02")
def test_catalogue_marks_the_15_occ_vulnerabilities_and_14_signs_in_the_guidance_words(
    catalogue,
) -> None:
    indicators = catalogue.indicators.all()
    vulnerabilities = {i.text for i in indicators if i.kind == Kind.VULNERABILITY}
    signs = {i.text for i in indicators if i.kind == Kind.SIGN}
    assert vulnerabilities == OCC_VULNERABILITIES
    assert signs == OCC_SIGNS
    assert indicators.count() == 37  # plus 8 SAFEGUARD indicators on neither OCC list


@pytest.mark.guidance("G02")
def test_every_indicator_has_a_stable_unique_code_under_its_heading(catalogue) -> None:
    codes = list(catalogue.indicators.values_list("code", "heading__code"))
    assert len({code for code, _ in codes}) == len(codes)
    assert all(code.startswith(f"{heading}-") for code, heading in codes)


def test_catalogue_rows_cannot_be_changed_in_the_database(catalogue) -> None:
    indicator = catalogue.indicators.first()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE screening_indicator SET text = 'changed' WHERE id = %s", [indicator.pk]
        )
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM screening_heading WHERE version_id = %s", [catalogue.pk])


def test_loading_the_same_catalogue_again_changes_nothing(catalogue, capsys) -> None:
    call_command("load_catalogue", str(VERSION_1_FILE))
    assert "nothing changed" in capsys.readouterr().out
    assert catalogue.indicators.count() == 37


def test_a_file_that_would_change_a_loaded_version_is_refused(catalogue, tmp_path: Path) -> None:
    data = json.loads(VERSION_1_FILE.read_text())
    data["indicators"][0]["text"] = "A rewritten indicator"
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(data))
    with pytest.raises(CommandError, match="already loaded with different content"):
        call_command("load_catalogue", str(changed))
    assert not Indicator.objects.filter(text="A rewritten indicator").exists()


def test_a_broken_catalogue_file_is_refused_with_a_clear_message(catalogue, tmp_path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text(
        json.dumps(
            {
                "version": 9,
                "title": "x",
                "source": "y",
                "headings": [],
                "indicators": [{"code": "Z-01", "heading": "Z"}],
            }
        )
    )
    with pytest.raises(CommandError, match="unknown heading"):
        call_command("load_catalogue", str(broken))


def test_a_new_version_is_used_by_new_screenings_and_old_ones_keep_theirs(
    world, catalogue, tmp_path
) -> None:
    old = make_screening(child=world.child, by=world.owner)
    data = json.loads(VERSION_1_FILE.read_text())
    data["version"] = 2
    data["indicators"][0]["text"] = "Revised wording of the first indicator"
    new_file = tmp_path / "v2.json"
    new_file.write_text(json.dumps(data))
    call_command("load_catalogue", str(new_file))

    new = make_screening(child=world.child, by=world.owner)
    assert old.catalogue.number == 1
    assert new.catalogue.number == 2
    first_old = old.answers.order_by("indicator__heading__position", "indicator__position")[0]
    assert (
        first_old.indicator.text
        == "Repeat sexually-transmitted infections, pregnancy and terminations"
    )
    assert new.answers.filter(indicator__text="Revised wording of the first indicator").exists()


def test_an_answer_to_an_indicator_of_another_catalogue_version_is_refused_by_the_database(
    world, catalogue, tmp_path
) -> None:
    old = make_screening(child=world.child, by=world.owner)
    data = json.loads(VERSION_1_FILE.read_text())
    data["version"] = 2
    new_file = tmp_path / "v2.json"
    new_file.write_text(json.dumps(data))
    call_command("load_catalogue", str(new_file))
    foreign = Indicator.objects.filter(version__number=2).first()
    answer = old.answers.first()
    message = "An answer must be to an indicator of the screening's catalogue version"
    refused = pytest.raises(DatabaseError, match=message)
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE screening_screeninganswer SET indicator_id = %s WHERE id = %s",
            [foreign.pk, answer.pk],
        )
    answer.refresh_from_db()
    assert answer.indicator.version_id == old.catalogue_id
