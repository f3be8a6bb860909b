"""PDFs for the child's file made in the background, so a long file never holds a web worker.

Request → task → a page that says the PDF is being prepared and refreshes itself → download.

1. The export view checks access through the door first (404 for an uninvolved officer, as
   before), then calls `request_export`, which stores a PdfExport row and enqueues
   `build_export` (django.tasks; the database queue and `manage.py db_worker` in production,
   at once in-process in tests) and redirects to the export's page.
2. The task checks access again as the requesting officer (a share may have ended since),
   renders the PDF with WeasyPrint through the registered builder and stores it in the row.
3. The download checks the officer and the door once more, logs the export (G37) and deletes
   the row: the PDF is kept only until it is fetched, or CSE_PDF_EXPORT_KEEP_SECONDS.

Apps register a builder per kind of PDF with `register`; the core names no app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.tasks import task
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from cse_portal.access import get_child_for
from cse_portal.audit import log_access
from cse_portal.models import AccessLog, Officer, PdfExport
from cse_portal.types import AuthenticatedRequest


@dataclass(frozen=True)
class BuiltPdf:
    pdf: bytes
    filename: str  # never a child's name
    object_type: str  # for the access log, e.g. "child record (PDF)"
    detail: str = ""


# A builder renders the PDF as `officer` sees it; it fetches through the door, so it raises
# Http404 (or PermissionDenied) when the officer may no longer see it.
Builder = Callable[[PdfExport, Officer], BuiltPdf]
_builders: dict[str, Builder] = {}


def register(kind: str, builder: Builder) -> None:
    _builders[kind] = builder


def _prune_expired() -> None:
    keep = timedelta(seconds=settings.CSE_PDF_EXPORT_KEEP_SECONDS)
    PdfExport.objects.filter(requested_at__lt=timezone.now() - keep).delete()


def request_export(
    request: AuthenticatedRequest, *, kind: str, child_pk: UUID, object_id: object, title: str
) -> HttpResponse:
    """Queue the PDF (or reuse the officer's own one still waiting) and show its page."""
    if kind not in _builders:
        raise LookupError(f"No PDF builder is registered for {kind!r}")
    _prune_expired()
    export = PdfExport.objects.filter(
        kind=kind,
        child_id=child_pk,
        object_id=str(object_id),
        requested_by=request.user,
        status=PdfExport.Status.PREPARING,
    ).first()
    if export is None:
        export = PdfExport.objects.create(
            kind=kind,
            child_id=child_pk,
            object_id=str(object_id),
            requested_by=request.user,
            title=title,
        )
        # The database queue writes the task's row on this connection: the worker finds both
        # rows, or (if this request's transaction failed) neither.
        build_export.using(backend=settings.CSE_PDF_TASK_BACKEND).enqueue(str(export.pk))
    return redirect("children:export", child_pk=child_pk, export_pk=export.pk)


@task()
def build_export(export_id: str) -> str:
    """Render one queued PDF as the officer who asked for it; returns its status."""
    export = PdfExport.objects.select_related("requested_by", "child").filter(pk=export_id).first()
    if export is None or export.status != PdfExport.Status.PREPARING:
        return "gone"
    officer = export.requested_by
    try:
        built = _builders[export.kind](export, officer)
    except Exception:
        PdfExport.objects.filter(pk=export.pk).update(status=PdfExport.Status.FAILED)
        raise
    PdfExport.objects.filter(pk=export.pk, status=PdfExport.Status.PREPARING).update(
        status=PdfExport.Status.READY,
        pdf=built.pdf,
        filename=built.filename,
        object_type=built.object_type,
        detail=built.detail,
        ready_at=timezone.now(),
    )
    return PdfExport.Status.READY


def _own_export(request: AuthenticatedRequest, child_pk: str, export_pk: str) -> PdfExport:
    """The officer's own export of a child they may still see; 404 for anyone else."""
    child = get_child_for(request.user, child_pk, "view")
    return get_object_or_404(
        PdfExport.objects.defer("pdf"), pk=export_pk, child=child, requested_by=request.user
    )


# How often the waiting page refreshes itself, by how long the PDF has been waiting: soon at
# first (most files take seconds), less often for a long file or a busy worker, so that
# officers waiting on a queue do not become most of the web servers' requests.
REFRESH_AFTER: tuple[tuple[timedelta, int], ...] = (
    (timedelta(seconds=10), 2),
    (timedelta(minutes=1), 5),
)
REFRESH_AT_LEAST_EVERY = 15  # seconds, once a PDF has waited a minute
TAKING_LONG = timedelta(minutes=2)


def refresh_seconds(waited: timedelta) -> int:
    """Seconds until the waiting page refreshes itself, for a PDF that has waited `waited`."""
    for below, seconds in REFRESH_AFTER:
        if waited < below:
            return seconds
    return REFRESH_AT_LEAST_EVERY


@login_required
@require_http_methods(["GET"])
def export_status(request: AuthenticatedRequest, child_pk: str, export_pk: str) -> HttpResponse:
    export = _own_export(request, child_pk, export_pk)
    waited = timezone.now() - export.requested_at
    context = {
        "export": export,
        "child": export.child,
        "keep_minutes": settings.CSE_PDF_EXPORT_KEEP_SECONDS // 60,
        "refresh_seconds": refresh_seconds(waited),
        "taking_long": waited >= TAKING_LONG,
    }
    return render(request, "children/export_status.html", context)


@login_required
@require_http_methods(["GET"])
def export_download(request: AuthenticatedRequest, child_pk: str, export_pk: str) -> HttpResponse:
    from cse_portal.exports import pdf_response  # exports registers its builder with us

    export = _own_export(request, child_pk, export_pk)
    with transaction.atomic():
        # Locked and deleted in one go: two clicks cannot both download (and log) it.
        row = (
            PdfExport.objects.select_for_update()
            .filter(pk=export.pk, status=PdfExport.Status.READY)
            .first()
        )
        if row is None or row.pdf is None:
            raise Http404("No such PDF is ready")
        pdf = bytes(row.pdf)
        log_access(
            request,
            AccessLog.Action.EXPORT,
            child=export.child,
            object_type=row.object_type,
            object_id=row.object_id,
            detail=row.detail,
        )
        row.delete()
    return pdf_response(pdf, row.filename)
