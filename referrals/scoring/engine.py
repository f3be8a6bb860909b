"""Scoring: what a tool's rule suggests from the answers, and why (see the package's
docstring for the rules)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from referrals.scoring.types import (
    Answer,
    AnswerState,
    Driver,
    HasSpec,
    IndicatorSpec,
    RuleKind,
    Suggestion,
    ToolSpec,
)


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
