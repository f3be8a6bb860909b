"""The agency CSE lead officer's advice on screenings that conclude "discuss with the lead
officer", and the list of those waiting for it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cse_portal import language
from cse_portal.audit import log_access
from cse_portal.forms import add_validation_error
from cse_portal.models import AccessLog
from cse_portal.types import AuthenticatedRequest
from screening import selectors, services
from screening.forms import AdviceForm
from screening.selectors import can_advise
from screening.views.common import log_change, log_view
from screening.views.submitting import suggestion_context


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
    if request.method == "POST" and form.is_valid():
        try:
            services.screening_advise(
                screening=screening,
                by=officer,
                text=form.cleaned_data["text"],
                creation_key=form.cleaned_data.get("creation_key"),
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            language.stash_flags(
                request, language.flags_for_fields(form.cleaned_data, {"text": "Your advice"})
            )
            log_change(request, screening, "advice recorded")
            messages.success(
                request, "Your advice has been recorded. The screener can see it on the screening."
            )
            return redirect(screening)
    log_view(request, screening, "advice")
    return render(
        request,
        "screening/advice.html",
        {
            "screening": screening,
            "child": screening.child,
            "form": form,
            **suggestion_context(screening.suggestion, services.screening_tally(screening)),
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
