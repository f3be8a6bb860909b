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
    Suggestion.NONE: (
        "No indicator is recorded as present. A lack of disclosure or evidence does not mean "
        "there is no risk: stay alert, and screen again if anything changes."
    ),
}

# The conclusions each suggestion implies. A conclusion outside the set needs a reason (G05).
#   high risk               → refer: the guidance asks for an investigation of the risk now,
#                             which in this pathway starts with a CSE1 referral to CSC;
#   potential victim (±1 v.)→ refer, or discuss with the lead officer first: "assessment and
#                             action", and the lead officer's role is to advise on the steps;
#   some indicators         → discuss with the lead officer;
#   none                    → no CSE concern.
IMPLIED_CONCLUSIONS: dict[str, frozenset[str]] = {
    Suggestion.HIGH_RISK: frozenset({Conclusion.REFER}),
    Suggestion.POTENTIAL_VICTIM: frozenset({Conclusion.REFER, Conclusion.DISCUSS}),
    Suggestion.POTENTIAL_VICTIM_VULNERABLE: frozenset({Conclusion.REFER, Conclusion.DISCUSS}),
    Suggestion.SOME_INDICATORS: frozenset({Conclusion.DISCUSS}),
    Suggestion.NONE: frozenset({Conclusion.NO_CONCERN}),
}


@dataclass(frozen=True)
class Tally:
    """How many indicators of each kind are present, and how many are not known."""

    vulnerabilities: int = 0
    signs: int = 0
    other: int = 0
    not_known: int = 0
    unanswered: int = 0

    @classmethod
    def of(cls, answers: Iterable[tuple[str, str]]) -> Tally:
        """From (kind, answer) pairs; an answer of "" means not yet answered."""
        counts = {"vulnerabilities": 0, "signs": 0, "other": 0, "not_known": 0, "unanswered": 0}
        for kind, answer in answers:
            if answer == Answer.PRESENT:
                key = {"vulnerability": "vulnerabilities", "sign": "signs"}.get(str(kind), "other")
                counts[key] += 1
            elif answer == Answer.NOT_KNOWN:
                counts["not_known"] += 1
            elif answer != Answer.NOT_PRESENT:
                counts["unanswered"] += 1
        return cls(**counts)


def suggest(tally: Tally) -> Suggestion:
    """The tool's suggestion from the indicators present (G03, G04)."""
    if tally.vulnerabilities >= SEVERAL_VULNERABILITIES:
        # Several vulnerabilities, with or without signs: high risk (G03).
        return Suggestion.HIGH_RISK
    if tally.signs and tally.vulnerabilities == 0:
        return Suggestion.POTENTIAL_VICTIM  # G04
    if tally.signs:
        return Suggestion.POTENTIAL_VICTIM_VULNERABLE
    if tally.vulnerabilities or tally.other:
        return Suggestion.SOME_INDICATORS
    return Suggestion.NONE


def implied_conclusions(suggestion: str) -> frozenset[str]:
    return IMPLIED_CONCLUSIONS[suggestion]


def reason_required(suggestion: str, conclusion: str) -> bool:
    """A conclusion that differs from what the suggestion implies needs a reason (G05)."""
    return conclusion not in IMPLIED_CONCLUSIONS[suggestion]


def conclusion_agrees_q() -> models.Q:
    """The pairs (suggestion, conclusion) that need no reason, as a Q for a DB constraint."""
    pairs = [
        models.Q(suggestion=str(suggestion), conclusion__in=sorted(str(c) for c in conclusions))
        for suggestion, conclusions in IMPLIED_CONCLUSIONS.items()
    ]
    return functools.reduce(operator.or_, pairs)
