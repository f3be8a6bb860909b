"""The SAFEGUARD screening tool's rule: what the answers suggest (G03, G04), and which of the
screener's conclusions each suggestion implies (G05).

Pure Python, no database: the models import the choices and the mapping from here (the
mapping also becomes a database constraint), and the unit tests call `suggest` directly.

The guidance [seed 000, OCC checklist as reproduced under "Signs and Indicators of Abuse"]:

    "any child displaying several vulnerabilities from the above lists should be considered
    to be at high risk of sexual exploitation. Professionals should immediately start an
    investigation to determine the risk [...]. However, [...] children and young people
    without pre-existing vulnerabilities can still be sexually exploited. Therefore, any
    child or young person showing risk indicators in the second list, but none of the
    vulnerabilities in the first, should also be considered as a potential victim, with
    appropriate assessment and action put in place as required."

The tool's suggestion never replaces professional judgement (G40): the screener records
their own conclusion, with a reason where it differs from what the suggestion implies.

What is not known is not "no risk" [seed 002, "Signs and indicators"]:

    "Put simply a lack of evidence does not mean that there is no risk."

So where nothing is recorded as present but indicators are not known, the tool suggests "Not
enough information" rather than "No indicator present"; beside any other suggestion it says
how many indicators are not known; and a conclusion of "no CSE concern" while indicators are
not known needs a reason and a named person or agency who will find out, by a date. A
screening with no answers at all has no suggestion.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models

# "Several vulnerabilities" → high risk. The guidance gives no number; "several" is read as
# two or more, the smallest number that is more than one. Erring low errs towards the
# child: a screener who judges the risk lower records that, with a reason (G05).
SEVERAL_VULNERABILITIES = 2


class Kind(models.TextChoices):
    VULNERABILITY = "vulnerability", "Vulnerability (seen before abuse)"
    SIGN = "sign", "Sign of exploitation"
    # SAFEGUARD indicators that are on neither OCC list: recorded and shown, but the
    # guidance's rule counts only the two lists.
    INDICATOR = "indicator", "Other SAFEGUARD indicator"


class Answer(models.TextChoices):
    PRESENT = "present", "Present"
    NOT_PRESENT = "not_present", "Not present"
    NOT_KNOWN = "not_known", "Not known"


class Suggestion(models.TextChoices):
    HIGH_RISK = "high_risk", "High risk of sexual exploitation"
    POTENTIAL_VICTIM = "potential_victim", "Potential victim of sexual exploitation"
    POTENTIAL_VICTIM_VULNERABLE = (
        "potential_victim_vulnerable",
        "Potential victim of sexual exploitation, with a vulnerability",
    )
    SOME_INDICATORS = "some_indicators", "Indicators present: discuss the concern"
    NOT_ENOUGH_INFORMATION = "not_enough_information", "Not enough information"
    NONE = "none", "No indicator present"


class Conclusion(models.TextChoices):
    NO_CONCERN = "no_concern", "No CSE concern"
    DISCUSS = "discuss", "Concern: discuss with my agency's CSE lead officer"
    REFER = "refer", "Refer to children's social care (CSE1 referral)"


# What the tool says to do, in the guidance's words where it has them.
SUGGESTION_PROMPTS: dict[str, str] = {
    Suggestion.HIGH_RISK: (
        "Several vulnerabilities are present. The guidance says a child with several "
        "vulnerabilities should be considered at high risk of sexual exploitation: start an "
        "investigation to determine the risk now, with preventative and protective action "
        "as required."
    ),
    Suggestion.POTENTIAL_VICTIM: (
        "A sign of sexual exploitation is present, with no vulnerability. Children without "
        "vulnerabilities can still be sexually exploited: consider the child a potential "
        "victim, and put assessment and action in place."
    ),
    Suggestion.POTENTIAL_VICTIM_VULNERABLE: (
        "A sign of sexual exploitation is present, together with a vulnerability. Consider "
        "the child a potential victim who is at risk of sexual exploitation, and put "
        "assessment and action in place."
    ),
    Suggestion.SOME_INDICATORS: (
        "Indicators are present, but not several vulnerabilities or a sign of exploitation. "
        "Children can be exploited whatever their vulnerabilities: discuss the concern with "
        "your agency's CSE lead officer."
    ),
    Suggestion.NOT_ENOUGH_INFORMATION: (
        "No indicator is recorded as present, but not everything is known. A lack of "
        "evidence does not mean that there is no risk: find out what is not known, and "
        "discuss the concern with your agency's CSE lead officer."
    ),
    Suggestion.NONE: (
        "No indicator is recorded as present. A lack of disclosure or evidence does not mean "
        "there is no risk: stay alert, and screen again if anything changes."
    ),
}

# Said as well as the high-risk prompt when signs are present too: every rule that fired is
# named (several vulnerabilities → high risk, G03; a sign → potential victim, G04).
SIGNS_ALSO_PRESENT = (
    "A sign of sexual exploitation is also present: the guidance says to consider a child "
    "showing the signs a potential victim, with assessment and action put in place."
)

# The conclusions each suggestion implies. A conclusion outside the set needs a reason (G05).
#   high risk               → refer: the guidance asks for an investigation of the risk now,
#                             which in this pathway starts with a CSE1 referral to CSC;
#   potential victim (±1 v.)→ refer, or discuss with the lead officer first: "assessment and
#                             action", and the lead officer's role is to advise on the steps;
#   some indicators         → discuss with the lead officer;
#   not enough information  → discuss with the lead officer, while someone finds out what is
#                             not known ("a lack of evidence does not mean that there is no
#                             risk");
#   none                    → no CSE concern.
IMPLIED_CONCLUSIONS: dict[str, frozenset[str]] = {
    Suggestion.HIGH_RISK: frozenset({Conclusion.REFER}),
    Suggestion.POTENTIAL_VICTIM: frozenset({Conclusion.REFER, Conclusion.DISCUSS}),
    Suggestion.POTENTIAL_VICTIM_VULNERABLE: frozenset({Conclusion.REFER, Conclusion.DISCUSS}),
    Suggestion.SOME_INDICATORS: frozenset({Conclusion.DISCUSS}),
    Suggestion.NOT_ENOUGH_INFORMATION: frozenset({Conclusion.DISCUSS}),
    Suggestion.NONE: frozenset({Conclusion.NO_CONCERN}),
}


@dataclass(frozen=True)
class Tally:
    """How many indicators of each kind are present, how many are not present, not known and
    not yet answered."""

    vulnerabilities: int = 0
    signs: int = 0
    other: int = 0
    not_known: int = 0
    unanswered: int = 0
    not_present: int = 0

    @classmethod
    def of(cls, answers: Iterable[tuple[str, str]]) -> Tally:
        """From (kind, answer) pairs; an answer of "" means not yet answered."""
        counts = dict.fromkeys(
            ("vulnerabilities", "signs", "other", "not_known", "unanswered", "not_present"), 0
        )
        for kind, answer in answers:
            if answer == Answer.PRESENT:
                key = {"vulnerability": "vulnerabilities", "sign": "signs"}.get(str(kind), "other")
                counts[key] += 1
            elif answer == Answer.NOT_KNOWN:
                counts["not_known"] += 1
            elif answer == Answer.NOT_PRESENT:
                counts["not_present"] += 1
            else:
                counts["unanswered"] += 1
        return cls(**counts)

    @property
    def present(self) -> int:
        return self.vulnerabilities + self.signs + self.other

    @property
    def answered(self) -> int:
        return self.present + self.not_known + self.not_present


def suggest(tally: Tally) -> Suggestion | None:
    """The tool's suggestion from the indicators present (G03, G04), or None while nothing
    is answered (G40: no suggestion from no answers)."""
    if tally.answered == 0:
        return None
    if tally.vulnerabilities >= SEVERAL_VULNERABILITIES:
        # Several vulnerabilities, with or without signs: high risk (G03).
        return Suggestion.HIGH_RISK
    if tally.signs and tally.vulnerabilities == 0:
        return Suggestion.POTENTIAL_VICTIM  # G04
    if tally.signs:
        return Suggestion.POTENTIAL_VICTIM_VULNERABLE
    if tally.vulnerabilities or tally.other:
        return Suggestion.SOME_INDICATORS
    if tally.not_known or tally.unanswered:
        # Nothing present, but not everything known: not "no indicator" (G40).
        return Suggestion.NOT_ENOUGH_INFORMATION
    return Suggestion.NONE


def wording(suggestion: str, tally: Tally) -> list[str]:
    """What the tool says with its suggestion: the prompt of every rule that fired, then how
    many indicators are not known (G40). Paragraphs, in order."""
    paragraphs = [SUGGESTION_PROMPTS[suggestion]]
    if suggestion == Suggestion.HIGH_RISK and tally.signs:
        paragraphs.append(SIGNS_ALSO_PRESENT)
    if tally.not_known:
        paragraphs.append(
            not_known_note(tally, repeat=suggestion != Suggestion.NOT_ENOUGH_INFORMATION)
        )
    return paragraphs


def not_known_note(tally: Tally, *, repeat: bool = True) -> str:
    """How many indicators are not known, and what follows (G40); "" when none. `repeat`
    says again that a lack of evidence is not "no risk" (the not-enough-information prompt
    says so already)."""
    if not tally.not_known:
        return ""
    count = tally.not_known
    noun = "1 indicator is" if count == 1 else f"{count} indicators are"
    then = "A lack of evidence does not mean that there is no risk: a" if repeat else "A"
    return (
        f"{noun} not known. {then} conclusion of no CSE concern needs reasons and a named "
        "person or agency who will find out what is not known, by when."
    )


def implied_conclusions(suggestion: str) -> frozenset[str]:
    return IMPLIED_CONCLUSIONS[suggestion]


def reason_required(suggestion: str, conclusion: str, *, not_known: int = 0) -> bool:
    """A conclusion that differs from what the suggestion implies needs a reason (G05), and so
    does "no CSE concern" while indicators are not known (G40)."""
    return conclusion not in IMPLIED_CONCLUSIONS[suggestion] or follow_up_required(
        conclusion, not_known=not_known
    )


def follow_up_required(conclusion: str, *, not_known: int) -> bool:
    """ "No CSE concern" while indicators are not known names who will find out, by when (G40)."""
    return conclusion == Conclusion.NO_CONCERN and not_known > 0


def conclusion_agrees_q() -> models.Q:
    """The pairs (suggestion, conclusion) that need no reason, as a Q for a DB constraint."""
    pairs = [
        models.Q(suggestion=str(suggestion), conclusion__in=sorted(str(c) for c in conclusions))
        for suggestion, conclusions in IMPLIED_CONCLUSIONS.items()
    ]
    return functools.reduce(operator.or_, pairs)


def follow_up_given_q() -> models.Q:
    """A submitted "no CSE concern" with indicators not known has a reason and a follow-up
    (who, by when), as a Q for a DB constraint (G40)."""
    return (
        ~models.Q(conclusion=str(Conclusion.NO_CONCERN))
        | models.Q(not_known_count=0)
        | (
            ~models.Q(conclusion_reason="")
            & ~models.Q(follow_up_by="")
            & models.Q(follow_up_due__isnull=False)
        )
    )
