# CSE Portal: one image for the web server (gunicorn) and the task worker (db_worker).
# Build: docker build -t cse-portal .   Run with compose.yaml (PostgreSQL, app, worker).
FROM python:3.12-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint's libraries and a font for the PDFs; the PostgreSQL client for backups.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core postgresql-client \
 && rm -rf /var/lib/apt/lists/*

RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin cse
WORKDIR /app

# The runtime dependencies only (pyproject's list), at the versions requirements.lock pins:
# no test tools, browsers or load-test tools in the image.
COPY pyproject.toml requirements.lock ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/runtime.txt \
 && pip install -r /tmp/runtime.txt -c requirements.lock \
 && rm /tmp/runtime.txt

COPY --chown=root:root . .
# Static files collected into the image (WhiteNoise serves them, hashed and compressed). The
# secret and database here exist only for this build step.
RUN CSE_ENV=production DJANGO_SECRET_KEY=build-only-not-a-secret \
    DATABASE_URL=postgres://unused@127.0.0.1:1/unused \
    python manage.py collectstatic --no-input -v0

USER cse
EXPOSE 8000
# Plain HTTP inside the deployment's network: the authority's reverse proxy terminates TLS
# and sets X-Forwarded-Proto (CSE_BEHIND_TLS_PROXY) and X-Forwarded-For (CSE_PROXY_COUNT).
ENV CSE_ENV=production \
    CSE_BIND=0.0.0.0:8000 \
    CSE_BEHIND_TLS_PROXY=true \
    CSE_PROXY_COUNT=1
CMD ["gunicorn", "-c", "deploy/gunicorn.conf.py", "cse_portal.wsgi"]
