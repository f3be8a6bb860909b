"""The referrals section of a child's record page (cse_portal.sections)."""

from __future__ import annotations

from typing import Any

from cse_portal.models import Child, Officer
from referrals.selectors import referrals_listed_for_child


def referrals_section(child: Child, officer: Officer) -> dict[str, Any]:
    """The child's referrals the officer may see: sent ones, and their own agency's drafts."""
    return {"referrals": referrals_listed_for_child(child, officer)}
