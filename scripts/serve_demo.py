#!/usr/bin/env python3
"""Serve the demo for `make run`: Django's runserver, with two things it does not do itself.

- "Serving CSE Portal on …" is printed once the server answers a request, not before.
- When the server stops (Ctrl+C, or it fails), the embedded PostgreSQL it used is stopped too,
  unless another process (say a `make test` running beside it) still uses it.

Usage: python scripts/serve_demo.py HOST PORT   (with the demo's environment set by make)
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cse_portal.embedded_db import (  # noqa: E402  (the project root is on the path only now)
    embedded_data_dir,
    processes_attached,
    stop_embedded_server,
)

# Straight to the local server, whatever proxy the environment names.
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def answers(url: str) -> bool:
    try:
        _opener.open(url, timeout=2).close()
    except urllib.error.HTTPError:
        return True  # any HTTP answer is an answer
    except OSError:
        return False
    return True


def serve(host: str, port: str) -> int:
    url = f"http://{host}:{port}/"
    # Same process group as make: Ctrl+C reaches runserver directly.
    command = [sys.executable, "manage.py", "runserver", f"{host}:{port}"]
    server = subprocess.Popen(command, cwd=ROOT)  # noqa: S603  (our own manage.py)
    try:
        while server.poll() is None and not answers(url):
            time.sleep(0.25)
        if server.poll() is None:
            print(f"\nServing CSE Portal on {url} (Ctrl+C to stop)\n", flush=True)
        return server.wait()
    except KeyboardInterrupt:
        try:
            return server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.terminate()
            return server.wait()


def stop_database() -> None:
    if os.environ.get("DATABASE_URL"):
        return  # not ours to stop
    data_dir = embedded_data_dir()
    others = processes_attached(data_dir)
    if others:
        print(f"The embedded PostgreSQL is still used by process {', '.join(map(str, others))};")
        print("`make stop` stops it.")
    elif stop_embedded_server(data_dir):
        print("Stopped the embedded PostgreSQL.")


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        status = serve(argv[1], argv[2])
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl+C must not stop the stopping
        stop_database()
    # runserver leaves with 0 after Ctrl+C; pass on any failure to make.
    return status if status > 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
