"""The load test's CPU and server-time summary (scripts/load/cpu.py): what each kind of process
used during the run, and the servers' own percentiles from their access logs."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from django.conf import settings


def _cpu_module():
    path = Path(settings.BASE_DIR) / "scripts" / "load" / "cpu.py"
    spec = importlib.util.spec_from_file_location("load_cpu", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SAMPLES = """@ 100.00
  11 30 /work/.venv/bin/python .venv/bin/gunicorn -c deploy/gunicorn.conf.py cse_portal.wsgi
  12 5 postgres: 15/main: postgres cse_load 127.0.0.1(3000) idle
  13 2 /work/.venv/bin/python .venv/bin/locust -f scripts/load/locustfile.py
  14 0 ps -eo pid=,times=,args=
@ 160.00
  11 90 /work/.venv/bin/python .venv/bin/gunicorn -c deploy/gunicorn.conf.py cse_portal.wsgi
  12 9 postgres: 15/main: postgres cse_load 127.0.0.1(3000) idle
  13 6 /work/.venv/bin/python .venv/bin/locust -f scripts/load/locustfile.py
  21 25 /work/.venv/bin/python manage.py db_worker --interval 0.5
  22 7 postgres: 15/main: postgres cse_load 127.0.0.1(3002) SELECT
  23 3 /usr/bin/something-else
  24 9 ps -eo pid=,times=,args=
"""


def test_cpu_counts_only_what_each_process_used_during_the_run(tmp_path: Path) -> None:
    samples = tmp_path / "cpu.txt"
    samples.write_text(SAMPLES)
    used, wall = _cpu_module().cpu_by_kind(str(samples))
    assert wall == 60.0
    # Present at the first sample: only the growth counts; started during the run: all of it.
    assert used["app servers (gunicorn)"] == 60
    assert used["PostgreSQL"] == (9 - 5) + 7
    assert used["Locust (the simulated officers)"] == 4
    assert used["task worker"] == 25
    assert used["everything else"] == 3  # the sampler's own ps is left out


def test_server_percentiles_from_the_access_logs(tmp_path: Path, capsys) -> None:
    samples = tmp_path / "cpu.txt"
    samples.write_text(SAMPLES)
    log = tmp_path / "access-1.log"
    line = '127.0.0.1 - - [02/Dec/2026:12:00:00 +0000] "GET /children/ HTTP/1.1" 200 10 "-" "{agent}" {ms}ms\n'
    log.write_text(
        "".join(line.format(agent="python-requests/2", ms=ms) for ms in range(1, 101))
        + line.format(agent="curl/7.88.1", ms=99999)  # the readiness check: not a request
        + '127.0.0.1 - - [02/Dec/2026:11:00:00 +0000] "GET / HTTP/1.1" 200 10 "-" "x"\n'
    )
    _cpu_module().main(str(samples), [str(log)])
    printed = capsys.readouterr().out
    assert "100 requests: p50 51, p95 96, p99 100" in printed
    assert "60 s on" in printed
