"""Pages of convening a meeting, the meeting's page, changing its details, and "Your
meetings". A meeting is fetched through the door (`strategy_meetings.selectors`): an officer
whose agency is not involved with the child gets 404; an action that is not theirs, 403."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cse_portal import language
from cse_portal.access import get_child_for
from cse_portal.audit import log_access
from cse_portal.lifecycle import conflict_message
from cse_portal.models import AccessLog, Child, Officer
from cse_portal.types import AuthenticatedRequest
from referrals.models import Outcome as ReferralOutcome
from strategy_meetings import selectors, services
from strategy_meetings.forms import (
    CONVENE_TEXT_FIELDS,
    DETAILS_TEXT_FIELDS,
    ConveneForm,
    MeetingDetailsForm,
)
from strategy_meetings.models import Origin
from strategy_meetings.person_meeting_selectors import person_meetings_for
from strategy_meetings.views.common import (
    LOG_PREFIX,
    final_notice,
    form_page,
    log_change,
    log_view,
    save_form,
)


def _source(officer: Officer, child: Child, query: dict[str, str]) -> services.Source:
    """Where the meeting comes from: `?referral=` (a referral whose decision or threshold
    leads to a meeting), `?assessment=` (a finalised assessment judged medium or high) or
    `?review_of=` (an earlier meeting of the child); else directly."""
    if referral_pk := query.get("referral"):
        referral = selectors.referral_for_convening(officer, child, referral_pk)
        if referral is None:
            raise Http404("No referral to convene from.")
        decision = referral.decision_or_none
        by_decision = (
            decision is not None and decision.outcome == ReferralOutcome.INITIAL_ASSESSMENT
        )
        origin = Origin.REFERRAL_DECISION if by_decision else Origin.REFERRAL_THRESHOLD
        return services.Source(origin=origin, referral=referral)
    if assessment_pk := query.get("assessment"):
        assessment = selectors.assessment_for_convening(officer, child, assessment_pk)
        if assessment is None:
            raise Http404("No assessment to convene from.")
        return services.Source(
            origin=Origin.ASSESSMENT, assessment=assessment, referral=assessment.referral
        )
    if review_pk := query.get("review_of"):
        if not review_pk.isdigit():
            raise Http404("No meeting to review.")
        earlier = selectors.get_meeting_for(officer, review_pk, child_pk=child.pk)
        return services.Source(origin=Origin.REVIEW, review_of=earlier, referral=earlier.referral)
    return services.Source()


@login_required
@require_http_methods(["GET", "POST"])
def meeting_convene(request: AuthenticatedRequest, child_pk: str) -> HttpResponse:
    officer = request.user
    child = get_child_for(officer, child_pk, "view")
    selectors.require(selectors.can_convene(officer, child))
    source = _source(officer, child, request.GET.dict())
    form = ConveneForm(request.POST or None, child=child, agency_id=officer.agency_id)
    if request.method == "POST":
        convened = save_form(
            form,
            check=lambda: services.convene_problems(child, form.convening()),
            save=lambda: services.meeting_convene(
                child=child,
                by=officer,
                convening=form.convening(),
                source=source,
                creation_key=form.cleaned_data.get("creation_key"),
            ),
        )
        if convened is not None:
            meeting, created = convened
            if created:
                language.stash_flags(
                    request, language.flags_for_fields(form.cleaned_data, CONVENE_TEXT_FIELDS)
                )
                log_change(request, meeting, "convened")
                messages.success(
                    request, "The meeting has been convened. The invitees have been told."
                )
            return redirect(meeting)
    log_access(request, AccessLog.Action.VIEW, child=child, object_type=f"{LOG_PREFIX} (convene)")
    return render(
        request,
        "strategy_meetings/convene.html",
        {"form": form, "child": child, "source": source, "title": "Convene a strategy meeting"},
    )


@login_required
@require_http_methods(["GET"])
def meeting_detail(request: AuthenticatedRequest, child_pk: str, pk: int) -> HttpResponse:
    officer = request.user
    meeting = selectors.get_meeting_for(officer, pk, child_pk=child_pk)
    log_view(request, meeting)
    contents = selectors.meeting_contents(meeting)
    mine = [i for i in contents.open_invitations if i.officer_id == officer.pk]
    return render(
        request,
        "strategy_meetings/detail.html",
        {
            "meeting": meeting,
            "child": meeting.child,
            "contents": contents,
            "my_invitation": mine[0] if mine and selectors.can_decline(officer, mine[0]) else None,
            "can_manage": selectors.can_manage_invitations(officer, meeting),
            "can_write": selectors.can_write_minutes(officer, meeting),
            "can_finalise": selectors.can_finalise(officer, meeting),
            "can_add_addendum": selectors.can_add_addendum(officer, meeting),
            "language_flags": language.pop_flags(request),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_details(request: AuthenticatedRequest, child_pk: str, pk: int) -> HttpResponse:
    meeting = selectors.get_meeting_for(request.user, pk, child_pk=child_pk)
    if not meeting.is_draft:
        return final_notice(request, meeting)
    selectors.require(selectors.can_manage_invitations(request.user, meeting))
    form = MeetingDetailsForm(
        request.POST or None, agency_id=meeting.convening_agency_id, meeting=meeting
    )
    if request.method == "POST":
        try:
            saved = save_form(
                form,
                check=lambda: services.details_problems(form.details()),
                save=lambda: services.meeting_update_details(
                    meeting=meeting,
                    by=request.user,
                    details=form.details(),
                    expected_version=form.cleaned_data.get("version") or 0,
                ),
            )
        except services.ConcurrentEditError:
            form.add_error(None, conflict_message("meeting"))
        else:
            if saved is not None:
                language.stash_flags(
                    request, language.flags_for_fields(form.cleaned_data, DETAILS_TEXT_FIELDS)
                )
                log_change(request, meeting, "details changed")
                messages.success(request, "The meeting's details have been saved.")
                return redirect(meeting)
    else:
        log_view(request, meeting, "details")
    return form_page(request, meeting, form, title="Change the meeting's details")


@login_required
@require_http_methods(["GET"])
def my_meetings(request: AuthenticatedRequest) -> HttpResponse:
    """The officer's meetings (chairing, taking the minutes, invited) and their notices."""
    officer = request.user
    meetings = list(selectors.meetings_for(officer).order_by("-starts_at", "-id")[:100])
    notices = list(selectors.notices_for(officer)[:30])
    services.mark_read(officer)
    log_access(
        request,
        AccessLog.Action.LIST,
        object_type=f"{LOG_PREFIX}s: your meetings",
        detail=f"{len(meetings)} meetings, {len(notices)} notices",
    )
    return render(
        request,
        "strategy_meetings/mine.html",
        {
            "meetings": meetings,
            "person_meetings": list(person_meetings_for(officer)[:50]),
            "notices": notices,
            "language_flags": language.pop_flags(request),
        },
    )
