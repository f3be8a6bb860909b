"""Pages around a CSE2 risk assessment: asking other involved agencies for their contribution
and adding one (G15), and the information an assessment of "not enough information" needs —
each piece, who will get it and by when, and marking it done (G14)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cse_portal import language
from cse_portal.forms import add_validation_error
from cse_portal.types import AuthenticatedRequest
from referrals import assessment_selectors as selectors
from referrals import services
from referrals.forms.assessment import (
    ContributionForm,
    InformationTaskForm,
    InviteForm,
    TaskDoneForm,
)
from referrals.models import AssessmentInformationTask, RiskAssessment
from referrals.services.assessment import FINALISED
from referrals.views.assessment import log_change, log_view
from referrals.views.common import save_form


def _draft_for_writing(request: AuthenticatedRequest, child_pk: str, pk: int) -> RiskAssessment:
    """A draft of the officer's agency: 404 if the officer may not open it, 403 if another
    agency's (one that asked the officer's agency to contribute)."""
    assessment = selectors.get_assessment_for(request.user, pk, child_pk=child_pk)
    if not selectors.is_assessor(request.user, assessment):
        raise PermissionDenied
    return assessment


@login_required
@require_http_methods(["GET", "POST"])
def assessment_invite(request: AuthenticatedRequest, child_pk: str, pk: int) -> HttpResponse:
    """The assessing agency asks agencies involved with the child for their contribution."""
    assessment = _draft_for_writing(request, child_pk, pk)
    if not assessment.is_draft:
        messages.info(request, FINALISED)
        return redirect(assessment)
    invited = {i.agency_id for i in selectors.invitations_of(assessment)}
    agencies = [
        a
        for a in selectors.involved_agencies(assessment.child)
        if a.pk != assessment.agency_id and a.pk not in invited
    ]
    form = InviteForm(request.POST or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_invite(
                assessment=assessment, by=request.user, agencies=list(form.cleaned_data["agencies"])
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            log_change(request, assessment, "contribution requested")
            messages.success(request, "The agencies you chose can now add their contribution.")
            return redirect(assessment)
    log_view(request, assessment, "ask for contributions")
    return render(
        request,
        "referrals/assessment/invite.html",
        {
            "assessment": assessment,
            "child": assessment.child,
            "form": form,
            "agencies": agencies,
            "invitations": selectors.invitations_of(assessment),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessment_contribute(request: AuthenticatedRequest, child_pk: str, pk: int) -> HttpResponse:
    """An officer of an agency asked to contribute (or of the assessing agency) adds what
    their agency knows, while the assessment is a draft."""
    assessment = selectors.get_assessment_for(request.user, pk, child_pk=child_pk)
    if not assessment.is_draft:
        return redirect(assessment)
    if not selectors.can_contribute(request.user, assessment):
        raise PermissionDenied
    form = ContributionForm(request.POST or None)
    if request.method == "POST":
        added = save_form(
            form,
            check=lambda: services.contribution_problems(form.cleaned_data.get("text") or ""),
            save=lambda: services.assessment_contribute(
                assessment=assessment,
                by=request.user,
                text=form.cleaned_data.get("text") or "",
                creation_key=form.cleaned_data.get("creation_key"),
            ),
        )
        if added is not None:
            log_change(request, assessment, "contribution added")
            language.stash_flags(
                request,
                language.flags_for_fields(
                    form.cleaned_data, {"text": "Your agency's contribution"}
                ),
            )
            messages.success(request, "Your agency's contribution has been added.")
            return redirect("referrals:assessment_contribute", child_pk=child_pk, pk=pk)
    log_view(request, assessment, "contribute")
    return render(
        request,
        "referrals/assessment/contribute.html",
        {
            "assessment": assessment,
            "child": assessment.child,
            "form": form,
            "contributions": selectors.contributions_of(assessment),
            "domains": list(assessment.tool.domains.order_by("position")),
            "is_assessor": selectors.is_assessor(request.user, assessment),
            "language_flags": language.pop_flags(request),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessment_information(request: AuthenticatedRequest, child_pk: str, pk: int) -> HttpResponse:
    """The information still needed for a sound judgement (G14): each piece, who will get it
    and by when. Recorded while the assessment is a draft."""
    assessment = _draft_for_writing(request, child_pk, pk)
    if not assessment.is_draft:
        return redirect(assessment)
    agencies = selectors.involved_agencies(assessment.child)
    form = InformationTaskForm(
        request.POST or None, agencies=agencies, officers=selectors.officers_of(agencies)
    )
    if request.method == "POST":
        added = save_form(
            form,
            check=lambda: services.task_problems(form.task(), assessment=assessment),
            save=lambda: services.assessment_task_add(
                assessment=assessment,
                by=request.user,
                task=form.task(),
                creation_key=form.cleaned_data.get("creation_key"),
            ),
        )
        if added is not None:
            log_change(request, assessment, "information task added")
            language.stash_flags(
                request,
                language.flags_for_fields(form.cleaned_data, {"information": "Information needed"}),
            )
            messages.success(request, "The information needed has been added.")
            return redirect("referrals:assessment_information", child_pk=child_pk, pk=pk)
    log_view(request, assessment, "information needed")
    return render(
        request,
        "referrals/assessment/information.html",
        {
            "assessment": assessment,
            "child": assessment.child,
            "form": form,
            "task_rows": [(t, False) for t in selectors.tasks_of(assessment)],
            "language_flags": language.pop_flags(request),
        },
    )


def _task_of(assessment: RiskAssessment, task_pk: int) -> AssessmentInformationTask:
    task = (
        AssessmentInformationTask.objects.filter(pk=task_pk, assessment=assessment)
        .select_related("responsible_agency", "responsible_officer", "responsible_officer__agency")
        .first()
    )
    if task is None:
        raise Http404("No such task.")
    task.assessment = assessment
    return task


@login_required
@require_http_methods(["GET", "POST"])
def assessment_task_remove(
    request: AuthenticatedRequest, child_pk: str, pk: int, task_pk: int
) -> HttpResponse:
    """Remove a piece of missing information from a draft (asked first)."""
    assessment = _draft_for_writing(request, child_pk, pk)
    task = _task_of(assessment, task_pk)
    if not assessment.is_draft:
        messages.info(request, FINALISED)
        return redirect(assessment)
    if request.method == "POST":
        services.assessment_task_remove(task=task, by=request.user)
        log_change(request, assessment, "information task removed")
        messages.success(request, "The information has been removed from the list.")
        return redirect("referrals:assessment_information", child_pk=child_pk, pk=pk)
    log_view(request, assessment, "remove information task")
    return render(
        request,
        "referrals/assessment/confirm_remove.html",
        {"assessment": assessment, "child": assessment.child, "task": task},
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessment_task_done(
    request: AuthenticatedRequest, child_pk: str, pk: int, task_pk: int
) -> HttpResponse:
    """Mark a piece of information got: by the assessing agency or whoever was to get it."""
    assessment = selectors.get_assessment_for(request.user, pk, child_pk=child_pk)
    task = _task_of(assessment, task_pk)
    if task.is_done or not assessment.is_finalised:
        return redirect(assessment)
    if not selectors.can_mark_task_done(request.user, task):
        raise PermissionDenied
    form = TaskDoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.assessment_task_done(
            task=task, by=request.user, note=form.cleaned_data.get("done_note") or ""
        )
        log_change(request, assessment, "information task done")
        language.stash_flags(
            request,
            language.flags_for_fields(form.cleaned_data, {"done_note": "What was found out"}),
        )
        messages.success(request, "The task has been marked as done.")
        return redirect(assessment)
    log_view(request, assessment, "mark task done")
    return render(
        request,
        "referrals/assessment/task_done.html",
        {"assessment": assessment, "child": assessment.child, "form": form, "task": task},
    )
