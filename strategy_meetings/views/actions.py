"""Pages of the action plan while it is written: the plan page (every action, the review
date, who has signed up), an action added, changed or removed (G22), the review date (G24).

Every page fetches the meeting through the door first (404 for an uninvolved officer), then
asks the predicate of `action_selectors` (403 for an officer it is not for)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from cse_portal import language
from cse_portal.lifecycle import conflict_message
from cse_portal.types import AuthenticatedRequest
from strategy_meetings import action_selectors, selectors, services
from strategy_meetings.forms import (
    ACTION_TEXT_FIELDS,
    ActionForm,
    RemoveActionForm,
    ReviewDateForm,
)
from strategy_meetings.models import Meeting
from strategy_meetings.views.common import form_page, log_change, log_view, save_form

FORM = "strategy_meetings/actions/form.html"
PLAN_CONFLICT = conflict_message(
    "action plan", opening="Someone else saved the action plan while you were editing it."
)


def plan_url(meeting: Meeting) -> str:
    return reverse(
        "strategy_meetings:plan", kwargs={"child_pk": meeting.child_id, "pk": meeting.pk}
    )


def _still_writable(request: AuthenticatedRequest, meeting: Meeting) -> bool:
    """Whether the officer may still write the meeting's plan (403 if it is not theirs);
    False when the minutes are final (the page says so and goes back to the plan)."""
    if not meeting.is_draft:
        messages.info(request, "The minutes are final: the action plan can no longer be changed.")
        return False
    selectors.require(action_selectors.can_edit_plan(request.user, meeting))
    return True


@login_required
@require_http_methods(["GET"])
def meeting_plan(request: AuthenticatedRequest, child_pk: str, pk: int) -> HttpResponse:
    meeting = selectors.get_meeting_for(request.user, pk, child_pk=child_pk)
    log_view(request, meeting, "action plan")
    user = request.user
    plan = action_selectors.plan_view(meeting)
    mine = plan.sign_up_of(user)
    earlier = action_selectors.earlier_progress(meeting)
    for action in [*plan.actions, *earlier]:
        action.can_record = action_selectors.can_record_progress(user, action)  # type: ignore[attr-defined]  # for the card's link
    return render(
        request,
        "strategy_meetings/actions/plan.html",
        {
            "meeting": meeting,
            "child": meeting.child,
            "plan": plan,
            "can_edit": action_selectors.can_edit_plan(user, meeting),
            "is_chair": selectors.is_chair(user, meeting),
            "my_sign_up": mine,
            "can_sign": mine is not None
            and not mine.signed
            and action_selectors.can_sign(user, mine.invitation),
            "review_required": action_selectors.review_required(meeting),
            "latest_review_date": action_selectors.latest_review_date(meeting),
            "earlier_actions": earlier,
            "reviews": list(action_selectors.reviews_convened(meeting)),
            "can_convene_review": action_selectors.can_convene_review(user, meeting),
            "can_download_pdf": meeting.is_final or selectors.can_write_minutes(user, meeting),
            "language_flags": language.pop_flags(request),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_add(request: AuthenticatedRequest, child_pk: str, pk: int) -> HttpResponse:
    meeting = selectors.get_meeting_for(request.user, pk, child_pk=child_pk)
    if not _still_writable(request, meeting):
        return redirect(plan_url(meeting))
    form = ActionForm(request.POST or None, meeting=meeting)
    if request.method == "POST":
        added = save_form(
            form,
            check=lambda: services.action_problems(meeting, form.answers()),
            save=lambda: services.action_add(
                meeting=meeting,
                by=request.user,
                answers=form.answers(),
                creation_key=form.cleaned_data.get("creation_key"),
            ),
        )
        if added is not None:
            language.stash_flags(request, language.flags_for_form(form, list(ACTION_TEXT_FIELDS)))
            log_change(request, meeting, "action added")
            messages.success(request, "The action has been added to the plan.")
            return redirect(plan_url(meeting))
    else:
        log_view(request, meeting, "add an action")
    return form_page(
        request,
        meeting,
        form,
        title="Add an action to the plan",
        template=FORM,
        back=plan_url(meeting),
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_edit(
    request: AuthenticatedRequest, child_pk: str, pk: int, action_pk: int
) -> HttpResponse:
    meeting = selectors.get_meeting_for(request.user, pk, child_pk=child_pk)
    action = action_selectors.get_action_for(request.user, action_pk, meeting=meeting)
    if not _still_writable(request, meeting):
        return redirect(plan_url(meeting))
    form = ActionForm(request.POST or None, meeting=meeting, action=action)
    if request.method == "POST":
        try:
            saved = save_form(
                form,
                check=lambda: services.action_problems(meeting, form.answers()),
                save=lambda: services.action_change(
                    action=action,
                    by=request.user,
                    answers=form.answers(),
                    expected_version=form.cleaned_data.get("version") or 0,
                ),
            )
        except services.ConcurrentEditError:
            form.add_error(None, PLAN_CONFLICT)
        else:
            if saved is not None:
                language.stash_flags(
                    request, language.flags_for_form(form, list(ACTION_TEXT_FIELDS))
                )
                log_change(request, meeting, "action changed")
                messages.success(request, "The action has been changed.")
                return redirect(plan_url(meeting))
    else:
        log_view(request, meeting, "change an action")
    return form_page(
        request, meeting, form, title="Change the action", template=FORM, back=plan_url(meeting)
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_remove(
    request: AuthenticatedRequest, child_pk: str, pk: int, action_pk: int
) -> HttpResponse:
    meeting = selectors.get_meeting_for(request.user, pk, child_pk=child_pk)
    action = action_selectors.get_action_for(request.user, action_pk, meeting=meeting)
    if not _still_writable(request, meeting):
        return redirect(plan_url(meeting))
    form = RemoveActionForm(request.POST or None, initial={"version": action.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.action_remove(
                action=action, by=request.user, expected_version=form.cleaned_data["version"]
            )
        except services.ConcurrentEditError:
            form.add_error(None, PLAN_CONFLICT)
        else:
            log_change(request, meeting, "action removed")
            messages.success(request, "The action has been removed from the plan.")
            return redirect(plan_url(meeting))
    elif request.method == "GET":
        log_view(request, meeting, "remove an action")
    return form_page(
        request,
        meeting,
        form,
        title="Remove this action from the plan?",
        template="strategy_meetings/actions/remove.html",
        action=action,
        back=plan_url(meeting),
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_date(request: AuthenticatedRequest, child_pk: str, pk: int) -> HttpResponse:
    meeting = selectors.get_meeting_for(request.user, pk, child_pk=child_pk)
    if not _still_writable(request, meeting):
        return redirect(plan_url(meeting))
    plan = action_selectors.plan_of(meeting)
    form = ReviewDateForm(
        request.POST or None,
        initial={
            "review_date": plan.review_date if plan else None,
            "version": plan.version if plan else 0,
        },
    )
    if request.method == "POST":
        chosen = lambda: form.cleaned_data.get("review_date")  # noqa: E731 -- read after is_valid
        try:
            saved = save_form(
                form,
                check=lambda: services.review_date_problems(meeting, chosen()),
                save=lambda: services.plan_set_review_date(
                    meeting=meeting,
                    by=request.user,
                    review_date=chosen(),
                    expected_version=form.cleaned_data.get("version") or 0,
                ),
            )
        except services.ConcurrentEditError:
            form.add_error(None, PLAN_CONFLICT)
        else:
            if saved is not None:
                log_change(request, meeting, "review date")
                messages.success(request, "The date of the review meeting has been saved.")
                return redirect(plan_url(meeting))
    else:
        log_view(request, meeting, "review date")
    latest = action_selectors.latest_review_date(meeting)
    return form_page(
        request,
        meeting,
        form,
        title="When is the review meeting?",
        template="strategy_meetings/actions/review_date.html",
        latest=latest,
        review_required=action_selectors.review_required(meeting),
        back=plan_url(meeting),
    )
