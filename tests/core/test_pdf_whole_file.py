"""The child's whole file as a PDF (G27): details, involvements, a chronology in date order and
each app's section, contributed through the core's section registry; only what the requesting
officer may see, final records only; OFFICIAL-SENSITIVE and "Page N of M" on every page.

Read back with poppler (pdftotext, pdfinfo), as a reader of the printed file would read it.
"""

from __future__ import annotations

import socket
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from cse_portal.models import AccessLog
from cse_portal.sections import ChildSection, ChronologyEntry, _Registry
from referrals import services as referral_services
from screening import services as screening_services
from screening.models import Conclusion
from tests.core.test_pdf import pdf_expanded
from tests.factories import OfficerFactory
from tests.pdf_helpers import fetch_pdf, page_texts, pdf_text
from tests.referrals.conftest import acknowledge, make_draft, send
from tests.screening.factories import make_screening

pytestmark = pytest.mark.guidance("G27")


def file_url(child) -> str:
    return reverse("children:record_pdf", kwargs={"child_pk": child.pk})


def decide(referral, world):
    return referral_services.referral_decide(
        referral=referral,
        by=world.csc_officer,
        outcome="initial_assessment",
        rationale="Concern about older men meeting Jamie after school.",
        decided_by=world.csc_officer,
        approved_by=world.team_manager,
    )


def test_the_file_holds_each_apps_section_and_a_chronology_in_date_order(owner_client, world):
    # The events of the two apps interleave in time: the chronology follows when things
    # happened, not the order in which the apps registered their sections.
    screening = make_screening(
        child=world.child,
        by=world.owner,
        present=("S-01",),
        submit=True,
        conclusion=Conclusion.DISCUSS,
        reason="Worried about new older friends.",
    )
    referral = send(make_draft(by=world.owner, child=world.child), world.owner)
    screening_services.screening_advise(
        screening=screening, by=world.lead, text="Refer to children's social care today."
    )
    acknowledge(referral, world.csc_officer)
    decide(referral, world)

    text = pdf_text(fetch_pdf(owner_client, file_url(world.child)).content)

    # The core's own parts.
    assert "Child's record: the whole file" in text
    assert "Agencies involved" in text and "Northdale Police" in text
    # Each app's section, as it registered it.
    assert "Screenings (SAFEGUARD)" in text
    assert "Worried about new older friends." in text
    assert "Refer to children's social care today." in text
    assert "CSE1 referrals to children's social care" in text
    assert f"Referral {referral.reference}" in text
    assert "Seen getting into cars with older men after school." in text
    assert "Allocated to a social worker." in text
    assert "Concern about older men meeting Jamie after school." in text
    # The chronology, oldest first (short markers: a table cell's text wraps).
    chronology = text[text.index("Chronology") : text.index("Screenings (SAFEGUARD)")]
    events = [
        "Child's record created",
        "SAFEGUARD screening submitted",
        f"CSE1 referral {referral.reference} sent",
        "Advice from the CSE lead officer",
        "acknowledged to the referrer",
        f"Decision on referral {referral.reference}",
    ]
    positions = [chronology.index(event) for event in events]
    assert positions == sorted(positions), chronology


def test_the_file_holds_no_draft_of_any_agency(involved_client, owner_client, world):
    make_draft(by=world.owner, child=world.child, basis_of_concern="SCHOOL-DRAFT-CONCERN")
    police_screening = screening_services.screening_create(
        child=world.child, by=world.involved, answers={}
    )
    assert police_screening.is_draft

    for client in (owner_client, involved_client):
        text = pdf_text(fetch_pdf(client, file_url(world.child)).content)
        assert "SCHOOL-DRAFT-CONCERN" not in text
        assert "No sent referrals that you can see." in text
        assert "No submitted screenings that you can see." in text
        assert "drafts are not part of the child's file" in text


def test_every_page_is_marked_official_sensitive_and_numbered(owner_client, world):
    for n in range(6):
        make_screening(
            child=world.child,
            by=world.owner,
            present=("S-01", "S-02", "F-01"),
            submit=True,
            conclusion=Conclusion.DISCUSS,
            reason=f"Screening {n}: " + "the concern grows each week. " * 25,
        )

    pages = page_texts(fetch_pdf(owner_client, file_url(world.child)).content)

    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert page.count("OFFICIAL-SENSITIVE") >= 2, page  # the header and the footer
        assert f"Page {number} of {len(pages)}" in page
        assert f"Ref. {world.child.reference}" in page
        assert "Generated" in page


