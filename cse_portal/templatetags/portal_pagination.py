"""The GOV.UK pagination's items for a Django Page, worked out in Python.

    {% load portal_pagination %}
    {% pagination_items page_obj as items %}
    {% for item in items %}…{% endfor %}

The page numbers shown are the first and the last pages, the current page and its neighbours,
and the page that fills a gap of one (page 2 when the current page is 4, the last but one when
it is the last but three); every gap of two or more pages is one ellipsis. The template used
to walk every page number of the list to find these: at 200,000 children an agency's list has
over a hundred pages and a lead officer's caseload 250, so that loop cost more than the rest of
the page. Here only the few candidates are looked at, whatever the number of pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template

register = template.Library()


@dataclass(frozen=True)
class PaginationItem:
    number: int | None  # None: an ellipsis
    current: bool = False

    @property
    def ellipsis(self) -> bool:
        return self.number is None


def pagination_items(current: int, last: int) -> list[PaginationItem]:
    """The items for page `current` of `last` pages (both counted from 1)."""
    if last <= 1:
        return []
    shown = {1, last, current - 1, current, current + 1}
    if current == 4:
        shown.add(2)
    if current == last - 3:
        shown.add(last - 1)
    shown = {n for n in shown if 1 <= n <= last}
    items: list[PaginationItem] = []
    previous = 0
    for number in sorted(shown):
        if number - previous > 1:  # a gap: two or more pages here, a gap of one is in `shown`
            items.append(PaginationItem(None))
        items.append(PaginationItem(number, current=number == current))
        previous = number
    return items


@register.simple_tag(name="pagination_items")
def pagination_items_of(page_obj: Any) -> list[PaginationItem]:
    return pagination_items(page_obj.number, page_obj.paginator.num_pages)
