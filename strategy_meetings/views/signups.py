"""Pages of signing up to the action plan (G23): the attendee's own, signed in, and the chair
recording the agreement of an attendee with no portal account. Each shows the plan as it is
and signs the version shown: if the plan changed meanwhile, the page says so."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from cse_portal.forms import add_validation_error
from cse_portal.types import AuthenticatedRequest
from strategy_meetings import action_selectors, selectors, services
from strategy_meetings.forms import RecordAgreementForm, SignUpForm
from strategy_meetings.models import Invitation, Meeting, SignUp
from strategy_meetings.views.actions import plan_url
from strategy_meetings.views.common import form_page, log_change, log_view

TEMPLATE = "strategy_meetings/actions/sign.html"


def _sign_page(
    request: AuthenticatedRequest,
    meeting: Meeting,
    invitation: Invitation,
    form: SignUpForm,
    *,
    title: str,
) -> HttpResponse:
    return form_page(
        request,
        meeting,
        form,
        title=title,
        template=TEMPLATE,
        plan=action_selectors.plan_view(meeting),
        invitation=invitation,
        back=plan_url(meeting),
    )


def _signed(
    request: AuthenticatedRequest,
    meeting: Meeting,
    form: SignUpForm,
    sign: Callable[[int], SignUp],
) -> HttpResponse | None:
    """Sign (the service in `sign`) if the form converts; None with the reason on the form."""
    if not form.is_valid():
        return None
    try:
        sign_up = sign(form.cleaned_data["plan_version"])
    except ValidationError as error:
        add_validation_error(form, error)
        return None
    log_change(request, meeting, "sign-up")
    messages.success(
        request, f"{sign_up.invitation.person_display}'s sign-up to the action plan is recorded."
    )
    return redirect(plan_url(meeting))


@login_required
@require_http_methods(["GET", "POST"])
def plan_sign(request: AuthenticatedRequest, child_pk: str, pk: int) -> HttpResponse:
    """The signed-in attendee signs up to the plan themselves."""
    meeting = selectors.get_meeting_for(request.user, pk, child_pk=child_pk)
    if not meeting.is_draft:
        messages.info(request, "The minutes are final: the plan can no longer be signed.")
        return redirect(plan_url(meeting))
    plan = action_selectors.plan_view(meeting)
    mine = plan.sign_up_of(request.user)
    if mine is None or not action_selectors.can_sign(request.user, mine.invitation):
        raise PermissionDenied  # only an attendee signs, and only their own sign-up
    form = SignUpForm(request.POST or None, initial={"plan_version": plan.version})
    if request.method == "POST":
        done = _signed(
            request,
            meeting,
            form,
            lambda version: services.plan_sign(
                meeting=meeting, by=request.user, invitation=mine.invitation, plan_version=version
            ),
        )
        if done is not None:
            return done
    else:
        log_view(request, meeting, "sign up")
    return _sign_page(request, meeting, mine.invitation, form, title="Sign up to the action plan")


@login_required
@require_http_methods(["GET", "POST"])
def record_agreement(
    request: AuthenticatedRequest, child_pk: str, pk: int, invitation_pk: int
) -> HttpResponse:
    """The chair records that an attendee with no portal account agreed at the meeting."""
    meeting = selectors.get_meeting_for(request.user, pk, child_pk=child_pk)
    invitation = (
        meeting.invitations.select_related("agency", "officer").filter(pk=invitation_pk).first()
    )
    if invitation is None:
        raise Http404("No such attendee.")
    invitation.meeting = meeting
    if not meeting.is_draft:
        messages.info(request, "The minutes are final: the plan can no longer be signed.")
        return redirect(plan_url(meeting))
    selectors.require(action_selectors.can_record_agreement(request.user, invitation))
    plan_version = action_selectors.plan_view(meeting).version
    form = RecordAgreementForm(request.POST or None, initial={"plan_version": plan_version})
    if request.method == "POST":
        done = _signed(
            request,
            meeting,
            form,
            lambda version: services.plan_record_agreement(
                meeting=meeting, by=request.user, invitation=invitation, plan_version=version
            ),
        )
        if done is not None:
            return done
    else:
        log_view(request, meeting, "record an agreement")
    return _sign_page(
        request,
        meeting,
        invitation,
        form,
        title=f"Record that {invitation.person_display} agreed the action plan",
    )
