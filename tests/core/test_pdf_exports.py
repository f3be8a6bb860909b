"""PDFs made in the background (cse_portal.pdf_exports): request → task → the export's page
→ download. The tests run tasks at once (Django's ImmediateBackend) except the last, which
sends the task through the database queue and runs the real worker (`db_worker`)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from cse_portal import services
from cse_portal.models import AccessLog, PdfExport
from tests.conftest import sign_in
from tests.factories import OfficerFactory
from tests.pdf_helpers import pdf_text


def record_url(child) -> str:
    return reverse("children:record_pdf", kwargs={"child_pk": child.pk})


def download_url(export) -> str:
    return reverse(
        "children:export_download", kwargs={"child_pk": export.child_id, "export_pk": export.pk}
    )


def test_asking_for_the_pdf_shows_its_page_and_logs_nothing_until_the_download(owner_client, world):
    before = AccessLog.objects.filter(action=AccessLog.Action.EXPORT).count()
    response = owner_client.get(record_url(world.child))
    export = PdfExport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "children:export", kwargs={"child_pk": world.child.pk, "export_pk": export.pk}
    )
    page = owner_client.get(response["Location"])
    assert "Your PDF is ready" in page.content.decode()
    assert "Jamie" not in page.content.decode()  # the page names the record by reference only
    assert AccessLog.objects.filter(action=AccessLog.Action.EXPORT).count() == before

    pdf = owner_client.get(download_url(export))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    assert AccessLog.objects.filter(action=AccessLog.Action.EXPORT).count() == before + 1


def test_the_pdf_is_kept_only_until_it_is_downloaded(owner_client, world):
    owner_client.get(record_url(world.child))
    export = PdfExport.objects.get()
    assert owner_client.get(download_url(export)).status_code == 200
    assert not PdfExport.objects.exists()  # deleted with the download
    assert owner_client.get(download_url(export)).status_code == 404


def test_a_pdf_never_downloaded_is_deleted_after_the_keeping_time(owner_client, world):
    owner_client.get(record_url(world.child))
    PdfExport.objects.update(requested_at=timezone.now() - timedelta(hours=1))
    owner_client.get(record_url(world.child))  # any request prunes the expired ones
    assert PdfExport.objects.count() == 1
    assert PdfExport.objects.get().requested_at > timezone.now() - timedelta(minutes=1)


@pytest.mark.guidance("G36")
def test_only_the_officer_who_asked_may_see_or_download_the_pdf(owner_client, world, client):
    owner_client.get(record_url(world.child))
    export = PdfExport.objects.get()
    page_url = reverse(
        "children:export", kwargs={"child_pk": world.child.pk, "export_pk": export.pk}
    )
    colleague = sign_in(Client(), OfficerFactory(agency=world.school))  # same agency
    involved = sign_in(Client(), world.involved)  # another involved agency
    for other in (colleague, involved, sign_in(client, world.uninvolved)):
        assert other.get(page_url).status_code == 404
        assert other.get(download_url(export)).status_code == 404
    assert PdfExport.objects.filter(status=PdfExport.Status.READY).count() == 1


@pytest.mark.guidance("G36")
def test_an_officer_whose_access_ended_cannot_download_what_they_asked_for(involved_client, world):
    involved_client.get(record_url(world.child))
    export = PdfExport.objects.get()
    involvement = world.child.involvements.get(agency=world.police, ended_at__isnull=True)
    services.involvement_end(involvement=involvement, by=world.owner, reason="Case closed.")
    assert involved_client.get(download_url(export)).status_code == 404
    assert not AccessLog.objects.filter(action=AccessLog.Action.EXPORT).exists()


@pytest.mark.django_db(transaction=True)
@override_settings(CSE_PDF_TASK_BACKEND="database")
def test_through_the_database_queue_the_page_waits_and_the_worker_makes_the_pdf(world):
    client = sign_in(Client(), world.owner)
    page_url = client.get(record_url(world.child))["Location"]

    waiting = client.get(page_url).content.decode()
    assert "Your PDF is being prepared" in waiting
    assert '<meta http-equiv="refresh" content="2">' in waiting
    assert PdfExport.objects.get().pdf is None

    call_command("db_worker", "--batch", "--no-startup-delay", "--backend", "database")

    ready = client.get(page_url).content.decode()
    assert "Your PDF is ready" in ready and "http-equiv" not in ready
    link = re.search(r'href="([^"]*/download/)"', ready)
    assert link is not None
    text = pdf_text(client.get(link.group(1)).content)
    assert "Jamie Testchild" in text and world.child.reference in text


def _waiting_page(client, world, waited: timedelta) -> str:
    export = PdfExport.objects.create(
        kind="child_record",
        child=world.child,
        requested_by=world.owner,
        title="The child's record",
        requested_at=timezone.now() - waited,
        object_id=str(world.child.pk),
    )
    url = reverse("children:export", kwargs={"child_pk": world.child.pk, "export_pk": export.pk})
    return client.get(url).content.decode()


@pytest.mark.parametrize(
    ("waited", "every"),
    [
        (timedelta(seconds=3), 2),
        (timedelta(seconds=30), 5),
        (timedelta(minutes=3), 15),
    ],
)
def test_the_waiting_page_refreshes_less_often_the_longer_the_pdf_waits(
    owner_client, world, waited, every
):
    page = _waiting_page(owner_client, world, waited)
    assert f'<meta http-equiv="refresh" content="{every}">' in page
    assert f"This page refreshes by itself every {every} seconds" in page


def test_a_pdf_waiting_long_says_so_and_that_asking_again_comes_back_to_it(owner_client, world):
    soon = _waiting_page(owner_client, world, timedelta(seconds=30))
    assert "taking longer than usual" not in soon
    PdfExport.objects.all().delete()
    asked_at = timezone.localtime(timezone.now() - timedelta(minutes=3))
    late = _waiting_page(owner_client, world, timedelta(minutes=3))
    assert "This is taking longer than usual" in late
    assert f"asked for at {asked_at:%H:%M}" in late
    # Asking again (the record's PDF link) brings the officer back to the same waiting PDF.
    export = PdfExport.objects.get()
    again = owner_client.get(record_url(world.child))
    assert again["Location"].endswith(f"/{export.pk}/")
