"""Writes of strategy meetings, one module per subject. Keyword-only; the acting officer is
passed in; every write is attributed (`cse_portal.lifecycle`).

- `finalising`: `finalise_problems(meeting)`, `meeting_finalise(meeting=, by=)` and
  `register_finalise_rule(key, rule)` — the hook through which the action plan adds "every
  attendee has signed up" (G23) to what finalising requires.
"""

from strategy_meetings.services.finalising import (
    FinaliseRule,
    extra_finalise_problems,
    register_finalise_rule,
)

__all__ = ["FinaliseRule", "extra_finalise_problems", "register_finalise_rule"]
