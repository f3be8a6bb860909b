"""What the strategy meeting pages share: the access log line, showing a service's rules on
a form (the idea of referrals' `save_form`), and the page of a form."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from cse_portal.audit import log_access
from cse_portal.forms import add_validation_error
from cse_portal.models import AccessLog
from cse_portal.types import AuthenticatedRequest
from strategy_meetings.models import Meeting

# Every access-log row of these pages starts with this (cse_portal.history).
LOG_PREFIX = "strategy meeting"


def log_view(request: AuthenticatedRequest, meeting: Meeting, what: str = "") -> None:
    log_access(
        request,
        AccessLog.Action.VIEW,
        child=meeting.child,
        object_type=f"{LOG_PREFIX} ({what})" if what else LOG_PREFIX,
        object_id=meeting.pk,
    )


def log_change(request: AuthenticatedRequest, meeting: Meeting, what: str) -> None:
    log_access(
        request,
        AccessLog.Action.CHANGE,
        child=meeting.child,
        object_type=f"{LOG_PREFIX} ({what})",
        object_id=meeting.pk,
    )


def final_notice(request: AuthenticatedRequest, meeting: Meeting) -> HttpResponse:
    messages.info(request, "The minutes of this meeting are final and can no longer be changed.")
    return redirect(meeting)


def _field_for(form: forms.BaseForm, key: str) -> str:
    mapper = getattr(form, "problem_field", None)
    name = mapper(key) if mapper is not None else key
    return name if name in form.fields else ""


def show_problems(form: forms.BaseForm, problems: Mapping[str, str]) -> None:
    """The service's problems on the form, each on its field unless the form already
    refused that field's input (a key the form has no field for is the form's own)."""
    for key, message in problems.items():
        name = _field_for(form, key)
        if name and name in form.errors:
            continue
        form.add_error(name or None, message)


def save_form[T](
    form: forms.BaseForm,
    *,
    save: Callable[[], T],
    check: Callable[[], Mapping[str, str]] | None = None,
) -> T | None:
    """Call the service (`save`) with the form's input; None when the input or the service
    refused it, with the reasons on the form, so the error summary lists every problem at
    once (the service's `*_problems` function is asked of what converted)."""
    converted = form.is_valid()
    problems = dict(check()) if check is not None else {}
    show_problems(form, problems)
    if not converted or problems:
        return None
    try:
        return save()
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            show_problems(form, {k: " ".join(v) for k, v in error.message_dict.items()})
        else:
            add_validation_error(form, error)
        return None


def form_page(
    request: AuthenticatedRequest,
    meeting: Meeting,
    form: forms.BaseForm,
    *,
    title: str,
    template: str = "strategy_meetings/form.html",
    **context: Any,
) -> HttpResponse:
    return render(
        request,
        template,
        {"form": form, "meeting": meeting, "child": meeting.child, "title": title, **context},
    )
