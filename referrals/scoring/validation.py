"""Validating a tool's declared rule against the tool: a rule of the wrong shape, or one that
does not fit the tool's outcomes, bands and indicators, raises RuleError."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from referrals.scoring.types import OutcomeKind, RuleError, RuleKind, ToolSpec


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
