"""Victim-centred language prompts (G38): flagged with the preferred wording, never blocking."""

from __future__ import annotations

import time

import pytest
from django.template.loader import render_to_string

from cse_portal.language import flag_terms, flags_for_fields

pytestmark = pytest.mark.guidance("G38")
L, R = "\u2018", "\u2019"  # the curly quotes the prompt uses


def terms(text):
    return [flag.term for flag in flag_terms(text)]


@pytest.mark.parametrize(
    ("text", "term", "preferred"),
    [
        (
            "She is a child prostitute",
            "child prostitute",
            "child who is a victim of sexual exploitation",
        ),
        ("known to be a prostitute", "prostitute", "victim of abuse"),
        ("involved in prostitution", "prostitution", "sexual exploitation"),
        ("a punter picked him up", "punter", "sex offender who abuses them"),
        ("her pimp drives a van", "pimp", "coercer"),
        (
            "went off with her boyfriend (aged 24)",
            "boyfriend",
            "adult or person who is exploiting or abusing the child",
        ),
        (
            "he says the man is his boyfriend",
            "boyfriend",
            "adult or person who is exploiting or abusing the child",
        ),
        ("very streetwise for 14", "streetwise", "a child at risk who needs protection"),
        ("the sex was consensual", "consensual", None),
        ("she consented", "consented", None),
        ("consenting to sex", "consenting", None),
        ("described as promiscuous", "promiscuous", None),
        ("has a risky lifestyle", "risky lifestyle", None),
        ("keeps putting themselves at risk", "putting themselves at risk", None),
        ("she is putting herself at risk", "putting herself at risk", None),
        ("has been sexually active since 13", "sexually active", None),
        ("called a rent boy at school", "rent boy", None),
    ],
)
def test_each_replaced_term_is_flagged_with_the_preferred_wording(text, term, preferred):
    flags = flag_terms(text)
    assert [f.term for f in flags] == [term]
    assert flags[0].message
    if preferred:
        assert flags[0].preferred == preferred


def test_the_prompt_for_boyfriend_asks_to_describe_an_exploiter_as_an_adult_exploiting_the_child():
    (flag,) = flag_terms("Her boyfriend collects her from school")
    assert "not as the child's boyfriend" in flag.message
    assert "exploiting or abusing the child" in flag.message


def test_matching_ignores_case_and_keeps_what_the_writer_wrote():
    assert terms("PIMP and Punter") == ["PIMP", "Punter"]


def test_only_whole_words_are_flagged():
    assert terms("a pimple, a pimpernel, no: repunteresque, dispensary") == []
    assert terms("she does not consent to sharing; the young person consents") == []
    assert terms("the streets are wide") == []


def test_a_child_prostitute_is_one_flag_not_two():
    assert terms("described as a child prostitute") == ["child prostitute"]


def test_each_term_is_flagged_once_in_order_of_appearance():
    assert terms("pimp, then punter, then pimp again, then Pimps") == ["pimp", "punter"]


def test_hyphens_and_line_breaks_between_words_still_match():
    assert terms("street-wise") == ["street-wise"]
    assert terms("risky\nlifestyle") == ["risky\nlifestyle"]


def test_odd_unicode_does_not_crash_and_full_width_letters_are_caught():
    assert terms("\uff50\uff49\uff4d\uff50") == ["pimp"]
    assert terms("\ud800 lone surrogate, emoji 🙂, RTL \u202e, zero\u200bwidth") == []
    assert terms("Zoë's café — naïve") == []


def test_words_run_into_other_letters_are_not_flagged():
    assert terms("Prostitutesque") == []
    assert terms("ÄpimpÄ") == []


def test_empty_and_non_text_values_have_no_flags():
    assert flag_terms("") == []
    assert flag_terms(None) == []
    assert flag_terms(42) == []


def test_huge_input_is_checked_quickly():
    text = ("an ordinary sentence about the child's week. " * 100_000) + " pimp"
    started = time.monotonic()
    flag_terms(text)
    assert time.monotonic() - started < 5


def test_flags_for_fields_keys_by_label_and_skips_clean_fields():
    data = {"concern": "Her boyfriend is 30", "places": "the park", "other": 3}
    result = flags_for_fields(data, {"concern": "Basis of concern", "places": "Places"})
    assert list(result) == ["Basis of concern"]
    assert result["Basis of concern"][0].term == "boyfriend"
    assert flags_for_fields(data, ["concern"]).keys() == {"concern"}


def test_the_include_shows_what_was_written_and_the_preferred_wording():
    flags = flags_for_fields({"c": "with her pimp"}, {"c": "Basis of concern"})
    html = render_to_string("includes/language_flags.html", {"language_flags": flags})
    assert "govuk-warning-text" in html
    assert f"You wrote {L}pimp{R}" in html
    assert f"{L}coercer{R}" in html
    assert "Basis of concern" in html
    assert render_to_string("includes/language_flags.html", {"language_flags": {}}).strip() == ""


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("Staff describe her as rebellious at home", "rebellious"),
        ("He is very problematic in class", "He is very problematic"),
        ("a problematic young person known to police", "problematic young person"),
        ("police say she was problematic", "she was problematic"),
        ("regarded as bad or criminal behaviour by staff", "bad or criminal behaviour"),
        ("his criminal behaviour in the park", "criminal behaviour"),
    ],
)
def test_the_seed_002_terms_said_of_the_child_are_flagged(text, term):
    assert term in terms(text)


@pytest.mark.parametrize(
    "text",
    [
        # The guidance's own words in the SAFEGUARD catalogue and ordinary uses of the words.
        "Problematic internet/social-network use",
        "problematic substance use",
        "coordinate with any criminal investigation",
        "the criminal justice agencies",
    ],
)
def test_the_catalogue_wording_and_other_uses_are_not_flagged(text):
    assert terms(text) == []
