"""The embedded PostgreSQL used when no DATABASE_URL is given.

`pgserver` runs a real PostgreSQL 16 from its wheel, with its data in a git-ignored
folder of the project, so `make run` keeps its data between runs. It listens on a Unix
socket inside the data directory; nothing listens on a TCP port.

pgserver stops the server when the last process that started or attached to it exits
normally; a process killed by a signal (runserver's worker after Ctrl+C) never lets go, and the
server then runs on. `make run` therefore stops it when the web server stops, and
`python -m cse_portal.embedded_db stop` (`make stop`) stops it at any time.

`python -m cse_portal.embedded_db exec -- COMMAND…` runs a command against it (`make backup`
and `make restore` without a DATABASE_URL): the server started or attached to while the
command runs, DATABASE_URL set to its database, and the wheel's own client tools (pg_dump,
pg_restore, psql of the same PostgreSQL 16) first on PATH, as a machine's may be older (pg_dump
refuses a newer server) or missing. `TARGET_DATABASE=name` also sets TARGET_DATABASE_URL to
that database on the same server (a restore's new database).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

DATABASE_NAME = "cse_portal"
BASE_DIR = Path(__file__).resolve().parent.parent


def embedded_data_dir() -> Path:
    return Path(os.environ.get("CSE_EMBEDDED_PGDATA", BASE_DIR / ".data" / "pg")).resolve()


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


def is_embedded(settings_dict: dict[str, Any]) -> bool:
    """A DATABASES entry of the embedded server: its HOST is a socket directory."""
    return str(settings_dict.get("HOST") or "").startswith("/")


def url_of(settings_dict: dict[str, Any], name: str | None = None) -> str:
    """A libpq URL for a DATABASES entry (or for database `name` on the same server), for the
    command-line tools. A socket directory goes in the URL percent-encoded as the host."""
    host = str(settings_dict.get("HOST") or "127.0.0.1")
    if is_embedded(settings_dict):
        host = quote(host, safe="")
    port = settings_dict.get("PORT") or 5432
    user = settings_dict.get("USER") or "postgres"
    return f"postgresql://{quote(user, safe='')}@{host}:{port}/{name or settings_dict['NAME']}"


def client_tools_dir() -> Path:
    """The wheel's own pg_dump, pg_restore and psql (the embedded server's version)."""
    from pgserver._commands import POSTGRES_BIN_PATH

    return Path(POSTGRES_BIN_PATH)


def client_env(settings_dict: dict[str, Any]) -> dict[str, str]:
    """What a command-line tool needs to reach the DATABASES entry's server with matching
    client tools: the wheel's tools first on PATH for the embedded server, nothing else."""
    if not is_embedded(settings_dict):
        return {}
    return {"PATH": f"{client_tools_dir()}{os.pathsep}{os.environ.get('PATH', '')}"}


def exec_with_embedded(command: list[str]) -> int:
    """Run `command` with the embedded server up, DATABASE_URL naming its database, its
    client tools first on PATH, and TARGET_DATABASE_URL if TARGET_DATABASE names one."""
    settings_dict = embedded_database_settings(embedded_data_dir())
    env = {**os.environ, **client_env(settings_dict), "DATABASE_URL": url_of(settings_dict)}
    if target := os.environ.get("TARGET_DATABASE"):
        env["TARGET_DATABASE_URL"] = url_of(settings_dict, target)
    return subprocess.run(command, env=env, check=False).returncode  # noqa: S603  (the caller's own command)


def processes_attached(data_dir: Path) -> list[int]:
    """Live processes other than this one that hold pgserver's handle on the server."""
    import psutil  # a dependency of pgserver

    handles = data_dir / ".handle_pids.json"
    pids: list[int] = json.loads(handles.read_text()) if handles.exists() else []
    return [pid for pid in pids if pid != os.getpid() and psutil.pid_exists(pid)]


def stop_embedded_server(data_dir: Path, *, timeout: float = 30.0) -> bool:
    """Stop the embedded server if it runs on `data_dir`; True if it was running."""
    import psutil  # a dependency of pgserver

    pid_file = data_dir / "postmaster.pid"
    try:
        pid = int(pid_file.read_text().split()[0])
        postmaster = psutil.Process(pid)
        # A stale pid file's number may belong to another process by now: check it is ours.
        running = str(data_dir) in postmaster.cmdline()
    except (FileNotFoundError, IndexError, ValueError, psutil.Error):
        running = False
    if running:
        postmaster.send_signal(signal.SIGINT)  # PostgreSQL's "fast" shutdown
        deadline = time.monotonic() + timeout
        # The server removes its pid file once it has shut down.
        while pid_file.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        if pid_file.exists():
            raise RuntimeError(f"The embedded PostgreSQL ({data_dir}) did not stop in {timeout}s")
    # Forget the handles of processes that died holding one, so pgserver can stop it next time.
    (data_dir / ".handle_pids.json").unlink(missing_ok=True)
    return running


USAGE = "usage: python -m cse_portal.embedded_db stop | exec -- COMMAND [ARG…]"


def main(argv: list[str]) -> int:
    if argv[1:3] == ["exec", "--"] and len(argv) > 3:
        return exec_with_embedded(argv[3:])
    if argv[1:] != ["stop"]:
        print(USAGE, file=sys.stderr)
        return 2
    data_dir = embedded_data_dir()
    if stop_embedded_server(data_dir):
        print(f"Stopped the embedded PostgreSQL ({data_dir}).")
    else:
        print(f"The embedded PostgreSQL ({data_dir}) is not running.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
