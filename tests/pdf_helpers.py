"""Reading PDFs back in tests: poppler's `pdftotext` for the text, `pdfinfo` for the metadata.

A missing tool fails the test with the command that installs it; it never skips it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest


def poppler(tool: str, pdf: bytes, *args: str) -> str:
    """Run a poppler-utils tool on the PDF; a missing tool fails the test, never skips it."""
    binary = shutil.which(tool) or f"/usr/bin/{tool}"
    if not Path(binary).exists():
        pytest.fail(
            f"{tool} is not installed, so the PDF cannot be read: run `make system-deps` "
            "(Debian package poppler-utils)",
            pytrace=False,
        )
    # A fixed local binary reading our own PDF on stdin.
    result = subprocess.run(  # noqa: S603
        [binary, *args, "-enc", "UTF-8", "-", *(["-"] if tool == "pdftotext" else [])],
        input=pdf,
        capture_output=True,
        check=True,
    )
    return result.stdout.decode()


def pdf_text(pdf: bytes) -> str:
    return " ".join(poppler("pdftotext", pdf, "-layout").split())  # one space between words


def page_count(pdf: bytes) -> int:
    match = re.search(r"^Pages:\s+(\d+)", poppler("pdfinfo", pdf), re.MULTILINE)
    assert match, "pdfinfo gave no page count"
    return int(match.group(1))


def page_texts(pdf: bytes) -> list[str]:
    """The text of each page, one space between words."""
    return [
        " ".join(poppler("pdftotext", pdf, "-layout", "-f", str(n), "-l", str(n)).split())
        for n in range(1, page_count(pdf) + 1)
    ]
