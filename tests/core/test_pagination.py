"""The pagination's items (cse_portal/templatetags/portal_pagination.py) and the include that
shows them (templates/includes/pagination.html)."""

from __future__ import annotations

import re

import pytest
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory

from cse_portal.templatetags.portal_pagination import pagination_items


def _rule(current: int, last: int) -> list[int | None]:
    """The rule as the template used to apply it, page number by page number: the current
    page; the first, the last and the current page's neighbours, page 2 when the current page
    is 4 and the last but one when it is the last but three; an ellipsis at two pages from the
    current one when that page is not shown."""
    if last <= 1:
        return []
    out: list[int | None] = []
    for n in range(1, last + 1):
        fills_a_gap_of_one = (n == 2 and current == 4) or (n == last - 1 and current == last - 3)
        if n == current or n in {1, last, current - 1, current + 1} or fills_a_gap_of_one:
            out.append(n)
        elif n in {current - 2, current + 2}:
            out.append(None)
    return out


def test_the_items_follow_the_rule_for_every_page_of_up_to_forty_pages() -> None:
    for last in range(1, 41):
        for current in range(1, last + 1):
            items = pagination_items(current, last)
            assert [item.number for item in items] == _rule(current, last), (current, last)
            assert [item.number for item in items if item.current] == (
                [current] if last > 1 else []
            )


@pytest.mark.parametrize(
    ("current", "last", "expected"),
    [
        (1, 250, [1, 2, None, 250]),
        (4, 250, [1, 2, 3, 4, 5, None, 250]),
        (5, 250, [1, None, 4, 5, 6, None, 250]),
        (125, 250, [1, None, 124, 125, 126, None, 250]),
        (247, 250, [1, None, 246, 247, 248, 249, 250]),
        (250, 250, [1, None, 249, 250]),
        (2, 3, [1, 2, 3]),
    ],
)
def test_a_long_list_shows_a_handful_of_items(
    current: int, last: int, expected: list[int | None]
) -> None:
    assert [item.number for item in pagination_items(current, last)] == expected


def _rendered(number: int, pages: int, query: str = "") -> str:
    page = Paginator(range(pages * 25), 25).get_page(number)
    request = RequestFactory().get(f"/children/?{query}")
    return render_to_string("includes/pagination.html", {"page_obj": page}, request=request)


def test_the_include_links_each_item_and_keeps_the_other_parameters() -> None:
    html = _rendered(60, 132, "status=open&page=60")
    labels = re.findall(r'aria-label="Page (\d+)"', html)
    assert labels == ["1", "59", "60", "61", "132"]
    assert html.count("govuk-pagination__item--ellipsis") == 2
    assert 'href="?status=open&amp;page=61" aria-label="Page 61"' in html
    assert 'aria-label="Page 60" aria-current="page"' in html
    assert 'rel="prev"' in html and 'rel="next"' in html


def test_one_page_shows_no_pagination() -> None:
    assert "govuk-pagination" not in _rendered(1, 1)
