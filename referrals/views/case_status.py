"""Pages closing and reopening a child's CSE case (children's social care only).

The child is fetched through the door (`cse_portal.access.get_child_for`): an officer of an
agency not involved with the child gets 404; an officer of another involved agency (police,
a school) sees the case's status on the record but gets 403 here
(`cse_portal.access.can_close_or_reopen_case`). Every page shown is logged, and so is the
change.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cse_portal import language
from cse_portal.access import can_close_or_reopen_case, get_child_for
from cse_portal.audit import log_access
from cse_portal.models import AccessLog, Child
from cse_portal.types import AuthenticatedRequest
from referrals import selectors_case as selectors
from referrals.forms.case_status import (
    CLOSE_TEXT_FIELDS,
    REOPEN_TEXT_FIELDS,
    CloseCaseForm,
    ReopenCaseForm,
)
from referrals.services import case_status as services
from referrals.views.common import posted, save_form

LOG_AS = "case status"


def _child_for_csc(request: AuthenticatedRequest, child_pk: str) -> Child:
    child = get_child_for(request.user, child_pk, "view")  # 404 for the uninvolved
    if not can_close_or_reopen_case(request.user, child):
        raise PermissionDenied
    return child


def _log(request: AuthenticatedRequest, child: Child, what: str, action: str = "view") -> None:
    log_access(
        request,
        AccessLog.Action.CHANGE if action == "change" else AccessLog.Action.VIEW,
        child=child,
        object_type=f"{LOG_AS} ({what})",
        object_id=child.pk,
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_close(request: AuthenticatedRequest, child_pk: str) -> HttpResponse:
    child = _child_for_csc(request, child_pk)
    status = selectors.case_status_of(child)
    if request.method == "GET" and status.is_closed:
        messages.info(request, "The child's case is closed already.")
        return redirect(child)
    form = CloseCaseForm(posted(request))
    if request.method == "POST":
        closed = save_form(
            form,
            check=lambda: services.close_problems(**form.answers()),
            save=lambda: services.case_close(
                child=child,
                by=request.user,
                creation_key=form.cleaned_data.get("creation_key"),
                **form.answers(),
            ),
        )
        if closed is not None:
            _log(request, child, "closed", "change")
            language.stash_flags(
                request, language.flags_for_fields(form.cleaned_data, CLOSE_TEXT_FIELDS)
            )
            messages.success(
                request, "The case has been closed. No reassessment is due while it is closed."
            )
            return redirect(child)
    _log(request, child, "close")
    return render(
        request,
        "referrals/case/form.html",
        {
            "child": child,
            "form": form,
            "title": "Close the case",
            "drafts": list(selectors.drafts_in_progress(child)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_reopen(request: AuthenticatedRequest, child_pk: str) -> HttpResponse:
    child = _child_for_csc(request, child_pk)
    closure = selectors.case_status_of(child).open_closure
    if closure is None and request.method == "GET":
        messages.info(request, "The child's case is open.")
        return redirect(child)
    form = ReopenCaseForm(
        posted(request), initial={"closure": closure.pk if closure is not None else None}
    )
    if request.method == "POST":

        def reopen() -> object:
            shown = form.cleaned_data.get("closure")
            if closure is None or shown != closure.pk:
                raise ValidationError(
                    "The case was reopened by someone else after this page was opened. "
                    "Open the child's record to see its status."
                )
            closure.child = child
            return services.case_reopen(closure=closure, by=request.user, **form.answers())

        reopened = save_form(
            form, check=lambda: services.reopen_problems(**form.answers()), save=reopen
        )
        if reopened is not None:
            _log(request, child, "reopened", "change")
            language.stash_flags(
                request, language.flags_for_fields(form.cleaned_data, REOPEN_TEXT_FIELDS)
            )
            messages.success(
                request,
                "The case has been reopened. The next risk assessment is due within 3 months.",
            )
            return redirect(child)
    _log(request, child, "reopen")
    return render(
        request,
        "referrals/case/form.html",
        {"child": child, "form": form, "title": "Reopen the case", "closure": closure},
    )
