"""Settings for CSE Portal: one module, read from the environment with explicit defaults.

Production is the default posture (DEBUG off, secure cookies, HSTS, two-factor sign-in).
The local demo (`make run`) sets CSE_ENV=demo, which allows plain http and may turn two-factor
sign-in off (a visible banner then says so). DEBUG stays off in the demo too (DJANGO_DEBUG=true
turns it on for development): the demo is for trying the service as its users would, so it shows
the service's own error pages, never Django's debug pages that list every URL and setting.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# "production" (default), "demo" (make run) or "test" (make test)
CSE_ENV = os.environ.get("CSE_ENV", "production")
DEMO_MODE = CSE_ENV == "demo"

DEBUG = env_bool("DJANGO_DEBUG", False)
_INSECURE_KEY = "insecure-development-key-do-not-use-in-production-0123456789abcdef"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if CSE_ENV == "production":
        raise RuntimeError("DJANGO_SECRET_KEY must be set when CSE_ENV=production")
    SECRET_KEY = _INSECURE_KEY

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "guardian",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "pgtrigger",
    "pghistory",
    "crispy_forms",
    "crispy_forms_gds",
    "cse_portal",
    "screening",
    "referrals",
    "strategy_meetings",
    "django_tasks_db",  # the task queue's table (deployment block below)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cse_portal.auth_backends.OTPMiddleware",  # django-otp's, the device read with the officer
    "cse_portal.middleware.SessionLimitsMiddleware",
    "cse_portal.middleware.TwoFactorRequiredMiddleware",
    "cse_portal.middleware.NoStoreForSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "pghistory.middleware.HistoryMiddleware",
    # axes last, as its documentation asks
    "axes.middleware.AxesMiddleware",
]

if CSE_ENV in {"production", "demo"}:
    # Production: serves the collected, hashed static files. Demo: serves them from the source
    # folders, as runserver does only under DEBUG. The test server serves them itself.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "cse_portal.urls"
WSGI_APPLICATION = "cse_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cse_portal.context_processors.portal",
                "cse_portal.context_processors.service_navigation",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------
# DATABASE_URL selects the database; without it an embedded PostgreSQL (pgserver) is started
# with its data under .data/ in the project. There is no SQLite anywhere.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
DATABASES: dict[str, dict[str, Any]]
if DATABASE_URL:
    DATABASES = {"default": dict(dj_database_url.parse(DATABASE_URL, conn_max_age=60))}
else:
    from cse_portal.embedded_db import (  # only needed without DATABASE_URL
        embedded_data_dir,
        embedded_database_settings,
    )

    DATABASES = {"default": embedded_database_settings(embedded_data_dir())}
if os.environ.get("DATABASE_REPLICA_URL") or CSE_ENV == "test":
    # A read-only replica for marked read-heavy pages (deployment block below). The tests
    # point it at the test database itself (MIRROR): the router is tested, not replication.
    DATABASES["replica"] = (
        dict(dj_database_url.parse(os.environ["DATABASE_REPLICA_URL"], conn_max_age=60))
        if os.environ.get("DATABASE_REPLICA_URL")
        else {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
    )
if CSE_ENV == "test":
    # The access log refuses TRUNCATE (cse_portal migration 0003) unless the session says
    # otherwise; the test run's own connections must, because Django empties the database
    # with one TRUNCATE after every transactional (browser) test. No other setting says so.
    for _alias in DATABASES:
        DATABASES[_alias].setdefault("OPTIONS", {})["options"] = "-c cse_portal.allow_truncate=on"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication ---------------------------------------------------------------------
AUTH_USER_MODEL = "cse_portal.Officer"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend reading the agency and the second factor's device ids with the officer.
    "cse_portal.auth_backends.OfficerBackend",
    "guardian.backends.ObjectPermissionBackend",
]
LOGIN_URL = "accounts:sign_in"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:sign_in"
# Argon2id, the hasher OWASP lists first, hashes new passwords and re-hashes an older PBKDF2
# hash at the officer's next sign-in. Memory-hard, so stronger against guessing on GPUs, and
# with Django's parameters about half the time of Django 6.1's PBKDF2 (1.5 million
# iterations) on a two-core server, which every sign-in pays.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Lock an account name out after 5 failed sign-ins for 30 minutes. Locking by username
# (whether or not the account exists) means the response never reveals which names exist.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "cse_portal.accounts.lockout_response"
AXES_VERBOSE = False
# axes.W006 asks for the IP address as a lockout parameter too. We lock by username only,
# deliberately: a council office signs in from one shared address, and an IP lockout after
# five failures would lock out every officer there. Rotating user agents or cookies does not
# get round a username lockout.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("CSE_PROXY_COUNT", "0")) or None

# Two-factor sign-in (TOTP) for every officer unless turned off (only for the local demo).
CSE_REQUIRE_2FA = env_bool("CSE_REQUIRE_2FA", True)
OTP_TOTP_ISSUER = "CSE Portal"
if CSE_ENV == "production" and not CSE_REQUIRE_2FA:
    # A live system holding children's data never runs without a second factor (and the demo
    # banner that would then show would tell real users the data is fictional).
    raise RuntimeError("CSE_REQUIRE_2FA cannot be turned off when CSE_ENV=production")
# The admin must not show an officer's TOTP key or QR code: whoever reads it holds their
# second factor. An administrator can still delete a lost device so the officer enrols again.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Sessions: 30 minutes idle, 12 hours absolute; the browser warns 2 minutes before idle expiry.
CSE_SESSION_IDLE_SECONDS = int(os.environ.get("CSE_SESSION_IDLE_SECONDS", "1800"))
CSE_SESSION_ABSOLUTE_SECONDS = int(os.environ.get("CSE_SESSION_ABSOLUTE_SECONDS", str(12 * 3600)))
CSE_SESSION_WARNING_SECONDS = int(os.environ.get("CSE_SESSION_WARNING_SECONDS", "120"))
SESSION_COOKIE_AGE = CSE_SESSION_ABSOLUTE_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Flash messages name children ("Jamie Smith has been added"); Django's default cookie storage
# would carry them to the browser in a signed but readable cookie. Keep them in the session.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# --- Security headers ---------------------------------------------------------------------
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", CSE_ENV == "production")
SESSION_COOKIE_SECURE = CSE_ENV == "production"
CSRF_COOKIE_SECURE = CSE_ENV == "production"
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("CSE_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Django 6's built-in Content-Security-Policy: scripts only from us or with the per-request
# nonce; no 'unsafe-inline' anywhere.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

# --- Internationalisation -----------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"  # shown in Europe/London, stored in UTC
USE_I18N = True
USE_TZ = True

# --- Working days (cse_portal/working_days.py: the guidance's "one working day") -----------
CSE_WORKING_DAY_START = os.environ.get("CSE_WORKING_DAY_START", "09:00")
CSE_WORKING_DAY_END = os.environ.get("CSE_WORKING_DAY_END", "17:00")
CSE_WORKING_WEEKDAYS = env_list("CSE_WORKING_WEEKDAYS", "Mon,Tue,Wed,Thu,Fri")
# Bank holidays of this part of the UK are never working days: ENG (England and Wales), WLS,
# SCT or NIR.
CSE_BANK_HOLIDAY_REGION = os.environ.get("CSE_BANK_HOLIDAY_REGION", "ENG")

# --- E-mail (Django 6.1's MAILERS) -----------------------------------------------------------
# Production sends through an SMTP relay read from the environment; the demo prints each
# e-mail to the console; tests use Django's in-memory outbox (which the test runner puts in
# place of every mailer). E-mails never carry case content (cse_portal/notifications.py).
if CSE_ENV == "production":
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ.get("CSE_SMTP_HOST", "localhost"),
                "port": int(os.environ.get("CSE_SMTP_PORT", "587")),
                "username": os.environ.get("CSE_SMTP_USER", ""),
                "password": os.environ.get("CSE_SMTP_PASSWORD", ""),
                "use_tls": env_bool("CSE_SMTP_TLS", True),
                "timeout": 20,
            },
        }
    }
elif CSE_ENV == "test":
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("CSE_FROM_EMAIL", "CSE Portal <no-reply@cse-portal.invalid>")
# The address e-mails link to (the digest has no request to take it from).
CSE_PUBLIC_URL = os.environ.get("CSE_PUBLIC_URL", "http://127.0.0.1:8000")

# --- Static files -------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
if DEMO_MODE:
    # No collectstatic for the demo: WhiteNoise finds the files where runserver would, and
    # picks up edits without a restart.
    WHITENOISE_USE_FINDERS = True
    WHITENOISE_AUTOREFRESH = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if CSE_ENV == "production"
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- Forms --------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# --- Guardian: object permissions only; anonymous users have none ---------------------------
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False
GUARDIAN_RENDER_403 = False


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}


# --- Deployment beyond one machine (docs/scaling.md) ---------------------------------------
# Several app servers share nothing but the database: sessions are database-backed (Django's
# default engine, named here so that it stays so), the cache is a database table (or Redis
# when CSE_REDIS_URL is set), axes' lockouts and django-otp's throttles live in their tables.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _redis}
        if (_redis := os.environ.get("CSE_REDIS_URL"))
        else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "cse_cache"}
    )
}
# Background tasks (PDF files, e-mail) through django.tasks: in production the database queue
# and its worker (`manage.py db_worker`); the tests and the one-process local demo (`make run`,
# which starts no worker) run each task at once, in the request.
TASKS = {
    "default": {
        "BACKEND": (
            "django.tasks.backends.immediate.ImmediateBackend"
            if CSE_ENV in {"test", "demo"}
            else "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default"],
    },
    # The database queue under its own name, so that a test can send a task through it and a
    # worker (tests/core/test_pdf_exports.py); in production it is the default one.
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
}
CSE_PDF_TASK_BACKEND = os.environ.get("CSE_PDF_TASK_BACKEND", "default")
# E-mail is queued (cse_portal/mail_tasks.py) on this backend when the write commits.
CSE_MAIL_TASK_BACKEND = os.environ.get("CSE_MAIL_TASK_BACKEND", "default")
# Reads of these views (URL names, with or without namespace) go to the "replica" database
# when one is configured (DATABASE_REPLICA_URL); the page shows how old its figures are.
DATABASE_ROUTERS = ["cse_portal.replica.ReplicaRouter"]
CSE_REPLICA_VIEWS = env_list("CSE_REPLICA_VIEWS", "" if CSE_ENV == "test" else "themes,caseload")
# A prepared PDF waits this long for its download before it is deleted unread.
# The themes' summaries (cse_portal.themes_summary): the page never shows figures older than
# this; `manage.py refresh_themes --every N` (or the scheduler) works them out again sooner.
# 0: no summary, every page counts afresh — the test default, so that a test adding records
# between two pages sees its change; tests of the summaries set it (tests/caseload).
CSE_THEMES_REFRESH_MINUTES = int(
    os.environ.get("CSE_THEMES_REFRESH_MINUTES", "0" if CSE_ENV == "test" else "15")
)
CSE_PDF_EXPORT_KEEP_SECONDS = int(os.environ.get("CSE_PDF_EXPORT_KEEP_SECONDS", "900"))
MIDDLEWARE.append("cse_portal.replica.ReplicaViewsMiddleware")
