"""A screening's own page (the task list while it is a draft), checking the answers with the
tool's suggestion beside the screener's conclusion, and submitting it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from cse_portal import language
from cse_portal.forms import add_validation_error
from cse_portal.types import AuthenticatedRequest
from screening import rules, selectors, services
from screening.forms import ConclusionForm, field_key
from screening.models import Conclusion, Screening
from screening.selectors import can_advise, can_write_draft
from screening.views.common import CONCURRENT_EDIT, log_change, log_view

# The screening just submitted in this session: its page then shows the confirmation.
JUST_SUBMITTED = "screening_just_submitted"

REASON_LABELS = {
    "conclusion_reason": "Your reasons for your screening conclusion",
    "follow_up_by": "Who will find out what is not known",
}


def suggestion_context(suggestion: str | None, tally: rules.Tally) -> dict[str, Any]:
    """What the suggestion card shows (templates/screening/_suggestion.html)."""
    if suggestion is None:
        return {"suggestion": None, "tally": tally}
    return {
        "suggestion": suggestion,
        "suggestion_label": rules.Suggestion(suggestion).label,
        "suggestion_wording": rules.wording(suggestion, tally),
        "tally": tally,
    }


@login_required
@require_http_methods(["GET"])
def screening_detail(request: AuthenticatedRequest, child_pk: str, pk: int) -> HttpResponse:
    """A submitted screening; for a draft of the officer's agency, its task list."""
    screening = selectors.get_screening_for(request.user, pk, child_pk=child_pk)
    log_view(request, screening)
    if screening.is_draft:
        return _task_list(request, screening)
    officer = request.user
    referrals = (
        selectors.referrals_from(screening, officer)
        if screening.conclusion == Conclusion.REFER
        else []
    )
    may_refer = (
        screening.conclusion == Conclusion.REFER
        and officer.agency_id == screening.agency_id
        and not referrals  # the screening agency sees its draft referrals too
    )
    just_submitted = request.session.get(JUST_SUBMITTED) == screening.pk
    if just_submitted:
        del request.session[JUST_SUBMITTED]
    return render(
        request,
        "screening/detail.html",
        {
            "screening": screening,
            "child": screening.child,
            "headings": selectors.answered_catalogue(screening),
            **suggestion_context(screening.suggestion, services.screening_tally(screening)),
            "advice": selectors.advice_on(screening),
            "can_advise": can_advise(officer, screening),
            "referrals": referrals,
            "referral_start_url": _referral_url(screening) if may_refer else "",
            "just_submitted": just_submitted,
            "language_flags": language.pop_flags(request),
        },
    )


def _task_list(request: AuthenticatedRequest, screening: Screening) -> HttpResponse:
    progress = selectors.progress_of(screening)
    return render(
        request,
        "screening/task_list.html",
        {
            "screening": screening,
            "child": screening.child,
            "progress": progress,
            "language_flags": language.pop_flags(request),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def screening_submit(request: AuthenticatedRequest, child_pk: str, pk: int) -> HttpResponse:
    """Check the answers, see the tool's suggestion next to your conclusion, and submit."""
    screening = selectors.get_screening_for(request.user, pk, child_pk=child_pk)
    if not screening.is_draft:
        return redirect(screening)
    if not can_write_draft(request.user, screening):
        raise PermissionDenied
    progress = selectors.progress_of(screening)
    tally = progress.tally
    suggestion = rules.suggest(tally)
    form = ConclusionForm(
        request.POST or None, initial={"version": screening.version}, not_known=tally.not_known
    )
    first_unanswered = progress.first_unanswered()
    if first_unanswered is not None:
        # "N indicators have no answer" takes the reader to the first one's Change link.
        form.error_summary_target = f"change-{field_key(first_unanswered[1])}"
    if request.method == "POST" and form.is_valid():
        try:
            services.screening_submit(
                screening=screening,
                by=request.user,
                conclusion=form.cleaned_data["conclusion"],
                reason=form.cleaned_data.get("conclusion_reason") or "",
                expected_version=form.cleaned_data.get("version") or 0,
                follow_up=services.FollowUp(
                    by=form.cleaned_data.get("follow_up_by") or "",
                    due=form.cleaned_data.get("follow_up_due"),
                ),
            )
        except services.ConcurrentEditError:
            form.add_error(None, CONCURRENT_EDIT)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            return _after_submit(request, form, screening)
    log_view(request, screening, "check answers")
    implied = rules.implied_conclusions(suggestion) if suggestion else frozenset()
    return render(
        request,
        "screening/check.html",
        {
            "screening": screening,
            "child": screening.child,
            "form": form,
            "progress": progress,
            "first_unanswered": first_unanswered,
            **suggestion_context(suggestion, tally),
            "implied": [rules.Conclusion(c).label for c in rules.Conclusion.values if c in implied],
            "language_flags": language.pop_flags(request),
        },
    )


def _after_submit(
    request: AuthenticatedRequest, form: ConclusionForm, screening: Screening
) -> HttpResponse:
    log_change(request, screening, "submitted")
    screening.refresh_from_db()
    # G38: the screener's reasons are read for the language prompt on every path, before
    # the redirect, so the next page shows it.
    language.stash_flags(request, language.flags_for_fields(form.cleaned_data, REASON_LABELS))
    if screening.conclusion == Conclusion.REFER:
        messages.success(
            request,
            "Your screening has been submitted. Now make the CSE1 referral: the indicators "
            "recorded as present are carried over from the screening.",
        )
        # G06: the referral starts from the screening, its indicators carried over.
        return redirect(_referral_url(screening))
    request.session[JUST_SUBMITTED] = screening.pk
    return redirect(screening)


def _referral_url(screening: Screening) -> str:
    start = reverse("referrals:start", kwargs={"child_pk": screening.child_id})
    return f"{start}?screening={screening.pk}"
