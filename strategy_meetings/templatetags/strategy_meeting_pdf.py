"""Template filters of the minutes' pages and PDFs."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def addenda_at(contents: Any, place: str) -> list[Any]:
    """The addenda written to one place of the minutes (a section's key, "details",
    "attendance" or "outcome"): `contents` is a selectors.MeetingContents."""
    return list(contents.addenda_at(place)) if contents is not None else []
