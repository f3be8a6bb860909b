"""Building answers for the scoring tests: the tools as specs straight from their fixtures."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from referrals.assessment_tools import TOOLS_DIR, read_tool
from referrals.scoring import Answer, AnswerState, ToolSpec


def spec_of(name: str) -> ToolSpec:
    return ToolSpec.from_data(read_tool(TOOLS_DIR / f"{name}.json"))


def answers(
    spec: ToolSpec,
    present: Mapping[str, str] | None = None,
    *,
    not_known: Iterable[str] = (),
    unanswered: Iterable[str] = (),
) -> dict[str, Answer]:
    """Every indicator answered: `present` (code → recency, "" for none recorded), `not_known`,
    `unanswered` left out, and every other one not present."""
    present = present or {}
    not_known, unanswered = set(not_known), set(unanswered)
    result = {}
    for indicator in spec.indicators:
        code = indicator.code
        if code in unanswered:
            continue
        if code in present:
            result[code] = Answer(AnswerState.PRESENT, present[code])
        elif code in not_known:
            result[code] = Answer(AnswerState.NOT_KNOWN)
        else:
            result[code] = Answer(AnswerState.NOT_PRESENT)
    return result
