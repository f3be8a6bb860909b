"""Finalising the minutes (the chair): every rule checked, then the meeting frozen.

`finalise_problems(meeting)` is the one list of what stands in the way, shown on the finalise
page and applied again by `meeting_finalise`. Other parts of the app add their own rules with
`register_finalise_rule` (e.g. the action plan: every attendee has signed up, G23), without
editing this module: a rule takes the meeting and returns {field or "": message}.
"""

from __future__ import annotations

from collections.abc import Callable

from strategy_meetings.models import Meeting

FinaliseRule = Callable[[Meeting], dict[str, str]]

_EXTRA_RULES: dict[str, FinaliseRule] = {}


def register_finalise_rule(key: str, rule: FinaliseRule) -> None:
    """Add a rule finalising must pass (keyed, so registering again replaces it)."""
    _EXTRA_RULES[key] = rule


def extra_finalise_problems(meeting: Meeting) -> dict[str, str]:
    problems: dict[str, str] = {}
    for rule in _EXTRA_RULES.values():
        for key, message in rule(meeting).items():
            problems.setdefault(key, message)
    return problems