def test_an_uninvolved_officer_gets_404_and_the_export_is_logged_once(
    uninvolved_client, involved_client, world
):
    assert fetch_pdf(uninvolved_client, file_url(world.child)).status_code == 404
    before = set(AccessLog.objects.values_list("pk", flat=True))

    assert fetch_pdf(involved_client, file_url(world.child)).status_code == 200

    rows = list(AccessLog.objects.exclude(pk__in=before))
    assert [(r.action, r.officer, r.object_type) for r in rows] == [
        (AccessLog.Action.EXPORT, world.involved, "child record (PDF)")
    ]


def test_user_text_in_the_file_cannot_make_the_renderer_fetch_anything(owner_client, world):
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.setblocking(False)
    base = f"127.0.0.1:{listener.getsockname()[1]}"
    hostile = (
        f'<img src="file:///etc/passwd"><link rel="attachment" href="file:///etc/passwd">'
        f"<style>body {{ background: url(http://{base}/x.png) }}</style>"
        f'<img src="http://{base}/y.png">'
    )
    try:
        world.child.description = hostile
        world.child.save()
        make_screening(
            child=world.child,
            by=world.owner,
            submit=True,
            conclusion=Conclusion.DISCUSS,
            reason=hostile,
        )
        send(make_draft(by=world.owner, child=world.child, basis_of_concern=hostile), world.owner)

        pdf = fetch_pdf(owner_client, file_url(world.child)).content

        with pytest.raises(BlockingIOError):
            listener.accept()  # nothing tried to connect
    finally:
        listener.close()
    expanded = pdf_expanded(pdf)
    assert b"/EmbeddedFile" not in expanded
    assert b"root:x:0:0" not in expanded
    text = pdf_text(pdf)
    assert 'src="file:///etc/passwd"' in text  # printed as the text it is, never followed


# --- The registry -----------------------------------------------------------------------------


def _entry(at, event):
    return ChronologyEntry(at=at, kind="Test", event=event)


def test_the_registry_merges_every_apps_chronology_in_date_order(world):
    registry = _Registry()
    now = timezone.now()
    registry.register(
        ChildSection(
            key="b",
            order=20,
            chronology=lambda child, officer: [
                _entry(now, "third"),
                _entry(now - timedelta(days=2), "first"),
            ],
        )
    )
    registry.register(
        ChildSection(
            key="a",
            order=10,
            chronology=lambda child, officer: [_entry(now - timedelta(days=1), "second")],
        )
    )

    events = [e.event for e in registry.chronology(world.child, world.owner)]

    assert events == ["first", "second", "third"]


def test_a_date_alone_is_placed_at_the_start_of_that_day_in_london():
    entry = _entry(date(2026, 7, 1), "meeting day")
    assert entry.moment == datetime(2026, 7, 1, tzinfo=ZoneInfo("Europe/London"))
    assert not entry.has_time
    before = _entry(datetime(2026, 6, 30, 22, 59, tzinfo=ZoneInfo("UTC")), "late on the 30th")
    assert before.moment < entry.moment  # 23:59 in London (BST) is the day before


def test_a_pdf_only_section_is_in_the_file_and_not_on_the_record_page(world):
    registry = _Registry()
    registry.register(
        ChildSection(
            key="pdf_only",
            order=5,
            pdf_template="children/pdf/chronology.html",
            pdf_context=lambda child, officer: {"n": 1},
        )
    )
    registry.register(
        ChildSection(
            key="both",
            order=6,
            template="page.html",
            context=lambda child, officer: {"m": 2},
            pdf_template="file.html",
        )
    )

    assert registry.render_list(world.child, world.owner) == [{"template": "page.html", "m": 2}]
    assert registry.render_pdf_list(world.child, world.owner) == [
        {"template": "children/pdf/chronology.html", "n": 1},
        {"template": "file.html", "m": 2},  # no pdf_context: the page's context
    ]


def test_an_officer_of_another_agency_sees_the_sections_of_the_records_shared_with_them(
    world, client
):
    from tests.conftest import sign_in

    referral = send(make_draft(by=world.owner, child=world.child), world.owner)
    colleague = OfficerFactory(agency=world.police, first_name="Pat", last_name="Colleague")
    text = pdf_text(fetch_pdf(sign_in(client, colleague), file_url(world.child)).content)
    assert f"Referral {referral.reference}" in text
    assert "by Pat Colleague (Northdale Police)" in text
