"""Every URL that takes a child answers 404 to an uninvolved officer and sends an anonymous
visitor to sign in. The URL patterns are enumerated, so a new child route cannot slip by."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse


def _walk(patterns: list[Any], namespace: str = "", prefix: str = "") -> Iterator[tuple[str, str]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry.url_patterns, ns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and entry.name:
            full_name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield full_name, prefix + str(entry.pattern)


def child_routes() -> list[tuple[str, str]]:
    return sorted({(n, p) for n, p in _walk(get_resolver().url_patterns) if "<uuid:child_pk>" in p})


def _extra_kwargs_for(name: str, pattern: str, world: Any) -> dict[str, Any]:
    from tests.security import child_route_kwargs  # app-specific builders live there

    builder = child_route_kwargs.BUILDERS.get(name)
    if builder is not None:
        return builder(world)
    # A route whose only argument is the child needs nothing more.
    others = [part for part in pattern.split("<")[1:] if not part.startswith("uuid:child_pk>")]
    assert not others, (
        f"{name} ({pattern}) takes arguments besides child_pk: add a kwargs builder for it in "
        "tests/security/child_route_kwargs.py so its access is tested."
    )
    return {}


def test_there_are_child_routes_to_check() -> None:
    names = {name for name, _ in child_routes()}
    assert {"children:detail", "children:edit", "children:share", "children:audit"} <= names


@pytest.mark.guidance("G36")
@pytest.mark.parametrize(("name", "pattern"), child_routes())
def test_uninvolved_officer_gets_404_on_every_child_route(uninvolved_client, world, name, pattern):
    url = reverse(
        name, kwargs={"child_pk": world.child.pk, **_extra_kwargs_for(name, pattern, world)}
    )
    assert uninvolved_client.get(url).status_code == 404
    assert uninvolved_client.post(url, {"anything": "x"}).status_code in {404, 405}


@pytest.mark.parametrize(("name", "pattern"), child_routes())
def test_anonymous_visitor_is_sent_to_sign_in_on_every_child_route(
    anonymous_client, world, name, pattern
):
    url = reverse(
        name, kwargs={"child_pk": world.child.pk, **_extra_kwargs_for(name, pattern, world)}
    )
    response = anonymous_client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign_in"))


@pytest.mark.parametrize(("name", "pattern"), child_routes())
def test_child_that_does_not_exist_answers_404_like_a_hidden_one(
    owner_client, world, name, pattern
):
    import uuid

    url = reverse(
        name, kwargs={"child_pk": uuid.uuid4(), **_extra_kwargs_for(name, pattern, world)}
    )
    assert owner_client.get(url).status_code == 404
