"""The minutes and action plan of a strategy meeting as a PDF for the child's file (G27).

A final meeting's PDF is marked OFFICIAL-SENSITIVE on every page, numbered ("Page 1 of 3"),
names the meeting's reference, who generated it and when, and prints the SHA-256 digest of
the finalised record (stored as the minutes were made final) on every page, so a printed
copy can be checked against the record. The chair and the minute-taker may also download
the draft, marked DRAFT across every page and carrying no digest; it is not for the file.

Rendering goes through `cse_portal.pdf`, whose URL fetcher reads only the static folder:
nothing typed into the minutes can make it fetch a file or a URL. Every export is logged.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.views.decorators.http import require_http_methods

from cse_portal.models import Officer, PdfExport
from cse_portal.pdf import render_pdf
from cse_portal.pdf_exports import BuiltPdf, register, request_export
from cse_portal.types import AuthenticatedRequest
from strategy_meetings.action_selectors import earlier_progress, plan_view
from strategy_meetings.models import ActionUpdate, Meeting
from strategy_meetings.selectors import (
    can_write_minutes,
    get_meeting_for,
    meeting_contents,
    require,
)


def minutes_context(meeting: Meeting) -> dict[str, Any]:
    """What the minutes' body shows (templates/strategy_meetings/pdf/_minutes_body.html):
    a fixed number of queries, whatever the number of sections, attendees or actions."""
    plan = plan_view(meeting)
    by_action: dict[int, list[ActionUpdate]] = {}
    for update in (
        ActionUpdate.objects.filter(action__meeting=meeting)
        .select_related("by", "by_agency")
        .order_by("at", "id")
    ):
        by_action.setdefault(update.action_id, []).append(update)
    for action in plan.actions:
        action.updates_after_final = by_action.get(action.pk, [])  # type: ignore[attr-defined]  # shown by _progress.html
    return {
        "meeting": meeting,
        "contents": meeting_contents(meeting),
        "plan": plan,
        "earlier_actions": earlier_progress(meeting),
    }


def _meeting_for_pdf(officer: Officer, pk: object, child_pk: object) -> Meeting:
    meeting = get_meeting_for(officer, pk, child_pk=child_pk)
    if meeting.is_draft:
        require(can_write_minutes(officer, meeting))  # a draft is the writers' own
    return meeting


def build_minutes_pdf(export: PdfExport, officer: Officer) -> BuiltPdf:
    """The minutes and plan as `officer` may see them (run by the PDF task)."""
    meeting = _meeting_for_pdf(officer, int(export.object_id), export.child_id)
    context = {
        **minutes_context(meeting),
        "child": meeting.child,
        "draft": meeting.is_draft,
        "generated_by": officer,
    }
    digest = context["plan"].digest
    suffix = "-DRAFT" if meeting.is_draft else ""
    return BuiltPdf(
        pdf=render_pdf("strategy_meetings/pdf/minutes.html", context),
        filename=f"{meeting.reference}-minutes{suffix}.pdf",
        object_type="strategy meeting minutes (PDF)",
        detail=f"SHA-256 {digest.sha256}" if digest else "Draft, not final",
    )


register("meeting_minutes", build_minutes_pdf)


@login_required
@require_http_methods(["GET"])
def minutes_pdf(request: AuthenticatedRequest, child_pk: str, pk: int) -> HttpResponse:
    """Ask for the minutes' PDF: made in the background, downloaded (and logged) from its
    page (cse_portal.pdf_exports)."""
    meeting = _meeting_for_pdf(request.user, pk, child_pk)
    title = "The draft minutes" if meeting.is_draft else "The minutes and action plan"
    return request_export(
        request,
        kind="meeting_minutes",
        child_pk=meeting.child_id,
        object_id=meeting.pk,
        title=f"{title} of {meeting.reference}",
    )
