"""Security headers: a strict nonce-based CSP, framing, sniffing, referrer, caching and HSTS."""

from __future__ import annotations

import re

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from .conftest import SIGN_IN_URL, csp_nonce

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    parsed = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


def script_tags(response) -> list[str]:
    return re.findall(r"<script\b[^>]*>", response.content.decode())


def child_page(world) -> str:
    return reverse("children:detail", kwargs={"child_pk": world.child.pk})


@pytest.fixture
def pages(world, owner_client):
    """(client, url) for the sign-in page and for signed-in pages, one with a child's record."""
    return [
        (Client(), SIGN_IN_URL),
        (owner_client, reverse("children:list")),
        (owner_client, child_page(world)),
    ]


def test_every_page_has_a_strict_nonce_based_content_security_policy(pages):
    for client, url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        policy = directives(response)
        nonce = csp_nonce(response)
        assert f"'nonce-{nonce}'" in policy["script-src"], url
        assert "'unsafe-inline'" not in response["Content-Security-Policy"], url
        assert "'unsafe-eval'" not in response["Content-Security-Policy"], url
        assert policy["default-src"] == ["'self'"]
        assert policy["object-src"] == ["'none'"]
        assert policy["base-uri"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'none'"]


def test_every_script_on_a_page_carries_the_nonce_of_its_header(pages):
    for client, url in pages:
        response = client.get(url)
        nonce = csp_nonce(response)
        tags = script_tags(response)
        assert tags, url
        for tag in tags:
            assert f'nonce="{nonce}"' in tag, (url, tag)


def test_the_nonce_is_new_for_every_response(world, owner_client):
    url = reverse("children:list")
    assert csp_nonce(owner_client.get(url)) != csp_nonce(owner_client.get(url))


def test_pages_have_no_inline_styles_or_event_handlers(pages):
    for client, url in pages:
        page = client.get(url).content.decode()
        assert " style=" not in page, url
        assert "<style" not in page, url
        assert not re.search(r"\son[a-z]+=", page), url


def test_every_page_forbids_framing_sniffing_and_cross_site_referrers(pages):
    for client, url in pages:
        response = client.get(url)
        assert response["X-Frame-Options"] == "DENY", url
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Referrer-Policy"] == "same-origin", url
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", url


def test_the_lockout_page_carries_the_same_headers(db):
    client = Client()
    for _ in range(5):
        response = client.post(SIGN_IN_URL, {"username": "someone", "password": "wrong-guess"})
    assert response.status_code == 429
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    nonce = csp_nonce(response)
    assert all(f'nonce="{nonce}"' in tag for tag in script_tags(response))
    assert response["X-Frame-Options"] == "DENY"


def test_a_childs_record_is_never_stored_by_the_browser_or_a_proxy(world, owner_client):
    response = owner_client.get(child_page(world))
    assert response.status_code == 200
    assert "Jamie" in response.content.decode()
    cache_control = [v.strip() for v in response["Cache-Control"].split(",")]
    assert "no-store" in cache_control
    assert "private" in cache_control


def test_every_signed_in_page_is_no_store(world, owner_client):
    for name in ["children:list", "children:add"]:
        assert "no-store" in owner_client.get(reverse(name))["Cache-Control"]
    for name in ["children:edit", "children:share", "children:audit"]:
        response = owner_client.get(reverse(name, kwargs={"child_pk": world.child.pk}))
        assert "no-store" in response["Cache-Control"], name


def test_the_sign_out_redirect_and_a_404_for_a_hidden_child_are_no_store(world, uninvolved_client):
    response = uninvolved_client.get(child_page(world))
    assert response.status_code == 404
    assert "no-store" in response["Cache-Control"]


@override_settings(SECURE_HSTS_SECONDS=31536000, SECURE_SSL_REDIRECT=False)
def test_under_production_settings_a_secure_request_gets_hsts(world, owner_client):
    for client, url in [(Client(), SIGN_IN_URL), (owner_client, reverse("children:list"))]:
        response = client.get(url, secure=True)
        assert response.status_code == 200
        hsts = response["Strict-Transport-Security"]
        assert "max-age=31536000" in hsts
        assert "includeSubDomains" in hsts
        assert "preload" in hsts


@override_settings(SECURE_HSTS_SECONDS=31536000, SECURE_SSL_REDIRECT=True)
def test_under_production_settings_plain_http_is_redirected_to_https(db):
    response = Client().get(SIGN_IN_URL)
    assert response.status_code == 301
    assert response.url.startswith("https://")
    assert not response.has_header("Strict-Transport-Security")  # only ever sent over https
