"""The themes across a lead officer's cases (G35, G39), and the monitoring export.

The page shows exact figures to the lead officer (their own agency's cases), or, with
`?shared=1`, the figures as they leave the agency: small numbers suppressed, as in the
monitoring export. The export — CSV and the same figures as a PDF, for MACSE and the
data-monitoring return [002 §6] — always suppresses, holds counts only (no name, no
reference) and is logged. Periods come as GOV.UK date inputs (GET: dates only)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from cse_portal.audit import log_access
from cse_portal.caseload_forms import PeriodForm
from cse_portal.caseload_views import require_lead_officer
from cse_portal.exports import pdf_response
from cse_portal.models import AccessLog
from cse_portal.pdf import render_pdf
from cse_portal.scope import scope_for
from cse_portal.themes import Period
from cse_portal.themes_export import csv_response, export_rows
from cse_portal.themes_figures import themes_for
from cse_portal.types import AuthenticatedRequest


def _period(request: AuthenticatedRequest) -> tuple[PeriodForm, Period]:
    default = Period.last_twelve_months(timezone.localdate())
    if not any(key.startswith(("start", "end")) for key in request.GET):
        initial = {"start": default.start, "end": default.end}
        return PeriodForm(initial=initial), default
    form = PeriodForm(request.GET)
    if form.is_valid():
        return form, Period(form.cleaned_data["start"], form.cleaned_data["end"])
    return form, default


def _context(request: AuthenticatedRequest, *, suppressed: bool) -> dict[str, Any]:
    officer = request.user
    require_lead_officer(officer)
    form, period = _period(request)
    scope = scope_for(officer)
    shown, as_of = themes_for(officer, scope, period, suppressed=suppressed)
    return {
        "form": form,
        "period": period,
        "scope": scope,
        "suppressed": suppressed,
        "themes": shown,
        "figures_as_of": as_of,
        **_queries(request),
    }


def _queries(request: AuthenticatedRequest) -> dict[str, str]:
    """The period's GET parameters (dates only), without and with the "as shared" switch."""
    query = request.GET.copy()
    query.pop("shared", None)
    shared = query.copy()
    shared["shared"] = "1"
    return {"query": query.urlencode(), "shared_query": shared.urlencode()}


def _detail(context: dict[str, Any]) -> str:
    period = context["period"]
    return f"{period.start:%Y-%m-%d} to {period.end:%Y-%m-%d}"


@login_required
@require_http_methods(["GET"])
def themes_page(request: AuthenticatedRequest) -> HttpResponse:
    context = _context(request, suppressed=request.GET.get("shared") == "1")
    # The page's "Figures as of" line: when these figures were current (the summary's time).
    request.figures_as_of = context["figures_as_of"]  # type: ignore[attr-defined]
    log_access(request, AccessLog.Action.LIST, object_type="themes", detail=_detail(context))
    return render(request, "caseload/themes.html", context)


def _filename(context: dict[str, Any], extension: str) -> str:
    period = context["period"]
    return f"cse-monitoring-{period.start:%Y%m%d}-{period.end:%Y%m%d}.{extension}"


@login_required
@require_http_methods(["GET"])
def themes_export_csv(request: AuthenticatedRequest) -> HttpResponse:
    context = _context(request, suppressed=True)
    response = csv_response(export_rows(context), _filename(context, "csv"))
    log_access(
        request, AccessLog.Action.EXPORT, object_type="themes export (CSV)", detail=_detail(context)
    )
    return response


@login_required
@require_http_methods(["GET"])
def themes_export_pdf(request: AuthenticatedRequest) -> HttpResponse:
    context = _context(request, suppressed=True)
    pdf = render_pdf("caseload/pdf/themes.html", context, request=request)
    log_access(
        request, AccessLog.Action.EXPORT, object_type="themes export (PDF)", detail=_detail(context)
    )
    return pdf_response(pdf, _filename(context, "pdf"))
