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

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from django.db import models

__all__ = [
    "Answer",
    "AnswerState",
    "Driver",
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


class RuleKind(models.TextChoices):
    CATEGORICAL_SIGNALS = "categorical_signals", "Highest level with signals present (SERA)"
    POINTS_BANDS = "points_bands", "Points per indicator, totals in bands (SERAF)"


class OutcomeKind(models.TextChoices):
    LEVEL = "level", "A level of risk"
    NOT_ENOUGH_INFORMATION = "not_enough_information", "Not enough information"


class AnswerState(models.TextChoices):
    PRESENT = "present", "Present"
    NOT_PRESENT = "not_present", "Not present"
    NOT_KNOWN = "not_known", "Not known"


class RuleError(ValueError):
    """A tool's rule does not have the declared shape, or does not fit the tool."""


# --- What a tool is, as the engine sees it ---------------------------------------------------


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    text: str
    domain: str
    level: str = ""  # categorical_signals: the outcome code of the level it signals
    category: str = ""  # points_bands: the code of its category
    recency_bands: tuple[str, ...] = ()  # the bands it takes, most recent first


@dataclass(frozen=True)
class OutcomeSpec:
    code: str
    label: str
    rank: int  # ascending severity; not enough information has its own kind
    kind: str = OutcomeKind.LEVEL
    description: str = ""
    response: str = ""


@dataclass(frozen=True)
class ToolSpec:
    code: str
    version: int
    title: str
    rule: Mapping[str, Any]
    indicators: tuple[IndicatorSpec, ...]
    outcomes: tuple[OutcomeSpec, ...]
    recency_bands: tuple[tuple[str, str], ...] = ()  # (code, label), most recent first

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> ToolSpec:
        """From a tool's JSON (the fixture's shape); `validate_spec` checks the result."""
        return cls(
            code=data["code"],
            version=data["version"],
            title=data["title"],
            rule=data["rule"],
            indicators=tuple(
                IndicatorSpec(
                    code=i["code"],
                    text=i["text"],
                    domain=i["domain"],
                    level=i.get("level", ""),
                    category=i.get("category", ""),
                    recency_bands=tuple(i.get("recency_bands", ())),
                )
                for i in data["indicators"]
            ),
            outcomes=tuple(
                OutcomeSpec(
                    code=o["code"],
                    label=o["label"],
                    rank=o["rank"],
                    kind=o.get("kind", OutcomeKind.LEVEL),
                    description=o.get("description", ""),
                    response=o.get("response", ""),
                )
                for o in data["outcomes"]
            ),
            recency_bands=tuple((b["code"], b["label"]) for b in data.get("recency_bands", ())),
        )

    def outcome(self, code: str) -> OutcomeSpec:
        return next(o for o in self.outcomes if o.code == code)

    def indicator(self, code: str) -> IndicatorSpec:
        return next(i for i in self.indicators if i.code == code)


class HasSpec(Protocol):
    def spec(self) -> ToolSpec: ...


# --- Answers and the suggestion --------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """One indicator's answer: present / not present / not known, and, when present, how
    recently (one of the indicator's recency bands; "" = not recorded)."""

    state: str
    recency: str = ""


@dataclass(frozen=True)
class Driver:
    """A present indicator, and what it counted for."""

    code: str
    text: str
    signals: str  # the level (SERA) or category (SERAF) it carries
    recency: str = ""
    points: int | None = None  # points_bands only
    counted: bool = True


@dataclass(frozen=True)
class Suggestion:
    """What the tool suggests, and why. `outcome` is None while nothing is answered."""

    outcome: str | None
    label: str = ""
    response: str = ""
    drivers: tuple[Driver, ...] = ()  # present indicators that decided the suggestion
    not_counted: tuple[Driver, ...] = ()  # present, but counted for nothing (too long ago)
    not_known: tuple[str, ...] = ()  # codes answered "not known"
    unanswered: tuple[str, ...] = ()  # codes not answered yet
    total: int | None = None  # points_bands: the points of the present indicators
    could_be: str | None = None  # the outcome if what is not known were present, if higher
    reasons: tuple[str, ...] = ()  # sentences saying why, beside the drivers
    is_not_enough_information: bool = False


# --- Validating a rule against its tool ------------------------------------------------------


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise RuleError(message)


def _objects(rule: Mapping[str, Any], key: str) -> list[Any]:
    """The rule's `key`: a non-empty list of JSON objects, or RuleError."""
    items = rule.get(key)
    if not isinstance(items, list) or not items or not all(isinstance(i, Mapping) for i in items):
        raise RuleError(f"'{key}' must be a non-empty list of objects.")
    return items


def _validate_common(spec: ToolSpec) -> None:
    rule = spec.rule
    _require(isinstance(rule, Mapping), "The rule must be a JSON object.")
    _require(rule.get("kind") in RuleKind.values, f"Unknown rule kind {rule.get('kind')!r}.")
    outcomes = {o.code: o for o in spec.outcomes}
    _require(len(outcomes) == len(spec.outcomes), "Outcome codes must be unique.")
    ranks = [o.rank for o in spec.outcomes]
    _require(len(set(ranks)) == len(ranks), "Outcome ranks must be unique.")
    nei = rule.get("not_enough_information")
    _require(
        nei in outcomes and outcomes[nei].kind == OutcomeKind.NOT_ENOUGH_INFORMATION,
        "The rule's 'not_enough_information' must name an outcome of that kind.",
    )
    floor = rule.get("floor")
    _require(
        floor in outcomes and outcomes[floor].kind == OutcomeKind.LEVEL,
        "The rule's 'floor' must name a level outcome.",
    )
    bands = [code for code, _ in spec.recency_bands]
    _require(len(set(bands)) == len(bands), "Recency band codes must be unique.")
    for indicator in spec.indicators:
        _require(
            set(indicator.recency_bands) <= set(bands),
            f"Indicator {indicator.code} takes a recency band the tool does not have.",
        )


def _validate_categorical(spec: ToolSpec) -> None:
    rule, outcomes = spec.rule, {o.code: o for o in spec.outcomes}
    levels = _objects(rule, "levels")
    codes = [level.get("outcome") for level in levels]
    _require(all(c in outcomes for c in codes), "Every level must name an outcome.")
    _require(len(set(codes)) == len(codes), "Levels must be distinct.")
    ranks = [outcomes[c].rank for c in codes]
    _require(ranks == sorted(ranks), "'levels' must be in ascending rank.")
    _require(outcomes[rule["floor"]].rank < ranks[0], "The floor must rank below every level.")
    for level in levels:
        _require(
            isinstance(level.get("min_present", 1), int) and level.get("min_present", 1) >= 1,
            f"Level {level['outcome']}: 'min_present' must be a whole number from 1.",
        )
        escalate = level.get("escalate")
        if escalate is not None:
            _require(
                escalate.get("to") in codes
                and outcomes[escalate["to"]].rank > outcomes[level["outcome"]].rank
                and isinstance(escalate.get("at"), int)
                and escalate["at"] >= 2,
                f"Level {level['outcome']}: 'escalate' needs a higher level 'to' and 'at' ≥ 2.",
            )
    counted = rule.get("counted_recency", [b for b, _ in spec.recency_bands])
    _require(
        set(counted) <= {b for b, _ in spec.recency_bands},
        "'counted_recency' names a band the tool does not have.",
    )
    for indicator in spec.indicators:
        _require(indicator.level in codes, f"Indicator {indicator.code} signals no level.")
        _require(not indicator.category, f"Indicator {indicator.code} has a category.")


def _validate_points(spec: ToolSpec) -> None:
    rule, outcomes = spec.rule, {o.code: o for o in spec.outcomes}
    categories = _objects(rule, "categories")
    by_code = {c.get("code"): c for c in categories}
    _require(len(by_code) == len(categories) and all(by_code), "Category codes must be unique.")
    for category in categories:
        points = category.get("points")
        valid = (isinstance(points, int) and points >= 0) or (
            isinstance(points, dict)
            and bool(points)
            and all(isinstance(p, int) and p >= 0 for p in points.values())
        )
        _require(valid, f"Category {category['code']}: 'points' must be ≥ 0, or ≥ 0 per band.")
    bands = _objects(rule, "bands")
    mins = [b.get("min") for b in bands]
    _require(all(isinstance(m, int) for m in mins), "Every band needs a whole number 'min'.")
    _require(mins[0] == 0 and mins == sorted(set(mins)), "Band minimums ascend from 0.")
    band_outcomes = [b.get("outcome") for b in bands]
    _require(all(o in outcomes for o in band_outcomes), "Every band must name an outcome.")
    ranks = [outcomes[o].rank for o in band_outcomes]
    _require(ranks == sorted(set(ranks)), "Bands must be in ascending rank.")
    _require(rule["floor"] == band_outcomes[0], "The floor must be the first band.")
    for indicator in spec.indicators:
        category = by_code.get(indicator.category)
        if category is None:
            raise RuleError(f"Indicator {indicator.code} has no known category.")
        _require(not indicator.level, f"Indicator {indicator.code} signals a level.")
        if isinstance(category["points"], dict):
            _require(
                bool(indicator.recency_bands)
                and set(indicator.recency_bands) <= set(category["points"]),
                f"Indicator {indicator.code}: its category scores by recency, so it must take "
                "recency bands, each scored.",
            )


def validate_spec(spec: ToolSpec) -> None:
    """Raise RuleError unless the tool's rule has the declared shape and fits the tool."""
    _validate_common(spec)
    codes = [i.code for i in spec.indicators]
    _require(len(set(codes)) == len(codes), "Indicator codes must be unique.")
    if spec.rule["kind"] == RuleKind.CATEGORICAL_SIGNALS:
        _validate_categorical(spec)
    else:
        _validate_points(spec)


# --- Scoring ---------------------------------------------------------------------------------


def _check_answers(spec: ToolSpec, answers: Mapping[str, Answer]) -> None:
    known = {i.code: i for i in spec.indicators}
    for code, answer in answers.items():
        if code not in known:
            raise ValueError(f"{spec.code} v{spec.version} has no indicator {code!r}.")
        if answer.state not in AnswerState.values:
            raise ValueError(f"Indicator {code}: unknown answer {answer.state!r}.")
        if answer.recency and answer.recency not in known[code].recency_bands:
            raise ValueError(f"Indicator {code} does not take the recency {answer.recency!r}.")


def _recency(indicator: IndicatorSpec, answer: Answer) -> str:
    """The band a present answer counts in: a present answer with no recency recorded counts
    as the most recent band the indicator takes (erring towards the child)."""
    if answer.recency or not indicator.recency_bands:
        return answer.recency
    return indicator.recency_bands[0]


def _level_from_signals(
    spec: ToolSpec, present: Iterable[IndicatorSpec]
) -> tuple[str, set[str], str]:
    """(level, codes of the indicators that decided it, an escalation reason or "")."""
    rule = spec.rule
    by_level: dict[str, list[str]] = {}
    for indicator in present:
        by_level.setdefault(indicator.level, []).append(indicator.code)
    best, deciding, why = str(rule["floor"]), set[str](), ""
    rank = {o.code: o.rank for o in spec.outcomes}
    for level in rule["levels"]:
        code, signals = level["outcome"], by_level.get(level["outcome"], [])
        candidates = []
        if len(signals) >= level.get("min_present", 1):
            candidates.append((code, ""))
        escalate = level.get("escalate")
        if escalate and len(signals) >= escalate["at"]:
            candidates.append(
                (
                    escalate["to"],
                    f"{len(signals)} {spec.outcome(code).label.lower()} signals are present "
                    f"({escalate['at']} or more suggest {spec.outcome(escalate['to']).label.lower()}).",
                )
            )
        for candidate, reason in candidates:
            if rank[candidate] > rank[best]:
                best, deciding, why = candidate, set(signals), reason
            elif candidate == best and candidate != rule["floor"]:
                deciding |= set(signals)
    return best, deciding, why


def _points(spec: ToolSpec, indicator: IndicatorSpec, recency: str) -> int:
    category = next(c for c in spec.rule["categories"] if c["code"] == indicator.category)
    points = category["points"]
    if isinstance(points, int):
        return points
    return int(points.get(recency, 0))


def _band(spec: ToolSpec, total: int) -> str:
    return str([b for b in spec.rule["bands"] if b["min"] <= total][-1]["outcome"])


def _max_points(spec: ToolSpec, indicator: IndicatorSpec) -> int:
    bands = indicator.recency_bands or ("",)
    return max(_points(spec, indicator, band) for band in bands)


def score(tool: ToolSpec | HasSpec, answers: Mapping[str, Answer]) -> Suggestion:
    """What the tool's rule suggests from `answers` (indicator code → Answer; an indicator
    left out is not answered yet), and why. Raises ValueError for an answer the tool does not
    take. See the module's docstring for the rules."""
    spec = tool if isinstance(tool, ToolSpec) else tool.spec()
    _check_answers(spec, answers)
    if not answers:
        return Suggestion(outcome=None, reasons=("No indicator has been answered yet.",))
    not_known = tuple(c for c, a in answers.items() if a.state == AnswerState.NOT_KNOWN)
    unanswered = tuple(i.code for i in spec.indicators if i.code not in answers)
    present = [(spec.indicator(c), a) for c, a in answers.items() if a.state == AnswerState.PRESENT]
    if spec.rule["kind"] == RuleKind.CATEGORICAL_SIGNALS:
        return _score_categorical(spec, present, not_known, unanswered)
    return _score_points(spec, present, not_known, unanswered)


def _score_categorical(
    spec: ToolSpec,
    present: list[tuple[IndicatorSpec, Answer]],
    not_known: tuple[str, ...],
    unanswered: tuple[str, ...],
) -> Suggestion:
    counted_bands = set(spec.rule.get("counted_recency", [b for b, _ in spec.recency_bands]))
    counted, drivers_all = [], []
    for indicator, answer in present:
        recency = _recency(indicator, answer)
        counts = not recency or recency in counted_bands
        drivers_all.append(
            Driver(indicator.code, indicator.text, indicator.level, recency, counted=counts)
        )
        if counts:
            counted.append(indicator)
    level, deciding, escalation = _level_from_signals(spec, counted)
    unknown = [spec.indicator(c) for c in (*not_known, *unanswered)]
    upper, _, _ = _level_from_signals(spec, [*counted, *unknown])
    drivers = tuple(d for d in drivers_all if d.code in deciding)
    reasons = [escalation] if escalation else []
    return _suggestion(
        spec,
        level=level,
        upper=upper,
        drivers=drivers,
        not_counted=tuple(d for d in drivers_all if not d.counted),
        not_known=not_known,
        unanswered=unanswered,
        reasons=reasons,
    )


def _score_points(
    spec: ToolSpec,
    present: list[tuple[IndicatorSpec, Answer]],
    not_known: tuple[str, ...],
    unanswered: tuple[str, ...],
) -> Suggestion:
    drivers_all = []
    for indicator, answer in present:
        recency = _recency(indicator, answer)
        points = _points(spec, indicator, recency)
        drivers_all.append(
            Driver(
                indicator.code,
                indicator.text,
                indicator.category,
                recency,
                points=points,
                counted=points > 0,
            )
        )
    # Most points first (the tool's order among equals): what drove the total leads.
    drivers_all.sort(key=lambda d: -(d.points or 0))
    total = sum(d.points or 0 for d in drivers_all)
    best_case = total + sum(_max_points(spec, spec.indicator(c)) for c in (*not_known, *unanswered))
    level, upper = _band(spec, total), _band(spec, best_case)
    return _suggestion(
        spec,
        level=level,
        upper=upper,
        drivers=tuple(d for d in drivers_all if d.counted),
        not_counted=tuple(d for d in drivers_all if not d.counted),
        not_known=not_known,
        unanswered=unanswered,
        total=total,
        reasons=[f"{total} points in all."],
    )


def _suggestion(
    spec: ToolSpec,
    *,
    level: str,
    upper: str,
    drivers: tuple[Driver, ...],
    not_counted: tuple[Driver, ...],
    not_known: tuple[str, ...],
    unanswered: tuple[str, ...],
    reasons: list[str],
    total: int | None = None,
) -> Suggestion:
    """The suggestion, applying G40: the floor is never suggested while what is not known
    could raise it."""
    rule, rank = spec.rule, {o.code: o.rank for o in spec.outcomes}
    could_be = upper if rank[upper] > rank[level] else None
    outcome = level
    missing = len(not_known) + len(unanswered)
    if level == rule["floor"] and could_be is not None:
        outcome = rule["not_enough_information"]
        reasons.append(
            f"Nothing present decides a level, and {missing} indicator"
            f"{' is' if missing == 1 else 's are'} not known or not answered: a lack of "
            "evidence does not mean that there is no risk."
        )
    elif could_be is not None:
        reasons.append(
            f"{missing} indicator{' is' if missing == 1 else 's are'} not known or not "
            f"answered; if present, the suggestion could be "
            f"{spec.outcome(could_be).label.lower()}."
        )
    if not_counted:
        reasons.append(
            f"{len(not_counted)} present indicator{' was' if len(not_counted) == 1 else 's were'}"
            " seen too long ago to count."
        )
    chosen = spec.outcome(outcome)
    return Suggestion(
        outcome=outcome,
        label=chosen.label,
        response=chosen.response,
        drivers=drivers,
        not_counted=not_counted,
        not_known=not_known,
        unanswered=unanswered,
        total=total,
        could_be=could_be,
        reasons=tuple(reasons),
        is_not_enough_information=outcome == rule["not_enough_information"],
    )
