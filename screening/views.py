"""Pages of the SAFEGUARD screening tool."""

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
from cse_portal.access import get_child_for
from cse_portal.audit import log_access
from cse_portal.forms import add_validation_error
from cse_portal.lifecycle import conflict_message
from cse_portal.models import AccessLog, Child
from cse_portal.types import AuthenticatedRequest
from screening import rules, selectors, services
from screening.forms import AdviceForm, ConclusionForm, ScreeningAnswersForm, field_key
from screening.models import Conclusion, Screening
from screening.selectors import can_advise, can_write_draft

CONCURRENT_EDIT = conflict_message(
    "screening",
    opening="Someone else in your agency saved this screening while you were working on it.",
)


def _log_view(request: AuthenticatedRequest, screening: Screening, what: str = "screening") -> None:
    log_access(
        request,
        AccessLog.Action.VIEW,
        child=screening.child,
        object_type=what,
        object_id=screening.pk,
    )


def _note_flags(form: ScreeningAnswersForm) -> dict[str, list[language.LanguageFlag]]:
    """Language prompts (G38) for the notes just saved, keyed by a label naming the indicator."""
    labels = {f"note_{field_key(i)}": f"Note on “{i.text}”" for i in form.indicators}
    return language.flags_for_fields(form.cleaned_data, labels)


def _after_save(
    request: AuthenticatedRequest, form: ScreeningAnswersForm, screening: Screening
) -> HttpResponse:
    language.stash_flags(request, _note_flags(form))
    log_access(
        request,
        AccessLog.Action.CHANGE,
        child=screening.child,
        object_type="screening",
        object_id=screening.pk,
    )
    if "continue" in request.POST:
        return redirect("screening:submit", child_pk=screening.child_id, pk=screening.pk)
    messages.success(request, "Your draft has been saved. Only your agency can see it.")
    return redirect(screening)


