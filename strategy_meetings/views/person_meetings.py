"""Pages of a separate meeting about a person of concern [002 §7–8]: convening it (CSC, from
the panel beside a child's minutes), its page, inviting, linking a child's meeting, the
minutes about the person, the note about one child, actions, finalising.

The door is `person_meeting_selectors.get_person_meeting_for` (404 to anyone not of the
convening agency, not the chair and not of an invited agency). A linked child appears only to
an officer who may see that child; every view is logged, and each linked child shown is
logged against that child's record.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cse_portal import language
from cse_portal.audit import log_access
from cse_portal.lifecycle import ConcurrentEditError, conflict_message
from cse_portal.models import AccessLog
from cse_portal.types import AuthenticatedRequest
from referrals.selectors_persons import persons_visible_to
from strategy_meetings import person_meeting_selectors as selectors
from strategy_meetings.forms.person_meetings import (
    ACTION_TEXT_FIELDS,
    MINUTES_LABEL,
    NOTE_LABEL,
    PersonMeetingActionForm,
    PersonMeetingConveneForm,
    PersonMeetingFinaliseForm,
    PersonMeetingInviteForm,
    PersonMeetingLinkForm,
    PersonMeetingMinutesForm,
    PersonMeetingNoteForm,
)
from strategy_meetings.models import PersonMeeting
from strategy_meetings.selectors import require
from strategy_meetings.services import person_meetings as services
from strategy_meetings.views.common import save_form

LOG_TYPE = "separate meeting about a person"


def _log(request: AuthenticatedRequest, meeting: PersonMeeting, what: str = "", **kw: Any) -> None:
    action = kw.pop("action", AccessLog.Action.VIEW)
    object_type = f"{LOG_TYPE} ({what})" if what else LOG_TYPE
    log_access(request, action, object_type=object_type, object_id=meeting.pk, **kw)


def _posted(request: AuthenticatedRequest) -> Any:
    """The POST data of a POST (even an empty one: the form is then bound, and says what is
    missing); None for a GET."""
    return request.POST if request.method == "POST" else None


def _draft(request: AuthenticatedRequest, pk: int, *, write: bool) -> PersonMeeting:
    meeting = selectors.get_person_meeting_for(request.user, pk)
    allowed = selectors.can_write if write else selectors.can_manage
    require(allowed(request.user, meeting))
    return meeting


def _page(request: AuthenticatedRequest, meeting: PersonMeeting, form: Any, title: str) -> Any:
    return render(
        request,
        "strategy_meetings/person_meeting_form.html",
        {"meeting": meeting, "form": form, "title": title},
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_meeting_convene(request: AuthenticatedRequest, person_pk: int) -> HttpResponse:
    officer = request.user
    # A person the officer may not see (linked to no child their agency may see, or only by
    # another agency's draft) does not exist for them.
    person = persons_visible_to(officer).filter(pk=person_pk).first()
    if person is None or not selectors.can_convene_about(officer, person):
        raise Http404("No such person.")
    assert officer.agency is not None
    form = PersonMeetingConveneForm(_posted(request), agency=officer.agency)
    if request.method == "POST":
        meeting = save_form(
            form,
            check=lambda: services.convene_problems(form.details()),
            save=lambda: services.person_meeting_convene(
                person=person,
                by=officer,
                details=form.details(),
                creation_key=form.cleaned_data.get("creation_key"),
            ),
        )
        if meeting is not None:
            _log(request, meeting, "convened", action=AccessLog.Action.CHANGE)
            messages.success(request, "The separate meeting has been convened.")
            return redirect(meeting)
    log_access(
        request, AccessLog.Action.VIEW, object_type=f"{LOG_TYPE} (convene)", object_id=person.pk
    )
    return render(
        request,
        "strategy_meetings/person_meeting_convene.html",
        {"form": form, "person": person, "children": selectors.children_linked_count(person)},
    )


@login_required
@require_http_methods(["GET"])
def person_meeting_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    officer = request.user
    meeting = selectors.get_person_meeting_for(officer, pk)
    contents = selectors.person_meeting_contents(meeting, officer)
    _log(request, meeting)
    for link in contents.visible_links:
        log_access(
            request,
            AccessLog.Action.VIEW,
            child=link.meeting.child,
            object_type=f"{LOG_TYPE} (linked meeting {link.meeting.reference})",
            object_id=meeting.pk,
        )
    return render(
        request,
        "strategy_meetings/person_meeting.html",
        {
            "meeting": meeting,
            "contents": contents,
            "can_manage": selectors.can_manage(officer, meeting),
            "can_write": selectors.can_write(officer, meeting),
            "problems": services.finalise_problems(meeting) if meeting.is_draft else {},
            "language_flags": language.pop_flags(request),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_meeting_invite(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = _draft(request, pk, write=False)
    form = PersonMeetingInviteForm(_posted(request))
    if request.method == "POST":
        data = form.cleaned_data if form.is_valid() else {}
        invited = save_form(
            form,
            check=lambda: {} if data.get("agency") else {"agency": "Select the agency"},
            save=lambda: services.person_meeting_invite(
                meeting=meeting,
                by=request.user,
                agency=data["agency"],
                officer=data.get("officer"),
                person_name=data.get("person_name") or "",
                role=data.get("role") or "",
            ),
        )
        if invited is not None:
            _log(request, meeting, "invited", action=AccessLog.Action.CHANGE)
            messages.success(request, f"{invited.person_display} has been invited.")
            return redirect(meeting)
    else:
        _log(request, meeting, "invite")
    return _page(request, meeting, form, "Invite to the separate meeting")


@login_required
@require_http_methods(["GET", "POST"])
def person_meeting_link(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = _draft(request, pk, write=False)
    form = PersonMeetingLinkForm(
        _posted(request), meetings=selectors.linkable_meetings(meeting, request.user)
    )
    if request.method == "POST":
        linked = save_form(
            form,
            save=lambda: services.person_meeting_link(
                meeting=meeting, by=request.user, child_meeting=form.cleaned_data["meeting"]
            ),
        )
        if linked is not None:
            _log(request, meeting, "linked a meeting", action=AccessLog.Action.CHANGE)
            messages.success(request, f"Meeting {linked.meeting.reference} has been linked.")
            return redirect(meeting)
    else:
        _log(request, meeting, "link")
    if not form.fields["meeting"].queryset.exists():  # type: ignore[attr-defined]
        return render(
            request,
            "strategy_meetings/person_meeting_form.html",
            {
                "meeting": meeting,
                "title": "Link a child's strategy meeting",
                "empty_message": "There is no other strategy meeting of a child linked to this "
                "person that you and the chair may see.",
            },
        )
    return _page(request, meeting, form, "Link a child's strategy meeting")


@login_required
@require_http_methods(["GET", "POST"])
def person_meeting_minutes(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = _draft(request, pk, write=True)
    initial = {"minutes": meeting.minutes, "version": meeting.version}
    form = PersonMeetingMinutesForm(_posted(request), initial=initial)
    if request.method == "POST":
        try:
            saved = save_form(
                form,
                save=lambda: services.person_meeting_save_minutes(
                    meeting=meeting,
                    by=request.user,
                    minutes=form.cleaned_data.get("minutes") or "",
                    expected_version=form.cleaned_data.get("version") or 0,
                ),
            )
        except ConcurrentEditError:
            form.add_error(None, conflict_message("minutes"))
        else:
            if saved is not None:
                flags = language.flags_for_fields(form.cleaned_data, {"minutes": MINUTES_LABEL})
                language.stash_flags(request, flags)
                _log(request, meeting, "minutes", action=AccessLog.Action.CHANGE)
                messages.success(request, "The minutes have been saved.")
                return redirect(meeting)
    else:
        _log(request, meeting, "minutes")
    return _page(request, meeting, form, MINUTES_LABEL)


@login_required
@require_http_methods(["GET", "POST"])
def person_meeting_note(request: AuthenticatedRequest, pk: int, link_pk: int) -> HttpResponse:
    meeting = _draft(request, pk, write=True)
    link = selectors.get_link_for(request.user, meeting, link_pk)
    form = PersonMeetingNoteForm(
        _posted(request), initial={"note": link.note, "version": link.note_version}
    )
    if request.method == "POST":
        try:
            saved = save_form(
                form,
                save=lambda: services.person_meeting_save_note(
                    link=link,
                    by=request.user,
                    note=form.cleaned_data.get("note") or "",
                    expected_version=form.cleaned_data.get("version") or 0,
                ),
            )
        except ConcurrentEditError:
            form.add_error(None, conflict_message("note"))
        else:
            if saved is not None:
                flags = language.flags_for_fields(form.cleaned_data, {"note": NOTE_LABEL})
                language.stash_flags(request, flags)
                log_access(
                    request,
                    AccessLog.Action.CHANGE,
                    child=link.meeting.child,
                    object_type=f"{LOG_TYPE} (note about the child)",
                    object_id=meeting.pk,
                )
                return redirect(meeting)
    log_access(
        request,
        AccessLog.Action.VIEW,
        child=link.meeting.child,
        object_type=f"{LOG_TYPE} (note about the child)",
        object_id=meeting.pk,
    )
    title = f"{NOTE_LABEL}: {link.meeting.child.display_name}"
    return _page(request, meeting, form, title)


@login_required
@require_http_methods(["GET", "POST"])
def person_meeting_action(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = _draft(request, pk, write=True)
    form = PersonMeetingActionForm(_posted(request))
    if request.method == "POST":
        added = save_form(
            form,
            check=lambda: services.action_problems(form.action()),
            save=lambda: services.person_meeting_add_action(
                meeting=meeting,
                by=request.user,
                action=form.action(),
                creation_key=form.cleaned_data.get("creation_key"),
            ),
        )
        if added is not None:
            language.stash_flags(
                request, language.flags_for_fields(form.cleaned_data, ACTION_TEXT_FIELDS)
            )
            _log(request, meeting, "action added", action=AccessLog.Action.CHANGE)
            messages.success(request, "The action has been added.")
            return redirect(meeting)
    else:
        _log(request, meeting, "add an action")
    return _page(request, meeting, form, "Add an action")


@login_required
@require_http_methods(["GET", "POST"])
def person_meeting_finalise(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = _draft(request, pk, write=True)
    form = PersonMeetingFinaliseForm(_posted(request), initial={"version": meeting.version})
    if request.method == "POST":
        try:
            done = save_form(
                form,
                check=lambda: services.finalise_problems(meeting),
                save=lambda: services.person_meeting_finalise(
                    meeting=meeting,
                    by=request.user,
                    expected_version=form.cleaned_data.get("version") or 0,
                ),
            )
        except ConcurrentEditError:
            form.add_error(None, conflict_message("meeting"))
        else:
            if done is not None:
                _log(request, meeting, "finalised", action=AccessLog.Action.CHANGE)
                messages.success(request, "The separate meeting is final.")
                return redirect(meeting)
    else:
        _log(request, meeting, "finalise")
    return _page(request, meeting, form, "Finalise the separate meeting")
