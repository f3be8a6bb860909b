"""PDF rendering (real WeasyPrint) and the child's record export (G37).

The PDF's text is read with poppler's `pdftotext` and its metadata with `pdfinfo`; where they
are missing the tests fail (`make system-deps` installs them). Embedded files are looked for in the PDF's bytes and its
decompressed streams, so that check needs nothing installed.
"""

from __future__ import annotations

import re
import socket
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from cse_portal import services
from cse_portal.models import AccessLog, LookedAfterStatus, RiskGroup
from cse_portal.pdf import StaticOnlyURLFetcher, html_to_pdf, static_base_url
from tests.factories import make_child
from tests.pdf_helpers import fetch_pdf, pdf_text, poppler

STATIC = Path(settings.STATICFILES_DIRS[0]).resolve()


def pdf_expanded(pdf: bytes) -> bytes:
    """The PDF's bytes followed by every stream it holds, decompressed where compressed."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.DOTALL):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            parts.append(match.group(1))
    return b"\n".join(parts)


def record_url(child) -> str:
    return reverse("children:record_pdf", kwargs={"child_pk": child.pk})


# --- The export ------------------------------------------------------------------------------


def test_the_record_pdf_is_a_pdf_of_the_childs_record_named_by_reference(owner_client, world):
    response = fetch_pdf(owner_client, record_url(world.child))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reference = world.child.reference
    assert response["Content-Disposition"] == f'attachment; filename="{reference}-record.pdf"'
    assert "no-store" in response["Cache-Control"]
    pdf = response.content
    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf)
    assert "Jamie Testchild" in text
    assert "Brookfield Academy" in text and "Northdale Police" in text
    assert "Police are investigating." in text
    assert f"CSE Portal — Child's record {reference}" in text  # running header
    assert f"OFFICIAL-SENSITIVE · Ref. {reference}" in text  # running footer
    assert re.search(r"Page 1 of \d+", text)
    assert "by Olive Owner (Brookfield Academy)" in text
    assert "special-category personal data about a child" in text


def test_the_record_pdf_has_title_and_author_metadata_without_the_childs_name(owner_client, world):
    pdf = fetch_pdf(owner_client, record_url(world.child)).content
    # Read the metadata as a PDF reader does (the raw bytes may encode it in several ways).
    info = poppler("pdfinfo", pdf)
    assert f"Title:           Child's record {world.child.reference}" in info
    assert "Author:          Olive Owner (Brookfield Academy)" in info
    assert "A4" in info
    assert "Jamie" not in info  # file lists show metadata: the reference only


def test_the_record_pdf_shows_a_looked_after_childs_placement_and_groups_at_risk(
    involved_client, world
):
    child = make_child(
        by=world.owner,
        first_name="Alex",
        looked_after_status=LookedAfterStatus.LOOKED_AFTER,
        host_authority=world.south,
        host_cse_lead_contact="Nadia Rahman, 01632 960 412",
        risk_groups=[RiskGroup.MISSING],
        school_or_setting="Brookfield Academy",
    )
    services.child_share(child=child, agency=world.police, by=world.owner, reason="Missing.")

    text = pdf_text(fetch_pdf(involved_client, record_url(child)).content)

    assert "Alex Testchild" in text
    assert "Looked after (in care)" in text
    assert "Host authority Southmere Council" in text
    assert "Nadia Rahman, 01632 960 412" in text
    assert "Goes missing from home or care" in text
    assert "Boy or young man" in text
    assert "by Ivan Involved (Northdale Police)" in text


@pytest.mark.guidance("G37")
def test_an_export_writes_exactly_one_access_log_row(involved_client, world):
    before = set(AccessLog.objects.values_list("pk", flat=True))

    response = fetch_pdf(involved_client, record_url(world.child), REMOTE_ADDR="10.9.8.7")

    assert response.status_code == 200
    rows = list(AccessLog.objects.exclude(pk__in=before))
    assert len(rows) == 1
    row = rows[0]
    assert (row.action, row.officer, row.agency, row.child) == (
        AccessLog.Action.EXPORT,
        world.involved,
        world.police,
        world.child,
    )
    assert row.object_type == "child record (PDF)"
    assert row.object_id == str(world.child.pk)
    assert row.ip_address == "10.9.8.7"


def test_an_uninvolved_officer_gets_404_and_nothing_is_logged(uninvolved_client, world):
    before = AccessLog.objects.count()

    response = fetch_pdf(uninvolved_client, record_url(world.child))

    assert response.status_code == 404
    assert AccessLog.objects.count() == before
    assert b"%PDF" not in response.content


def test_an_anonymous_visitor_is_sent_to_sign_in(anonymous_client, world):
    response = anonymous_client.get(record_url(world.child))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign_in"))


def test_the_export_only_answers_get(owner_client, world):
    assert owner_client.post(record_url(world.child)).status_code == 405


def test_the_childs_record_page_links_to_the_pdf(owner_client, world):
    page = owner_client.get(world.child.get_absolute_url()).content.decode()
    assert f'href="{record_url(world.child)}"' in page
    assert "Download record (PDF)" in page


# --- The URL fetcher -------------------------------------------------------------------------


def test_the_fetcher_reads_a_stylesheet_in_the_static_folder():
    response = StaticOnlyURLFetcher().fetch(f"{static_base_url()}css/pdf.css")
    try:
        assert response.content_type == "text/css"
        assert b"OFFICIAL-SENSITIVE" in response.read()
    finally:
        response.close()


def test_the_fetcher_reads_data_urls():
    response = StaticOnlyURLFetcher().fetch("data:text/plain;base64,aGVsbG8=")
    assert response.read() == b"hello"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        f"file://{STATIC}/../pyproject.toml",
        f"file://{STATIC}/%2e%2e/pyproject.toml",
        f"file://{STATIC}/css/../../pyproject.toml",
        f"file://{STATIC}",  # a folder, not a file
        "file://example.com/etc/passwd",
        "http://127.0.0.1/",
        "https://example.com/logo.png",
        "ftp://example.com/file",
        "javascript:alert(1)",
    ],
)
def test_the_fetcher_refuses_anything_but_static_files_and_data(url):
    with pytest.raises(ValueError, match="refused"):
        StaticOnlyURLFetcher().fetch(url)


def test_the_fetcher_refuses_a_symlink_leading_out_of_the_static_folder(tmp_path):
    static = tmp_path / "static"
    static.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the PDF")
    (static / "inside.txt").write_text("fine")
    (static / "link.txt").symlink_to(secret)
    fetcher = StaticOnlyURLFetcher(roots=[static])

    assert fetcher.fetch((static / "inside.txt").as_uri()).read() == b"fine"
    with pytest.raises(ValueError, match="refused"):
        fetcher.fetch((static / "link.txt").as_uri())


def test_a_local_file_outside_static_never_ends_up_in_the_pdf():
    passwd = Path("/etc/passwd").read_bytes().splitlines()[0]
    html = (
        '<html><head><link rel="attachment" href="file:///etc/passwd" title="x">'
        '<link rel="stylesheet" href="file:///etc/passwd"></head><body>'
        '<p>Before</p><img src="file:///etc/passwd" alt="">'
        '<a rel="attachment" href="file:///etc/passwd">passwd</a>'
        '<a rel="attachment" href="../../../../../../etc/passwd">relative</a>'
        "<p>After</p></body></html>"
    )

    pdf = html_to_pdf(html)  # renders: a refused resource is just missing

    assert pdf.startswith(b"%PDF-")
    expanded = pdf_expanded(pdf)
    assert b"/EmbeddedFile" not in expanded
    assert b"/FileAttachment" not in expanded
    assert passwd not in expanded


def test_an_attachment_from_the_static_folder_is_embedded():
    # The control for the test above: the same check does see an embedded file.
    html = '<html><head><link rel="attachment" href="css/pdf.css"></head><body>x</body></html>'
    expanded = pdf_expanded(html_to_pdf(html))
    assert b"/EmbeddedFile" in expanded
    assert b"OFFICIAL-SENSITIVE" in expanded


def test_http_urls_are_refused_before_any_connection_is_made():
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.setblocking(False)
    port = listener.getsockname()[1]
    try:
        base = f"127.0.0.1:{port}"
        html = (
            f'<html><head><link rel="stylesheet" href="http://{base}/a.css">'
            f'<link rel="attachment" href="http://{base}/b.txt">'
            f"<style>@import url(http://{base}/c.css); "
            f"@font-face {{ font-family: X; src: url(https://{base}/d.woff2) }}</style>"
            f'</head><body><img src="http://{base}/e.png" alt="">'
            f'<img src="file://{base}/f.png" alt=""><p>Text</p></body></html>'
        )

        pdf = html_to_pdf(html)

        assert pdf.startswith(b"%PDF-")
        # A connect() to a listening socket completes in the kernel and waits to be
        # accepted: nothing waiting means nothing tried to connect.
        with pytest.raises(BlockingIOError):
            listener.accept()
    finally:
        listener.close()


def test_the_static_stylesheet_is_loaded_into_the_pdf():
    # The page footer ("Page N of M") exists only in static/css/pdf.css.
    html = (
        '<html><head><link rel="stylesheet" href="css/pdf.css"></head><body><p>Hi</p></body></html>'
    )
    text = pdf_text(html_to_pdf(html))
    assert "Hi" in text
    assert "Page 1 of 1" in text
    assert "OFFICIAL-SENSITIVE" in text
