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


def fetch_pdf(client, url: str, **extra):
    """Ask for a PDF export as an officer does: the request, the export's page (the task has
    run: tests use the immediate tasks backend), then its download link. Returns the last
    response (the PDF, or the first one that was not a redirect, e.g. a 404)."""
    response = client.get(url, **extra)
    if response.status_code != 302:
        return response
    page = client.get(response["Location"], **extra)
    assert page.status_code == 200, page.status_code
    link = re.search(r'href="([^"]*/download/)"', page.content.decode())
    assert link, "the export's page has no download link"
    return client.get(link.group(1), **extra)
