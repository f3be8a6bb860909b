"""The layers contract of pyproject.toml, run with the real `lint-imports` (as `make lint` does).

`strategy_meetings → referrals → screening → cse_portal`: an app imports only the layers below
it and the core imports no app. The contract is shown to bite on a copy of the code with one
deliberate back-import; the real tree is never written to.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ["cse_portal", "screening", "referrals", "strategy_meetings"]


def lint_imports(project: Path) -> subprocess.CompletedProcess[str]:
    binary = Path(sys.executable).with_name("lint-imports")
    if not binary.exists():
        pytest.fail(f"lint-imports is not installed at {binary}: run `make install`")
    # Only this project's packages, found from `project`, whatever the working directory.
    env = {**os.environ, "PYTHONPATH": str(project)}
    return subprocess.run(  # noqa: S603  (our own venv's tool, fixed arguments)
        [str(binary), "--no-cache", str(project / "pyproject.toml")],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def copy_of_the_code(tmp_path: Path) -> Path:
    """The four packages and pyproject.toml, copied (so the real tree stays untouched)."""
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package,
            tmp_path / package,
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_real_code_keeps_the_layers():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_an_unchanged_copy_keeps_the_layers(copy_of_the_code: Path):
    # The copy is analysed, not the real tree: the same result before anything is added.
    result = lint_imports(copy_of_the_code)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_core_importing_an_app_breaks_the_contract(copy_of_the_code: Path):
    (copy_of_the_code / "cse_portal" / "back_import.py").write_text(
        "from screening import models  # noqa: F401\n"
    )
    result = lint_imports(copy_of_the_code)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout
    assert "cse_portal.back_import -> screening.models" in result.stdout


def test_an_earlier_stage_importing_a_later_one_breaks_the_contract(copy_of_the_code: Path):
    # A function-local import counts as much as one at the top of a module.
    (copy_of_the_code / "screening" / "back_import.py").write_text(
        "def later():\n    from referrals import models  # noqa: F401\n"
    )
    result = lint_imports(copy_of_the_code)
    assert result.returncode != 0
    assert "screening.back_import -> referrals.models" in result.stdout
