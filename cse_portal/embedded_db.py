"""The embedded PostgreSQL used when no DATABASE_URL is given.

`pgserver` runs a real PostgreSQL 16 from its wheel, with its data in a git-ignored
folder of the project, so `make run` keeps its data between runs. It listens on a Unix
socket inside the data directory; nothing listens on a TCP port.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

DATABASE_NAME = "cse_portal"


def embedded_database_settings(data_dir: Path) -> dict[str, Any]:
    """Start (or attach to) the embedded server and return a Django DATABASES entry."""
    # pgserver keeps a lock file in the runtime directory; give it the conventional one rather
    # than let platformdirs warn on every command where XDG_RUNTIME_DIR is unset.
    fallback = f"/tmp/runtime-{os.getuid()}"  # noqa: S108  (platformdirs' own fallback)
    runtime_dir = Path(os.environ.setdefault("XDG_RUNTIME_DIR", fallback))
    runtime_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    if runtime_dir.stat().st_uid == os.getuid():
        runtime_dir.chmod(0o700)  # platformdirs ignores (and warns about) a laxer directory
    import pgserver  # imported here: only needed when no DATABASE_URL is set

    data_dir.parent.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(data_dir, cleanup_mode="stop")
    # DATABASE_NAME is a constant of this module, not input.
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")  # noqa: S608
    if "1 row" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": "postgres",
        "PASSWORD": "",
        # pgserver listens on a Unix socket inside its data directory.
        "HOST": str(data_dir.resolve()),
        "PORT": "",
    }
