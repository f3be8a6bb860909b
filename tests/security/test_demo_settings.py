"""The demo (`make run`, CSE_ENV=demo) runs as its users would meet the service: DEBUG off, so
the designed error pages and never Django's debug pages (which list every URL pattern), no 500
for a POST without its trailing slash, and its pages still get their CSS (WhiteNoise).

Each check runs the demo's settings in a subprocess, as `make run` does; nothing there reaches
the database (a placeholder DATABASE_URL would make any attempt fail loudly).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

BASE_DIR = Path(__file__).resolve().parents[2]

# Django's test client against the demo's settings; prints what the test asserts on.
# (Production is only read, not requested: its pages need `collectstatic` first.)
REQUESTS = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
seen = {
    "debug": settings.DEBUG,
    "database_options": settings.DATABASES["default"].get("OPTIONS", {}),
}
if settings.CSE_ENV == "demo":
    client = Client()
    css = client.get("/static/css/cse-portal.css")
    missing = client.get("/no-such-page/")
    post = client.post("/account/sign-in", {"username": "x", "password": "y"})
    seen.update(
        css=[css.status_code, css.get("Content-Type", "")],
        missing=[missing.status_code, missing.content.decode()],
        post_without_slash=post.status_code,
    )
print(json.dumps(seen))
"""


def run_settings(env_name: str) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "CSE_")) and key != "DATABASE_URL"
    }
    env.update(
        CSE_ENV=env_name,
        CSE_REQUIRE_2FA="false" if env_name == "demo" else "true",
        DJANGO_SETTINGS_MODULE="cse_portal.settings",
        DJANGO_SECRET_KEY="a-key-for-this-test-only-0123456789abcdef0123456789",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DATABASE_URL="postgres://nobody@127.0.0.1:1/not_used",
    )
    result = subprocess.run(  # noqa: S603  (our own code, fixed arguments)
        [sys.executable, "-c", REQUESTS],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def demo() -> dict:
    return run_settings("demo")


def test_the_demo_runs_without_debug(demo):
    assert demo["debug"] is False


def test_the_demo_shows_the_designed_page_not_found_and_no_url_patterns(demo):
    status, page = demo["missing"]
    assert status == 404
    assert "Page not found" in page
    assert "If you typed the web address, check it is correct." in page
    assert "URLconf" not in page and "children/" not in page


def test_a_post_without_its_trailing_slash_is_redirected_in_the_demo_not_a_500(demo):
    assert demo["post_without_slash"] == 301


def test_the_demo_serves_its_stylesheets_without_debug(demo):
    status, content_type = demo["css"]
    assert status == 200
    assert content_type.startswith("text/css")


def test_only_the_test_run_may_truncate_the_access_log(demo):
    assert "allow_truncate" not in json.dumps(demo["database_options"])
    production = run_settings("production")
    assert "allow_truncate" not in json.dumps(production["database_options"])
    assert production["debug"] is False


def test_the_test_run_shows_the_designed_page_not_found_too(db):
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert response.templates[0].name == "404.html"
