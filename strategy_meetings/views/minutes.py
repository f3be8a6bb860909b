"""Pages of the minutes: attendance, the task list of sections, one page per section, and
the outcome. The chair and the named minute-taker write them (`can_write_minutes`); every
involved agency reads them. A stale save keeps the writer's text on the page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cse_portal import language
from cse_portal.lifecycle import conflict_message
from cse_portal.types import AuthenticatedRequest
from strategy_meetings import selectors, services
from strategy_meetings.beside_minutes import beside_minutes
from strategy_meetings.forms import OUTCOME_TEXT_FIELDS, AttendanceForm, OutcomeForm, SectionForm
from strategy_meetings.models import Meeting, MinutesSection
from strategy_meetings.views.common import final_notice, form_page, log_change, log_view, save_form

STALE_SECTION = conflict_message(
    "section",
    opening="Someone else saved this section of the minutes while you were writing it.",
)


def _writable(request: AuthenticatedRequest, child_pk: str, pk: int) -> Meeting | HttpResponse:
    """The draft meeting the officer writes the minutes of (404 / 403 otherwise); a final
    meeting's page instead, with a notice."""
    meeting = selectors.get_minutes_meeting_for(request.user, pk, child_pk=child_pk)
    if not meeting.is_draft:
        return final_notice(request, meeting)
    selectors.require(selectors.can_write_minutes(request.user, meeting))
    return meeting


@login_required
@require_http_methods(["GET", "POST"])
def meeting_attendance(request: AuthenticatedRequest, child_pk: str, pk: int) -> HttpResponse:
    meeting = _writable(request, child_pk, pk)
    if isinstance(meeting, HttpResponse):
        return meeting
    invitations = selectors.meeting_contents(meeting).open_invitations
    form = AttendanceForm(request.POST or None, meeting=meeting, invitations=invitations)
    if request.method == "POST":
        try:
            saved = save_form(
                form,
                check=lambda: services.attendance_problems(meeting, form.answers(), form.family()),
                save=lambda: services.meeting_record_attendance(
                    meeting=meeting, by=request.user, answers=form.answers(), family=form.family()
                ),
            )
        except services.ConcurrentEditError:
            form.add_error(
                None,
                conflict_message(
                    "attendance",
                    opening="Someone else saved the attendance while you were recording it.",
                ),
            )
        else:
            if saved is not None:
                log_change(request, meeting, "attendance")
                messages.success(request, "The attendance has been saved.")
                return redirect(
                    "strategy_meetings:minutes", child_pk=meeting.child_id, pk=meeting.pk
                )
    else:
        log_view(request, meeting, "attendance")
    return form_page(request, meeting, form, title="Attendance")


@login_required
@require_http_methods(["GET"])
def meeting_minutes(request: AuthenticatedRequest, child_pk: str, pk: int) -> HttpResponse:
    """The minutes as a task list: attendance, each section, the outcome, then finalising;
    beside them, what the officer may see of the child."""
    officer = request.user
    meeting = selectors.get_minutes_meeting_for(officer, pk, child_pk=child_pk)
    log_view(request, meeting, "minutes")
    contents = selectors.task_list_of(meeting)
    return render(
        request,
        "strategy_meetings/minutes.html",
        {
            "meeting": meeting,
            "child": meeting.child,
            "contents": contents,
            "can_write": selectors.can_write_minutes(officer, meeting),
            "can_finalise": selectors.can_finalise(officer, meeting),
            "attendance_done": all(i.attendance for i in contents.open_invitations),
            "child_context": beside_minutes(meeting, officer),
            "language_flags": language.pop_flags(request),
        },
    )


def _section_of(meeting: Meeting, key: str) -> tuple[MinutesSection, MinutesSection | None]:
    """The section `key` of the meeting (else 404), and the one after it."""
    sections = list(selectors.sections_of(meeting))
    keys = [s.key for s in sections]
    if key not in keys:
        raise Http404("No such section.")
    index = keys.index(key)
    return sections[index], sections[index + 1] if index + 1 < len(sections) else None


@login_required
@require_http_methods(["GET", "POST"])
def meeting_section(
    request: AuthenticatedRequest, child_pk: str, pk: int, key: str
) -> HttpResponse:
    meeting = _writable(request, child_pk, pk)
    if isinstance(meeting, HttpResponse):
        return meeting
    section, following = _section_of(meeting, key)
    form = SectionForm(request.POST or None, section=section)
    if request.method == "POST":
        try:
            saved = save_form(
                form,
                save=lambda: services.section_save(
                    section=section,
                    by=request.user,
                    text_=form.cleaned_data.get("text") or "",
                    expected_version=form.cleaned_data.get("version") or 0,
                ),
            )
        except services.ConcurrentEditError:
            form.add_error(None, STALE_SECTION)
            section.refresh_from_db()  # the latest text is shown beside the writer's
        else:
            if saved is not None:
                language.stash_flags(
                    request, language.flags_for_fields(form.cleaned_data, {"text": section.title})
                )
                log_change(request, meeting, f"minutes: {section.key}")
                if following is not None:
                    return redirect(
                        "strategy_meetings:section",
                        child_pk=meeting.child_id,
                        pk=meeting.pk,
                        key=following.key,
                    )
                return redirect(
                    "strategy_meetings:minutes", child_pk=meeting.child_id, pk=meeting.pk
                )
    else:
        log_view(request, meeting, f"minutes: {section.key}")
    return form_page(
        request,
        meeting,
        form,
        title=section.title,
        template="strategy_meetings/section.html",
        section=section,
        stale=bool(form.non_field_errors()),
        child_context=beside_minutes(meeting, request.user),
        language_flags=language.pop_flags(request),
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_outcome(request: AuthenticatedRequest, child_pk: str, pk: int) -> HttpResponse:
    meeting = _writable(request, child_pk, pk)
    if isinstance(meeting, HttpResponse):
        return meeting
    form = OutcomeForm(request.POST or None, meeting=meeting)
    if request.method == "POST":
        try:
            saved = save_form(
                form,
                check=lambda: services.outcome_problems(form.answers()),
                save=lambda: services.meeting_record_outcome(
                    meeting=meeting,
                    by=request.user,
                    answers=form.answers(),
                    expected_version=form.cleaned_data.get("version") or 0,
                ),
            )
        except services.ConcurrentEditError:
            form.add_error(
                None,
                conflict_message(
                    "outcome",
                    opening="Someone else saved the "
                    "outcome or the meeting while you were writing it.",
                ),
            )
        else:
            if saved is not None:
                language.stash_flags(
                    request, language.flags_for_fields(form.cleaned_data, OUTCOME_TEXT_FIELDS)
                )
                log_change(request, meeting, "outcome")
                messages.success(request, "The outcome has been saved.")
                return redirect(
                    "strategy_meetings:minutes", child_pk=meeting.child_id, pk=meeting.pk
                )
    else:
        log_view(request, meeting, "outcome")
    return form_page(request, meeting, form, title="Outcome, and the parents and carers")
