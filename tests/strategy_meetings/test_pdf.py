"""The minutes and action plan as a PDF for the child's file (G27), and the digest of the
finalised record printed on it; the meetings' part of the child's whole file. Read back with
poppler (pdftotext, pdfinfo)."""

from __future__ import annotations

import re
import socket

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.urls import reverse

from cse_portal.models import AccessLog
from strategy_meetings import services
from strategy_meetings.models import FinalisedDigest
from strategy_meetings.services.digest import canonical_json, sha256_of
from tests.core.test_pdf import pdf_expanded
from tests.pdf_helpers import fetch_pdf, page_texts, pdf_text, poppler
from tests.strategy_meetings import factories
from tests.strategy_meetings.plan_helpers import add_action, finalised_with_plan

pytestmark = pytest.mark.guidance("G27")


def _pdf_url(meeting):
    return reverse(
        "strategy_meetings:minutes_pdf", kwargs={"child_pk": meeting.child_id, "pk": meeting.pk}
    )


def _raw(sql, params):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def final(meeting, chair):
    for n in range(8):  # enough for several pages
        add_action(meeting, chair, what=f"Action {n}: " + "meet the young person weekly. " * 8)
    return finalised_with_plan(meeting, chair)


def test_the_final_minutes_pdf_is_marked_numbered_referenced_and_carries_the_digest(
    final, chair_client
):
    response = fetch_pdf(chair_client, _pdf_url(final))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"] == f'attachment; filename="{final.reference}-minutes.pdf"'
    )
    assert "no-store" in response["Cache-Control"]
    digest = FinalisedDigest.objects.get(meeting=final).sha256
    pages = page_texts(response.content)
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert page.count("OFFICIAL-SENSITIVE") >= 2, page  # header and footer
        assert f"Page {number} of {len(pages)}" in page
        assert f"Ref. {final.reference}" in page
        assert f"SHA-256 {digest}" in page  # a printed page can be checked against the record
        assert "DRAFT" not in page
    text = " ".join(pages)
    assert "Generated" in text and "by Carmen Chair (Northdale Children's Social Care)" in text
    assert "Consideration 1: The needs of the young person" in text
    assert "SMART action plan" in text and "Action 7: meet the young person weekly." in text
    assert "Signed up, signed in" in text
    info = poppler("pdfinfo", response.content)
    assert f"Title:           Strategy meeting minutes {final.reference}" in info
    assert "Jamie" not in info


@pytest.mark.guidance("G37")
def test_every_minutes_export_is_logged_with_its_digest(final, chair_client, involved_client):
    before = set(AccessLog.objects.values_list("pk", flat=True))
    assert fetch_pdf(chair_client, _pdf_url(final)).status_code == 200
    rows = list(AccessLog.objects.exclude(pk__in=before))
    assert [(r.action, r.object_type, r.object_id) for r in rows] == [
        (AccessLog.Action.EXPORT, "strategy meeting minutes (PDF)", str(final.pk))
    ]
    assert rows[0].detail == f"SHA-256 {final.finalised_digest.sha256}"


def test_a_draft_pdf_is_the_writers_own_and_says_draft_on_every_page(
    meeting, chair, chair_client, owner_client
):
    add_action(meeting, chair)
    assert fetch_pdf(owner_client, _pdf_url(meeting)).status_code == 403

    response = fetch_pdf(chair_client, _pdf_url(meeting))

    assert response["Content-Disposition"].endswith('-minutes-DRAFT.pdf"')
    for page in page_texts(response.content):
        assert "DRAFT" in page and "OFFICIAL-SENSITIVE" in page
        assert "SHA-256" not in page
    assert "Do not place this copy on the child's file" in pdf_text(response.content)


def test_an_uninvolved_officer_gets_404_and_nothing_is_logged(final, uninvolved_client):
    before = AccessLog.objects.count()
    response = fetch_pdf(uninvolved_client, _pdf_url(final))
    assert response.status_code == 404 and b"%PDF" not in response.content
    assert AccessLog.objects.count() == before


def test_user_text_in_the_minutes_cannot_make_the_renderer_fetch_anything(
    meeting, chair, chair_client
):
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.setblocking(False)
    base = f"127.0.0.1:{listener.getsockname()[1]}"
    hostile = (
        '<img src="file:///etc/passwd"><link rel="attachment" href="file:///etc/passwd">'
        f"<style>@import url(http://{base}/a.css); p {{ background: url(http://{base}/b.png) }}"
        f'</style><img src="http://{base}/c.png">'
    )
    try:
        factories.write_every_section(meeting, chair, text=hostile)
        add_action(meeting, chair, what=hostile, measure=f"url(http://{base}/d.png)")
        final = finalised_with_plan(meeting, chair)
        pdf = fetch_pdf(chair_client, _pdf_url(final)).content
        with pytest.raises(BlockingIOError):
            listener.accept()  # nothing tried to connect
    finally:
        listener.close()
    expanded = pdf_expanded(pdf)
    assert b"/EmbeddedFile" not in expanded and b"root:x:0:0" not in expanded
    assert '<img src="file:///etc/passwd">' in pdf_text(pdf)  # printed, never followed


