"""PDF exports of a child's record for the child's file. Every export is logged (G37)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.views.decorators.http import require_http_methods

from cse_portal import selectors
from cse_portal.access import get_child_for
from cse_portal.audit import log_access
from cse_portal.models import AccessLog
from cse_portal.pdf import render_pdf
from cse_portal.types import AuthenticatedRequest


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    """A PDF download that no browser or proxy keeps. `filename` must never hold a name."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET"])
def child_record_pdf(request: AuthenticatedRequest, child_pk: str) -> HttpResponse:
    child = get_child_for(request.user, child_pk, "view")
    involvements = selectors.involvements_of(child).select_related("granted_by__agency")
    pdf = render_pdf(
        "children/pdf/record.html",
        {"child": child, "involvements": involvements},
        request=request,
    )
    log_access(
        request,
        AccessLog.Action.EXPORT,
        child=child,
        object_type="child record (PDF)",
        object_id=child.pk,
    )
    return pdf_response(pdf, f"{child.reference}-record.pdf")
