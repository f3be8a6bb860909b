"""Pages of inviting an agency and a person (step one the agency, step two the person),
removing an invitation, and declining one's own."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from cse_portal import language
from cse_portal.models import Agency
from cse_portal.types import AuthenticatedRequest
from strategy_meetings import selectors, services
from strategy_meetings.forms import ChooseAgencyForm, DeclineForm, InviteForm, RemoveForm
from strategy_meetings.models import Invitation, Meeting
from strategy_meetings.views.common import final_notice, form_page, log_change, log_view, save_form


def _chosen_agency(query: dict[str, str]) -> Agency | None:
    value = query.get("agency", "")
    if not value.isdigit():
        return None
    return selectors.invitable_agencies().filter(pk=value).first()


@login_required
@require_http_methods(["GET", "POST"])
def meeting_invite(request: AuthenticatedRequest, child_pk: str, pk: int) -> HttpResponse:
    meeting = selectors.get_meeting_for(request.user, pk, child_pk=child_pk)
    if not meeting.is_draft:
        return final_notice(request, meeting)
    selectors.require(selectors.can_manage_invitations(request.user, meeting))
    agency = _chosen_agency(request.GET.dict())
    if agency is None:
        chooser = ChooseAgencyForm(request.GET if "agency" in request.GET else None)
        if chooser.is_bound and chooser.is_valid():
            chooser.add_error("agency", "Select the agency to invite")
        log_view(request, meeting, "invite")
        return form_page(request, meeting, chooser, title="Invite to the meeting", method="get")
    form = InviteForm(request.POST or None, agency=agency, meeting=meeting)
    if request.method == "POST":
        invitation = save_form(
            form,
            check=lambda: services.invitation_problems(meeting, form.invitee()),
            save=lambda: services.meeting_invite(
                meeting=meeting,
                by=request.user,
                invitee=form.invitee(),
                creation_key=form.cleaned_data.get("creation_key"),
            ),
        )
        if invitation is not None:
            return _invited(request, meeting, invitation)
    else:
        log_view(request, meeting, "invite")
    return form_page(request, meeting, form, title=f"Invite someone from {agency}", agency=agency)


def _invited(
    request: AuthenticatedRequest, meeting: Meeting, invitation: Invitation
) -> HttpResponse:
    log_change(request, meeting, "invitation")
    messages.success(
        request,
        f"{invitation.person_display} ({invitation.agency}) has been invited. "
        f"{invitation.agency} can now see the child's record.",
    )
    return redirect(meeting)


def _invitation_of(meeting: Meeting, invitation_pk: int) -> Invitation:
    invitation = (
        meeting.invitations.select_related("agency", "officer", "involvement", "meeting")
        .filter(pk=invitation_pk)
        .first()
    )
    if invitation is None:
        raise Http404("No such invitation.")
    return invitation


@login_required
@require_http_methods(["GET", "POST"])
def invitation_remove(
    request: AuthenticatedRequest, child_pk: str, pk: int, invitation_pk: int
) -> HttpResponse:
    meeting = selectors.get_meeting_for(request.user, pk, child_pk=child_pk)
    invitation = _invitation_of(meeting, invitation_pk)
    if not meeting.is_draft:
        return final_notice(request, meeting)
    selectors.require(selectors.can_manage_invitations(request.user, meeting))
    if not invitation.is_open:
        messages.info(request, "This invitation has already ended.")
        return redirect(meeting)
    form = RemoveForm(request.POST or None)
    if request.method == "POST":
        reason = (form.cleaned_data.get("reason") or "") if form.is_valid() else ""
        removed = save_form(
            form,
            check=lambda: services.removal_problems(meeting, invitation, reason),
            save=lambda: services.invitation_remove(
                invitation=invitation, by=request.user, reason=reason
            ),
        )
        if removed is not None:
            language.stash_flags(request, language.flags_for_form(form, ["reason"]))
            log_change(request, meeting, "invitation removed")
            messages.success(request, f"{invitation.person_display} is no longer invited.")
            return redirect(meeting)
    else:
        log_view(request, meeting, "remove invitation")
    return form_page(
        request,
        meeting,
        form,
        title=f"Remove {invitation.person_display} from the meeting",
        invitation=invitation,
    )


@login_required
@require_http_methods(["GET", "POST"])
def invitation_decline(
    request: AuthenticatedRequest, child_pk: str, pk: int, invitation_pk: int
) -> HttpResponse:
    meeting = selectors.get_meeting_for(request.user, pk, child_pk=child_pk)
    invitation = _invitation_of(meeting, invitation_pk)
    if not meeting.is_draft:
        return final_notice(request, meeting)
    selectors.require(selectors.can_decline(request.user, invitation))
    form = DeclineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.invitation_decline(
            invitation=invitation, by=request.user, reason=form.cleaned_data.get("reason") or ""
        )
        language.stash_flags(request, language.flags_for_form(form, ["reason"]))
        log_change(request, meeting, "invitation declined")
        messages.success(request, "You have declined the invitation. The chair has been told.")
        return redirect("strategy_meetings:mine")
    if request.method == "GET":
        log_view(request, meeting, "decline invitation")
    return form_page(request, meeting, form, title="Decline the invitation", invitation=invitation)
