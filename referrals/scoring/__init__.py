"""The CSE2 assessment tools' scoring engine: what a tool's declared rule suggests from the
assessor's answers, and why (G12, G40).

A tool is data (`fixtures/assessment_tools/*.json`, rows of `referrals.models.AssessmentTool`):
its rule is a small JSON object of a fixed shape, never code. Pure Python, no database: the
models import the choices from here, a tool's rows become a `ToolSpec` (`AssessmentTool.spec()`)
and the unit tests build specs straight from the fixtures' JSON.

Two kinds of rule:

- `categorical_signals` (SERA [002 §5]): every indicator signals a level (low / medium /
  high). The suggested level is the highest level whose counted present signals reach its
  `min_present` (1 unless declared). A level may also declare `escalate: {"to", "at"}`: `at` or
  more of its own counted signals suggest the level `to` — the guidance describes lower risk
  as a "smaller no. of risk signals", so many of them suggest more than low. Only the recency
  bands listed in `counted_recency` count; a signal present only earlier is shown, not counted.
- `points_bands` (SERAF): every indicator is of a category whose `points` are a whole number,
  or a number per recency band. The total falls in one of the declared `bands` (ascending
  `min`, the first 0).

What is not known is not "no risk" [002 §5]: "Put simply a lack of evidence does not mean that
there is no risk." The rule's `floor` is the outcome that says no risk is decided ("no risk
signal present", SERAF's 0–5 "none"). While indicators are not known (or not answered) and
would, if present, raise the suggestion above the floor, the floor is never suggested: the
suggestion is the rule's `not_enough_information` outcome (G14). Above the floor, the
suggestion says whether what is not known could raise it (`could_be`). With no answer at all,
there is no suggestion.

The suggestion never replaces professional judgement (G13, G40): the assessor records the
level they judge, with a reason where it differs.
"""

from referrals.scoring.engine import score
from referrals.scoring.types import (
    Answer,
    AnswerState,
    Driver,
    HasSpec,
    IndicatorSpec,
    OutcomeKind,
    OutcomeSpec,
    RuleError,
    RuleKind,
    Suggestion,
    ToolSpec,
)
from referrals.scoring.validation import validate_spec

__all__ = [
    "Answer",
    "AnswerState",
    "Driver",
    "HasSpec",
    "IndicatorSpec",
    "OutcomeKind",
    "OutcomeSpec",
    "RuleError",
    "RuleKind",
    "Suggestion",
    "ToolSpec",
    "score",
    "validate_spec",
]
