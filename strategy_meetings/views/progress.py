"""Pages of the plan after the minutes are final: an action's progress (G26: each update its
own attributed row), convening the review meeting from the plan (G24), and "Your actions",
the list of the actions an officer owns (G22)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cse_portal import language
from cse_portal.audit import log_access
from cse_portal.models import AccessLog
from cse_portal.types import AuthenticatedRequest
from strategy_meetings import action_selectors, selectors, services
from strategy_meetings.forms import PROGRESS_TEXT_FIELDS, ConveneReviewForm, ProgressForm
from strategy_meetings.views.actions import plan_url
from strategy_meetings.views.common import form_page, log_change, log_view, save_form


@login_required
@require_http_methods(["GET", "POST"])
def action_progress(
    request: AuthenticatedRequest, child_pk: str, pk: int, action_pk: int
) -> HttpResponse:
    """An action with its updates; the form for those who may record its progress."""
    meeting = selectors.get_meeting_for(request.user, pk, child_pk=child_pk)
    action = action_selectors.get_action_for(request.user, action_pk, meeting=meeting)
    can_record = action_selectors.can_record_progress(request.user, action)
    form = ProgressForm(request.POST or None, action=action) if can_record else None
    if request.method == "POST":
        selectors.require(can_record)
        assert form is not None

        def note() -> str:
            return form.cleaned_data.get("note") or ""

        def status() -> str:
            return form.cleaned_data.get("status") or ""

        recorded = save_form(
            form,
            check=lambda: services.progress_problems(status=status(), note=note()),
            save=lambda: services.action_record_progress(
                action=action,
                by=request.user,
                status=status(),
                note=note(),
                creation_key=form.cleaned_data.get("creation_key"),
            ),
        )
        if recorded is not None:
            language.stash_flags(request, language.flags_for_form(form, list(PROGRESS_TEXT_FIELDS)))
            log_change(request, meeting, "action progress")
            messages.success(request, "The action's progress has been recorded.")
            return redirect(plan_url(meeting))
    else:
        log_view(request, meeting, "action progress")
    return render(
        request,
        "strategy_meetings/actions/progress.html",
        {
            "meeting": meeting,
            "child": meeting.child,
            "action": action,
            "updates": list(action_selectors.updates_of(action)),
            "form": form,
            "back": plan_url(meeting),
            "language_flags": language.pop_flags(request),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_convene(request: AuthenticatedRequest, child_pk: str, pk: int) -> HttpResponse:
    """Convene the review of a final meeting from its plan: the agreed date, the same chair,
    place and attendees; the chair then changes what is needed on the review's own pages."""
    meeting = selectors.get_meeting_for(request.user, pk, child_pk=child_pk)
    if not meeting.is_final:
        messages.info(request, "The review is convened once the minutes are final.")
        return redirect(plan_url(meeting))
    selectors.require(action_selectors.can_convene_review(request.user, meeting))
    form = ConveneReviewForm(request.POST or None)
    if request.method == "POST":
        convened = save_form(
            form,
            save=lambda: services.review_convene(
                meeting=meeting,
                by=request.user,
                creation_key=form.cleaned_data.get("creation_key"),
            ),
        )
        if convened is not None:
            review, _ = convened
            log_change(request, meeting, "review convened")
            messages.success(
                request,
                f"Review meeting {review.reference} is convened. Check its details and "
                "invitations.",
            )
            return redirect(review)
    else:
        log_view(request, meeting, "convene the review")
    return form_page(
        request,
        meeting,
        form,
        title="Convene the review meeting",
        template="strategy_meetings/actions/review_convene.html",
        plan=action_selectors.plan_view(meeting),
        back=plan_url(meeting),
    )


@login_required
@require_http_methods(["GET"])
def your_actions(request: AuthenticatedRequest) -> HttpResponse:
    """The actions the officer owns, open ones first (overdue first), of children they can
    still see."""
    actions = list(action_selectors.actions_owned_by(request.user)[:200])
    for action in actions:
        action.can_record = action_selectors.can_record_progress(request.user, action)  # type: ignore[attr-defined]  # for the card's link
    log_access(
        request,
        AccessLog.Action.LIST,
        object_type="strategy meeting actions: your actions",
        detail=f"{len(actions)} actions",
    )
    return render(request, "strategy_meetings/actions/yours.html", {"actions": actions})
