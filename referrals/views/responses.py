"""Pages of children's social care: the work tray, and the response to a sent referral (the
acknowledgement, the decision, informing the team manager and the IRO). Only the receiving
CSC responds (`selectors.get_referral_for_csc`: 404 when not visible, 403 when not theirs).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cse_portal import language, navigation
from cse_portal.audit import log_access
from cse_portal.models import AccessLog, Officer
from cse_portal.types import AuthenticatedRequest
from referrals import selectors, services
from referrals.forms import AcknowledgementForm, DecisionForm, LookedAfterNoticeForm
from referrals.forms.responses import default_acknowledgement_message
from referrals.models import Referral
from referrals.views.common import PER_PAGE, log_view, save_form


def _respond(
    request: AuthenticatedRequest,
    referral: Referral,
    form: forms.Form,
    *,
    title: str,
    check: Callable[[], Mapping[str, str]],
    save: Callable[[], Any],
    done: str,
    text_fields: dict[str, str],
) -> HttpResponse:
    if request.method == "GET":
        log_view(request, referral, f"referral ({title.lower()})")
    if request.method == "POST" and save_form(form, check=check, save=save) is not None:
        language.stash_flags(request, language.flags_for_fields(form.cleaned_data, text_fields))
        messages.success(request, done)
        return redirect(referral)
    return render(
        request,
        "referrals/respond.html",
        {"form": form, "referral": referral, "child": referral.child, "title": title},
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_acknowledge(request: AuthenticatedRequest, child_pk: str, pk: int) -> HttpResponse:
    referral = selectors.get_referral_for_csc(request.user, pk, child_pk=child_pk)
    if referral.acknowledgement_or_none is not None:
        messages.info(request, "The acknowledgement has already been sent.")
        return redirect(referral)
    form = AcknowledgementForm(
        request.POST or None, initial={"message": default_acknowledgement_message(referral)}
    )
    return _respond(
        request,
        referral,
        form,
        title="Acknowledge the referral",
        check=lambda: services.acknowledgement_problems(**form.answers()),
        save=lambda: services.referral_acknowledge(
            referral=referral, by=request.user, **form.answers()
        ),
        done="The acknowledgement has been sent to the referrer.",
        text_fields={
            "message": "Confirmation to the referrer",
            "action_being_taken": "What action is being taken",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_decide(request: AuthenticatedRequest, child_pk: str, pk: int) -> HttpResponse:
    referral = selectors.get_referral_for_csc(request.user, pk, child_pk=child_pk)
    if referral.decision_or_none is not None:
        messages.info(request, "A decision has already been recorded.")
        return redirect(referral)
    form = DecisionForm(request.POST or None, referral=referral, officer=request.user)
    return _respond(
        request,
        referral,
        form,
        title="Record the decision",
        check=lambda: services.decision_problems(referral, **form.answers()),
        save=lambda: services.referral_decide(referral=referral, by=request.user, **form.answers()),
        done="The acknowledgement has been sent and the decision recorded. The referrer can see "
        "both."
        if form.together
        else "The decision has been recorded. The referrer can see it.",
        text_fields={
            "rationale": "Reasons for the decision",
            "threshold_not_met_reason": "Why the threshold is not met",
            "message": "Confirmation to the referrer",
            "action_being_taken": "What action is being taken",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_inform(request: AuthenticatedRequest, child_pk: str, pk: int) -> HttpResponse:
    referral = selectors.get_referral_for_csc(request.user, pk, child_pk=child_pk)
    if not referral.is_about_looked_after_child:
        raise Http404("This referral is not about a looked-after child.")
    if referral.looked_after_notice_or_none is not None:
        messages.info(request, "This has already been recorded.")
        return redirect(referral)
    form = LookedAfterNoticeForm(request.POST or None, referral=referral)
    return _respond(
        request,
        referral,
        form,
        title="Inform the team manager and the IRO",
        check=lambda: services.looked_after_notice_problems(referral, **form.answers()),
        save=lambda: services.referral_record_looked_after_notice(
            referral=referral,
            by=request.user,
            detail=form.cleaned_data.get("detail") or "",
            **form.answers(),
        ),
        done="Recorded: the team manager and the IRO have been informed.",
        text_fields={"detail": "Notes"},
    )


@login_required
@require_http_methods(["GET"])
def referral_tray(request: AuthenticatedRequest) -> HttpResponse:
    """CSC's work tray: referrals awaiting a decision (overdue first: the acknowledgement's
    or the decision's due time passed), and recent decisions."""
    officer = request.user
    if not selectors.is_csc_officer(officer):
        raise PermissionDenied
    open_referrals = list(selectors.tray_for(officer))
    # The navigation's badge counts the same rows: the page has just read them.
    navigation.known_count(officer, "referrals:tray", len(open_referrals))
    decided = selectors.DecidedPaginator(officer, PER_PAGE).get_page(request.GET.get("page"))
    log_access(
        request,
        AccessLog.Action.LIST,
        object_type="referrals work tray",
        detail=f"{len(open_referrals)} awaiting a decision, page {decided.number}",
    )
    return render(
        request,
        "referrals/tray.html",
        {
            "open_referrals": open_referrals,
            "page_obj": decided,
            # Both counted in the list just read: an overdue decision is an undecided referral
            # of the tray (`overdue_condition`), and so is an overdue acknowledgement, since no
            # decision is recorded before the acknowledgement (the trigger decision_rules).
            "overdue_count": len([r for r in open_referrals if r.overdue]),
            "acknowledgements_overdue": len(
                [r for r in open_referrals if getattr(r, "acknowledgement_overdue", False)]
            ),
            "is_team_manager": officer.role == Officer.Role.TEAM_MANAGER,
        },
    )
