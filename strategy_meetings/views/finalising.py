"""Pages of finalising the minutes (the chair) and adding an addendum to final minutes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from cse_portal import language
from cse_portal.lifecycle import conflict_message
from cse_portal.types import AuthenticatedRequest
from strategy_meetings import selectors, services
from strategy_meetings.forms import AddendumForm, FinaliseForm
from strategy_meetings.views.common import final_notice, form_page, log_change, log_view, save_form


@login_required
@require_http_methods(["GET", "POST"])
def meeting_finalise(request: AuthenticatedRequest, child_pk: str, pk: int) -> HttpResponse:
    meeting = selectors.get_meeting_for(request.user, pk, child_pk=child_pk)
    if not meeting.is_draft:
        return final_notice(request, meeting)
    selectors.require(selectors.can_finalise(request.user, meeting))
    form = FinaliseForm(request.POST or None, initial={"version": meeting.version})
    problems = services.finalise_problems(meeting)
    if request.method == "POST":
        try:
            done = save_form(
                form,
                save=lambda: services.meeting_finalise(
                    meeting=meeting,
                    by=request.user,
                    expected_version=form.cleaned_data.get("version") or 0,
                ),
            )
        except services.ConcurrentEditError:
            form.add_error(
                None,
                conflict_message(
                    "meeting", opening="Someone else saved the meeting since you opened this page."
                ),
            )
        else:
            if done is not None:
                log_change(request, meeting, "finalised")
                messages.success(request, "The minutes are final. Corrections are now addenda.")
                return redirect(meeting)
    else:
        log_view(request, meeting, "finalise")
    return form_page(
        request,
        meeting,
        form,
        title="Finalise the minutes",
        template="strategy_meetings/finalise.html",
        problems=problems,
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_addendum(request: AuthenticatedRequest, child_pk: str, pk: int) -> HttpResponse:
    meeting = selectors.get_meeting_for(request.user, pk, child_pk=child_pk)
    if meeting.is_draft:
        messages.info(request, "The minutes are not final yet: change them instead.")
        return redirect(meeting)
    selectors.require(selectors.can_add_addendum(request.user, meeting))
    sections = list(selectors.sections_of(meeting))
    form = AddendumForm(
        request.POST or None, sections=sections, initial={"place": request.GET.get("place", "")}
    )
    if request.method == "POST":
        form.is_valid()  # what converted, for the service's rules (save_form shows the rest)
        data = getattr(form, "cleaned_data", {})
        place, text = data.get("place") or "", data.get("text") or ""
        added = save_form(
            form,
            check=lambda: services.addendum_problems(place=place, text_=text),
            save=lambda: services.meeting_add_addendum(
                meeting=meeting,
                by=request.user,
                place=place,
                text_=text,
                creation_key=data.get("creation_key"),
            ),
        )
        if added is not None:
            language.stash_flags(request, language.flags_for_form(form, ["text"]))
            log_change(request, meeting, "addendum")
            messages.success(request, "The addendum has been added to the minutes.")
            return redirect(meeting)
    else:
        log_view(request, meeting, "addendum")
    return form_page(request, meeting, form, title="Add an addendum to the minutes")