def _render_form(
    request: AuthenticatedRequest,
    form: ScreeningAnswersForm,
    child: Child,
    screening: Screening | None,
) -> HttpResponse:
    return render(
        request,
        "screening/form.html",
        {
            "form": form,
            "child": child,
            "screening": screening,
            "language_flags": language.pop_flags(request),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def screening_new(request: AuthenticatedRequest, child_pk: str) -> HttpResponse:
    child = get_child_for(request.user, child_pk, "view")
    catalogue = selectors.current_catalogue()
    form = ScreeningAnswersForm(
        request.POST or None, headings=selectors.headings_with_indicators(catalogue)
    )
    if request.method == "GET":
        log_access(
            request,
            AccessLog.Action.VIEW,
            child=child,
            object_type="new screening",
            object_id=child.pk,
        )
    if request.method == "POST" and form.is_valid():
        try:
            screening = services.screening_create(
                child=child,
                by=request.user,
                answers=form.answer_inputs(),
                catalogue=catalogue,
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            return _after_save(request, form, screening)
    return _render_form(request, form, child, None)


@login_required
@require_http_methods(["GET"])
def screening_detail(request: AuthenticatedRequest, child_pk: str, pk: int) -> HttpResponse:
    """A submitted screening; for a draft of the officer's agency, the form to carry on."""
    screening = selectors.get_screening_for(request.user, pk, child_pk=child_pk)
    _log_view(request, screening)
    if screening.is_draft:
        return _render_form(request, _draft_form(screening), screening.child, screening)
    tally = services.screening_tally(screening)
    return render(
        request,
        "screening/detail.html",
        {
            "screening": screening,
            "child": screening.child,
            "headings": selectors.answered_catalogue(screening),
            "tally": tally,
            "suggestion_prompt": rules.SUGGESTION_PROMPTS[screening.suggestion],
            "advice": selectors.advice_on(screening),
            "can_advise": can_advise(request.user, screening),
            "referral_start_url": _referral_url(screening)
            if screening.conclusion == Conclusion.REFER
            else "",
            "language_flags": language.pop_flags(request),
        },
    )


def _draft_form(screening: Screening, data: Any = None) -> ScreeningAnswersForm:
    headings = selectors.headings_with_indicators(screening.catalogue)
    indicators = [i for section in headings for i in section.indicators]
    answers = {a.indicator_id: a for a in screening.answers.all()}
    initial = {
        "version": screening.version,
        **ScreeningAnswersForm.initial_from(answers, indicators),
    }
    return ScreeningAnswersForm(data, headings=headings, initial=initial)


@login_required
@require_http_methods(["GET", "POST"])
def screening_edit(request: AuthenticatedRequest, child_pk: str, pk: int) -> HttpResponse:
    screening = selectors.get_screening_for(request.user, pk, child_pk=child_pk)
    if not screening.is_draft:
        messages.info(request, "This screening has been submitted and can no longer be changed.")
        return redirect(screening)
    if not can_write_draft(request.user, screening):
        raise PermissionDenied
    form = _draft_form(screening, request.POST or None)
    if request.method == "GET":
        _log_view(request, screening, "screening (edit)")
    if request.method == "POST" and form.is_valid():
        try:
            services.screening_save_answers(
                screening=screening,
                by=request.user,
                answers=form.answer_inputs(),
                expected_version=form.cleaned_data.get("version") or 0,
            )
        except services.ConcurrentEditError:
            form.add_error(None, CONCURRENT_EDIT)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            return _after_save(request, form, screening)
    return _render_form(request, form, screening.child, screening)


@login_required
@require_http_methods(["GET", "POST"])
def screening_submit(request: AuthenticatedRequest, child_pk: str, pk: int) -> HttpResponse:
    """Check the answers, see the tool's suggestion next to your conclusion, and submit."""
    screening = selectors.get_screening_for(request.user, pk, child_pk=child_pk)
    if not screening.is_draft:
        return redirect(screening)
    if not can_write_draft(request.user, screening):
        raise PermissionDenied
    tally = services.screening_tally(screening)
    suggestion = rules.suggest(tally)
    form = ConclusionForm(request.POST or None, initial={"version": screening.version})
    if request.method == "GET":
        _log_view(request, screening, "screening (check answers)")
    if request.method == "POST" and form.is_valid():
        try:
            services.screening_submit(
                screening=screening,
                by=request.user,
                conclusion=form.cleaned_data["conclusion"],
                reason=form.cleaned_data.get("conclusion_reason") or "",
                expected_version=form.cleaned_data.get("version") or 0,
            )
        except services.ConcurrentEditError:
            form.add_error(None, CONCURRENT_EDIT)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            return _after_submit(request, form, screening)
    return render(
        request,
        "screening/check.html",
        {
            "screening": screening,
            "child": screening.child,
            "form": form,
            "headings": selectors.answered_catalogue(screening),
            "tally": tally,
            "suggestion": suggestion,
            "suggestion_label": rules.Suggestion(suggestion).label,
            "suggestion_prompt": rules.SUGGESTION_PROMPTS[suggestion],
            "implied": [
                rules.Conclusion(c).label
                for c in rules.Conclusion.values
                if c in rules.implied_conclusions(suggestion)
            ],
            "language_flags": language.pop_flags(request),
        },
    )


def _after_submit(
    request: AuthenticatedRequest, form: ConclusionForm, screening: Screening
) -> HttpResponse:
    log_access(
        request,
        AccessLog.Action.CHANGE,
        child=screening.child,
        object_type="screening (submitted)",
        object_id=screening.pk,
    )
    if screening.conclusion == Conclusion.REFER:
        # G06: the referral starts from the screening, its indicators carried over.
        return redirect(_referral_url(screening))
    language.stash_flags(
        request,
        language.flags_for_fields(form.cleaned_data, {"conclusion_reason": "Your reasons"}),
    )
    messages.success(request, "The screening has been submitted.")
    return redirect(screening)


def _referral_url(screening: Screening) -> str:
    start = reverse("referrals:start", kwargs={"child_pk": screening.child_id})
    return f"{start}?screening={screening.pk}"


@login_required
@require_http_methods(["GET", "POST"])
def screening_advice(request: AuthenticatedRequest, child_pk: str, pk: int) -> HttpResponse:
    """The agency's CSE lead officer records advice on a submitted screening."""
    screening = selectors.get_screening_for(request.user, pk, child_pk=child_pk)
    officer = request.user
    if not can_advise(officer, screening):
        raise PermissionDenied
    if not screening.is_submitted:
        return redirect(screening)
    form = AdviceForm(request.POST or None)
    if request.method == "GET":
        _log_view(request, screening, "screening (advice)")
    if request.method == "POST" and form.is_valid():
        try:
            services.screening_advise(
                screening=screening, by=officer, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            language.stash_flags(
                request, language.flags_for_fields(form.cleaned_data, {"text": "Your advice"})
            )
            log_access(
                request,
                AccessLog.Action.CHANGE,
                child=screening.child,
                object_type="screening advice",
                object_id=screening.pk,
            )
            messages.success(
                request, "Your advice has been recorded. The screener can see it on the screening."
            )
            return redirect(screening)
    return render(
        request,
        "screening/advice.html",
        {
            "screening": screening,
            "child": screening.child,
            "form": form,
            "tally": services.screening_tally(screening),
            "suggestion_prompt": rules.SUGGESTION_PROMPTS[screening.suggestion],
            "headings": selectors.answered_catalogue(screening),
            "advice": selectors.advice_on(screening),
        },
    )


@login_required
@require_http_methods(["GET"])
def awaiting_advice(request: AuthenticatedRequest) -> HttpResponse:
    """For a CSE lead officer: their agency's screenings waiting for advice."""
    officer = request.user
    if not officer.is_cse_lead:
        raise PermissionDenied
    screenings = list(selectors.screenings_awaiting_advice(officer))
    log_access(
        request,
        AccessLog.Action.LIST,
        object_type="screenings awaiting advice",
        detail=f"{len(screenings)} screenings",
    )
    return render(request, "screening/awaiting_advice.html", {"screenings": screenings})