# --- The digest of the finalised record -----------------------------------------------------


def test_the_digest_is_the_sha256_of_the_canonical_record_stored_as_it_became_final(final):
    stored = FinalisedDigest.objects.get(meeting=final)
    assert stored.canonical_json == canonical_json(final)
    assert stored.sha256 == sha256_of(stored.canonical_json)
    assert re.fullmatch(r"[0-9a-f]{64}", stored.sha256)
    assert services.digest_matches_record(final)
    assert f'"reference":"{final.reference}"' in stored.canonical_json
    assert "Action 0: meet the young person weekly." in stored.canonical_json


def test_an_addendum_or_progress_after_finalising_does_not_change_the_digest(final, chair):
    stored = FinalisedDigest.objects.get(meeting=final).sha256
    services.meeting_add_addendum(
        meeting=final, by=chair, place="outcome", text_="The police confirmed the date."
    )
    services.action_record_progress(
        action=final.actions.first(), by=chair, status="in_progress", note="Started."
    )
    assert services.digest_matches_record(final)
    assert FinalisedDigest.objects.get(meeting=final).sha256 == stored


def test_the_database_keeps_the_digest_true_and_unchanged(final, involved_csc, chair):
    stored = FinalisedDigest.objects.get(meeting=final)
    with pytest.raises(DatabaseError):
        _raw(
            "UPDATE strategy_meetings_finaliseddigest SET sha256 = %s WHERE id = %s",
            ["0" * 64, stored.pk],
        )
    with pytest.raises(DatabaseError):
        _raw("DELETE FROM strategy_meetings_finaliseddigest WHERE id = %s", [stored.pk])
    # A meeting made final around the services has no digest: the database takes a true one only.
    other = factories.ready_to_finalise(
        factories.convene(child=final.child, by=involved_csc.csc_officer, chair=chair), chair
    )
    _raw(
        "UPDATE strategy_meetings_meeting SET status = 'final', finalised_by_id = %s,"
        " finalised_by_agency_id = %s, finalised_at = now() WHERE id = %s",
        [chair.pk, chair.agency_id, other.pk],
    )
    insert = (
        "INSERT INTO strategy_meetings_finaliseddigest (meeting_id, canonical_json, sha256,"
        " computed_at) VALUES (%s, %s, %s, now())"
    )
    with pytest.raises(IntegrityError, match="digest must be the SHA-256"):
        _raw(insert, [other.pk, '{"a":1}', "a" * 64])
    _raw(insert, [other.pk, '{"a":1}', sha256_of('{"a":1}')])
    assert FinalisedDigest.objects.filter(meeting=other).exists()


def test_a_changed_record_no_longer_matches_its_digest(final):
    # Around the triggers (as only someone with the database's owner rights could), the
    # record is changed: the stored digest no longer matches what the record says.
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")  # triggers off (superuser)
        try:
            cursor.execute(
                "UPDATE strategy_meetings_minutessection SET text = 'Rewritten.'"
                " WHERE meeting_id = %s",
                [final.pk],
            )
        finally:
            cursor.execute("SET session_replication_role = DEFAULT")
    assert not services.digest_matches_record(final)


# --- The meetings in the child's whole file -------------------------------------------------


def test_the_childs_whole_file_holds_the_final_meetings_and_their_events(
    final, meeting, chair, involved_csc, owner_client
):
    world = involved_csc
    draft = factories.convene(child=world.child, by=world.csc_officer, chair=chair)
    factories.write_every_section(draft, chair, text="DRAFT-MINUTES-TEXT")
    services.action_record_progress(
        action=final.actions.first(), by=chair, status="done", note="All four visits made."
    )

    text = pdf_text(
        fetch_pdf(
            owner_client, reverse("children:record_pdf", kwargs={"child_pk": world.child.pk})
        ).content
    )

    assert f"Strategy meeting {final.reference}" in text
    assert "Consideration 10: To identify whether there are any other young people" in text
    assert "DRAFT-MINUTES-TEXT" not in text and draft.reference not in text
    chronology = text[text.index("Chronology") :]
    assert f"Strategy meeting {final.reference} held" in chronology
    assert f"Minutes of {final.reference} finalised" in chronology
    assert "Action agreed, due" in chronology
    assert f"Action of {final.reference}: Done" in chronology
