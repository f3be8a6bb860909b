"""Several app servers can serve the same officers: under production settings nothing an
officer depends on lives in one process (sessions, cache, task queue, lockouts, second-factor
throttles are all in the database), and `make serve`'s settings are the strict production
ones. Read in a subprocess, as a deployment reads them."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.security.test_deploy_check import BASE_DIR, production_env

PRINT_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "session": settings.SESSION_ENGINE,
    "cache": settings.CACHES["default"]["BACKEND"],
    "tasks": settings.TASKS["default"]["BACKEND"],
    "axes": getattr(settings, "AXES_HANDLER", "axes.handlers.database.AxesDatabaseHandler"),
    "two_factor": settings.CSE_REQUIRE_2FA,
    "secure_cookies": settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE,
    "ssl_redirect": settings.SECURE_SSL_REDIRECT,
    "replica": "replica" in settings.DATABASES,
}))
"""


def production_settings(**env: str) -> dict:
    result = subprocess.run(  # noqa: S603 (our own settings, a fixed script)
        [sys.executable, "-c", PRINT_SETTINGS],
        cwd=BASE_DIR,
        env=production_env(**env),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_production_keeps_no_officer_state_in_a_process():
    found = production_settings()
    assert found["session"] == "django.contrib.sessions.backends.db"
    assert found["cache"] == "django.core.cache.backends.db.DatabaseCache"
    assert found["tasks"] == "django_tasks_db.DatabaseBackend"
    assert found["axes"] == "axes.handlers.database.AxesDatabaseHandler"
    assert found["two_factor"] is True
    assert found["secure_cookies"] is True and found["ssl_redirect"] is True
    assert found["replica"] is False  # only with DATABASE_REPLICA_URL


def test_a_replica_is_used_only_when_configured():
    found = production_settings(DATABASE_REPLICA_URL="postgres://reader@127.0.0.1:5432/cse")
    assert found["replica"] is True


def test_the_local_demo_which_starts_no_worker_makes_pdfs_in_the_request():
    found = production_settings(CSE_ENV="demo", CSE_REQUIRE_2FA="false")
    assert found["tasks"] == "django.tasks.backends.immediate.ImmediateBackend"
