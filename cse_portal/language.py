"""Victim-centred language (G38): spot the words the guidance replaces, and say what to use.

The guidance [002 §3 "Responsibility for criminal acts"; §6] replaces "pimp, punter and
prostitute" with "coercers, the sex offenders who abuse them and victims of abuse", says that
"prostitute" and "prostitution" imply "a degree of legality, choice and consent", warns
against calling an exploiter the child's boyfriend or girlfriend, against presenting a child as
"streetwise", and against mistaking the child's behaviour as consensual.

The prompt never blocks a save: a practitioner may be quoting the child or a witness. The
writer sees what they wrote and the preferred wording, and decides.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from django import forms

if TYPE_CHECKING:
    from django.http import HttpRequest

# Long enough for any real field (forms cap text at 10,000 characters); a pasted novel is
# checked in its first megabyte rather than held up.
MAX_SCAN = 1_000_000

_VICTIM_BLAMING = (
    "This can suggest the child chose or is responsible for their abuse. Children cannot "
    "consent to their own exploitation: describe what happened to the child and who harmed them."
)


@dataclass(frozen=True)
class LanguageFlag:
    term: str  # what the writer wrote, as they wrote it
    preferred: str  # the wording the guidance asks for
    message: str  # why, in a sentence or two

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


@dataclass(frozen=True)
class _Rule:
    key: str
    pattern: re.Pattern[str]
    preferred: str
    message: str


def _rule(key: str, words: str, preferred: str, message: str) -> _Rule:
    # Whole words only ("pimple" and "dispensary" are fine); spaces or hyphens between words.
    pattern = re.compile(rf"(?<!\w)(?:{words})(?!\w)", re.IGNORECASE)
    return _Rule(key, pattern, preferred, message)


_SEP = r"[\s\-]+"

# Order matters: longer phrases first, so "child prostitute" is one flag, not two.
RULES: tuple[_Rule, ...] = (
    _rule(
        "child prostitute",
        rf"child{_SEP}prostitutes?|child{_SEP}prostitution",
        "child who is a victim of sexual exploitation",
        "The guidance replaces 'child prostitute': a child who is sexually exploited is a "
        "victim of abuse. The term implies legality, choice and consent.",
    ),
    _rule(
        "rent boy",
        rf"rent{_SEP}boys?",
        "boy or young man who is being sexually exploited",
        "A boy or young man who is sexually exploited is a victim of abuse, as a girl is.",
    ),
    _rule(
        "prostitution",
        r"prostitution",
        "sexual exploitation",
        "'Prostitution' implies a degree of legality, choice and consent, which children "
        "cannot give: say 'sexual exploitation' or 'sexual abuse'.",
    ),
    _rule(
        "prostitute",
        r"prostitutes?|prostituted|prostituting",
        "victim of abuse",
        "The guidance replaces 'prostitute' with 'victim of abuse': children who are sexually "
        "exploited are victims of child sexual abuse.",
    ),
    _rule(
        "punter",
        r"punters?",
        "sex offender who abuses them",
        "The person who pays for sex with a child is a sex offender who abuses them.",
    ),
    _rule(
        "pimp",
        r"pimps?|pimping|pimped",
        "coercer",
        "The guidance replaces 'pimp' with 'coercer': the person who organises the "
        "exploitation is abusing the child.",
    ),
    _rule(
        "boyfriend",
        r"(?:boy|girl)-?friends?",
        "adult or person who is exploiting or abusing the child",
        "If this describes someone exploiting the child, describe the person as an adult or "
        "person who is exploiting or abusing the child, not as the child's boyfriend or "
        "girlfriend (even if the child uses that word — you can quote them).",
    ),
    _rule(
        "streetwise",
        rf"street(?:{_SEP})?wise",
        "a child at risk who needs protection",
        "Children who are exploited can present as 'streetwise'; the guidance asks us to see "
        "a child in need of support, not one who can look after themselves.",
    ),
    _rule(
        "consenting",
        r"consenting|consented|consensual",
        "describe what happened to the child, without suggesting consent",
        "Children cannot consent to their own exploitation; take care not to mistake the "
        "young person's behaviour as consensual. " + _VICTIM_BLAMING,
    ),
    _rule(
        "promiscuous",
        r"promiscuous|promiscuity",
        "describe the abuse or the risk to the child",
        "'Promiscuous' is victim-blaming language. " + _VICTIM_BLAMING,
    ),
    _rule(
        "risky lifestyle",
        rf"risky{_SEP}lifestyles?|lifestyle{_SEP}choices?",
        "describe the risks the child faces and who poses them",
        "'Risky lifestyle' is victim-blaming language. " + _VICTIM_BLAMING,
    ),
    _rule(
        "putting themselves at risk",
        rf"(?:put|puts|putting|placing|places|placed){_SEP}"
        rf"(?:themselves|themself|herself|himself){_SEP}at{_SEP}risk",
        "is being put at risk by others / is at risk of harm",
        "'Putting themselves at risk' places responsibility on the child. " + _VICTIM_BLAMING,
    ),
    _rule(
        "sexually active",
        rf"sexually{_SEP}active",
        "describe the sexual activity and who it was with (and their age)",
        "'Sexually active' can hide abuse: say what happened and who with. " + _VICTIM_BLAMING,
    ),
)


def _normalise(text: str) -> str:
    # NFKC folds look-alikes such as full-width letters and ligatures into plain letters, so
    # "pimp" typed in full-width letters is caught. Lone surrogates are replaced, not fatal.
    text = text[:MAX_SCAN]
    text = text.encode("utf-8", "replace").decode("utf-8")
    return unicodedata.normalize("NFKC", text)


def flag_terms(text: object) -> list[LanguageFlag]:
    """The terms in `text` that the guidance replaces, each once, in order of appearance."""
    if not isinstance(text, str) or not text:
        return []
    normalised = _normalise(text)
    taken: list[tuple[int, int]] = []
    found: dict[str, tuple[int, LanguageFlag]] = {}
    for rule in RULES:
        for match in rule.pattern.finditer(normalised):
            start, end = match.span()
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue  # already part of a longer phrase
            taken.append((start, end))
            if rule.key not in found:
                flag = LanguageFlag(
                    term=match.group(0), preferred=rule.preferred, message=rule.message
                )
                found[rule.key] = (start, flag)
    return [flag for _, flag in sorted(found.values(), key=lambda item: item[0])]


def flags_for_fields(
    cleaned_data: Mapping[str, Any], field_names: Iterable[str] | Mapping[str, str]
) -> dict[str, list[LanguageFlag]]:
    """Flags per field, keyed by the field's label, for the fields that have any.

    `field_names` is a list of names (then the name is the label) or a mapping name → label.
    """
    labels = dict(field_names) if isinstance(field_names, Mapping) else {n: n for n in field_names}
    result: dict[str, list[LanguageFlag]] = {}
    for name, label in labels.items():
        flags = flag_terms(cleaned_data.get(name))
        if flags:
            result[str(label)] = flags
    return result


def flags_for_form(
    form: forms.BaseForm, field_names: Iterable[str] | None = None
) -> dict[str, list[LanguageFlag]]:
    """Flags for a validated form's text fields (all CharFields unless names are given)."""
    names = (
        list(field_names)
        if field_names is not None
        else [name for name, field in form.fields.items() if isinstance(field, forms.CharField)]
    )
    labels = {name: form.fields[name].label or name for name in names if name in form.fields}
    return flags_for_fields(getattr(form, "cleaned_data", {}), labels)


# The prompt shows on the page after the save (post/redirect/get): the flags ride in the
# session for exactly one page view.
SESSION_KEY = "language_flags"


def stash_flags(request: HttpRequest, flags: Mapping[str, list[LanguageFlag]]) -> None:
    if flags:
        request.session[SESSION_KEY] = {
            label: [flag.as_dict() for flag in items] for label, items in flags.items()
        }


def pop_flags(request: HttpRequest) -> dict[str, list[LanguageFlag]]:
    stored = request.session.pop(SESSION_KEY, None) or {}
    return {label: [LanguageFlag(**item) for item in items] for label, items in stored.items()}
