"""PDF exports of a child's record for the child's file. Every export is logged (G37).

The record PDF is the child's whole file: the record's details and the agencies involved,
then a chronology of every event in date order, then each app's section (screenings,
referrals, strategy meetings, …) as the app registers it with `cse_portal.sections`. The
core names no app: it renders what is registered. Each app reads through its own door, so
the file holds only what the requesting officer may see; and it holds final records only
(a draft, even of the officer's own agency, is not part of the child's file).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.views.decorators.http import require_http_methods

from cse_portal import sections, selectors
from cse_portal.access import get_child_for
from cse_portal.models import Child, Involvement, Officer, PdfExport
from cse_portal.pdf import render_pdf
from cse_portal.pdf_exports import BuiltPdf, register, request_export
from cse_portal.sections import ChronologyEntry
from cse_portal.types import AuthenticatedRequest


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    """A PDF download that no browser or proxy keeps. `filename` must never hold a name."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _involvement_entries(involvement: Involvement) -> list[ChronologyEntry]:
    entries = [
        ChronologyEntry(
            at=involvement.granted_at,
            kind="Record",
            event=f"{involvement.agency} involved: {involvement.get_reason_display().lower()}",
            summary=involvement.note,
            by=str(involvement.granted_by),
            agency=str(involvement.granted_by.agency or ""),
        )
    ]
    if involvement.ended_at is not None:
        entries.append(
            ChronologyEntry(
                at=involvement.ended_at,
                kind="Record",
                event=f"{involvement.agency}'s involvement ended",
                summary=involvement.end_reason,
                by=str(involvement.ended_by or ""),
            )
        )
    return entries


def core_chronology(child: Child, involvements: list[Involvement]) -> list[ChronologyEntry]:
    """The core's own events: the record made, and each agency's involvement begun and ended."""
    created = ChronologyEntry(
        at=child.created_at,
        kind="Record",
        event="Child's record created",
        by=str(child.created_by),
        agency=str(child.owning_agency),
    )
    return [created, *(e for i in involvements for e in _involvement_entries(i))]


def whole_file_context(child: Child, officer: Officer) -> dict[str, Any]:
    """What the whole-file PDF shows: the involvements, the apps' sections and the chronology
    of the core's and every app's events, oldest first."""
    involvements = list(
        selectors.involvements_of(child).select_related(
            "agency__local_authority", "granted_by__agency", "ended_by"
        )
    )
    chronology = sorted(
        [*core_chronology(child, involvements), *sections.registry.chronology(child, officer)],
        key=lambda entry: entry.moment,
    )
    return {
        "child": child,
        "involvements": involvements,
        "chronology": chronology,
        "sections": sections.registry.render_pdf_list(child, officer),
    }


def build_record_pdf(export: PdfExport, officer: Officer) -> BuiltPdf:
    """The child's whole file as `officer` may see it (run by the PDF task)."""
    child = get_child_for(officer, export.child_id, "view")
    context = {**whole_file_context(child, officer), "generated_by": officer}
    return BuiltPdf(
        pdf=render_pdf("children/pdf/record.html", context),
        filename=f"{child.reference}-record.pdf",
        object_type="child record (PDF)",
    )


register("child_record", build_record_pdf)


@login_required
@require_http_methods(["GET"])
def child_record_pdf(request: AuthenticatedRequest, child_pk: str) -> HttpResponse:
    """Ask for the whole file as a PDF: made in the background, downloaded (and logged) from
    its page (cse_portal.pdf_exports)."""
    child = get_child_for(request.user, child_pk, "view")
    return request_export(
        request,
        kind="child_record",
        child_pk=child.pk,
        object_id=child.pk,
        title="The child's record",
    )
