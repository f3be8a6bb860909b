"""`manage.py check --deploy` passes under production settings; production refuses to start
without a secret key. Both run in a subprocess, as a deployment would."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection

BASE_DIR = Path(__file__).resolve().parents[2]


def production_env(**overrides: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        # Start from the test run's environment, without anything that tunes Django or CSE.
        if not key.startswith(("DJANGO_", "CSE_")) and key != "DATABASE_URL"
    }
    env.update(
        CSE_ENV="production",
        DJANGO_SETTINGS_MODULE="cse_portal.settings",
        DJANGO_ALLOWED_HOSTS="cse.example.test",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
    )
    # The same database server as the test run: its DATABASE_URL, or the same embedded server.
    # Django's checks ask the server its version (for generated columns), so the URL names the
    # test run's own database, which exists, rather than one a fresh machine may not have.
    for key in ("DATABASE_URL", "CSE_EMBEDDED_PGDATA"):
        if os.environ.get(key):
            env[key] = os.environ[key]
    if env.get("DATABASE_URL"):
        env["DATABASE_URL"] = _with_database(env["DATABASE_URL"], connection.settings_dict["NAME"])
    env.update(overrides)
    return {key: value for key, value in env.items() if value is not None}


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 (our own manage.py, fixed arguments)
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.django_db
def test_check_deploy_passes_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNINGS" not in output


def test_production_refuses_to_start_without_a_secret_key():
    env = production_env()
    del env["DJANGO_SECRET_KEY"]
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set when CSE_ENV=production" in result.stderr


def test_production_refuses_to_start_with_two_factor_sign_in_turned_off():
    result = manage("check", env=production_env(CSE_REQUIRE_2FA="false"))
    assert result.returncode != 0
    assert "CSE_REQUIRE_2FA cannot be turned off when CSE_ENV=production" in result.stderr
