"""Pages of the CSE2 risk assessment: starting one (from a referral, or as a reassessment), its
own page (the task list of the tool's domains while it is a draft; the record once finalised),
one page per domain, and checking the answers with the tool's suggestion beside the assessor's
judged level (G12–G16, G40). Contributions and information tasks: `assessment_work`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from cse_portal import language
from cse_portal.access import can_convene, get_child_for
from cse_portal.audit import log_access
from cse_portal.forms import add_validation_error
from cse_portal.lifecycle import ConcurrentEditError, conflict_message
from cse_portal.models import AccessLog
from cse_portal.types import AuthenticatedRequest
from referrals import assessment_selectors as selectors
from referrals import services
from referrals.assessment_progress import AnsweredDomain, Progress, progress_of, suggestion_snapshot
from referrals.assessment_prompts import hints_for, missing_prompt
from referrals.assessment_tools import tool_for
from referrals.forms.assessment import (
    AssessmentAnswersForm,
    AssessmentStartForm,
    JudgementForm,
    field_key,
    posted_items,
)
from referrals.models import RiskAssessment
from referrals.services.assessment import FINALISED, JUDGEMENT_TEXT_FIELDS
from referrals.views.common import save_form

# Every access-log row about an assessment has an object type starting "assessment" and the
# assessment's id, so the access history can leave out the rows about drafts the viewer
# cannot open (referrals.assessment_history).
LOG_PREFIX = "assessment"
CONCURRENT_EDIT = conflict_message(
    "assessment",
    opening="Someone else in your agency saved this assessment while you were working on it.",
)
JUST_FINALISED = "assessment_just_finalised"


def log_view(request: AuthenticatedRequest, assessment: RiskAssessment, what: str = "") -> None:
    log_access(
        request,
        AccessLog.Action.VIEW,
        child=assessment.child,
        object_type=f"{LOG_PREFIX} ({what})" if what else LOG_PREFIX,
        object_id=assessment.pk,
    )


def log_change(request: AuthenticatedRequest, assessment: RiskAssessment, what: str) -> None:
    log_access(
        request,
        AccessLog.Action.CHANGE,
        child=assessment.child,
        object_type=f"{LOG_PREFIX} ({what})",
        object_id=assessment.pk,
    )


def referral_context(assessment: RiskAssessment) -> dict[str, Any]:
    """The referral the assessment started from, with its indicators: context beside the
    questions (a sent referral of the child: every agency that sees the child may read it)."""
    referral = assessment.referral
    if referral is None:
        return {"referral": None, "referral_indicators": []}
    return {"referral": referral, "referral_indicators": list(referral.indicators.all())}


def domain_url(assessment: RiskAssessment, slug: str) -> str:
    answers = reverse(
        "referrals:assessment_answers",
        kwargs={"child_pk": assessment.child_id, "pk": assessment.pk},
    )
    return f"{answers}?domain={slug}"


@login_required
@require_http_methods(["GET", "POST"])
def assessment_start(request: AuthenticatedRequest, child_pk: str) -> HttpResponse:
    """What the assessment will use (the home authority's tool), from which referral, and a
    button that starts the draft."""
    child = get_child_for(request.user, child_pk, "view")
    officer = request.user
    referrals = selectors.referrals_to_start_from(child, officer)
    wanted = request.GET.get("referral", "")
    initial = {"referral": wanted} if wanted in {str(r.pk) for r in referrals} else {}
    form = AssessmentStartForm(request.POST or None, referrals=referrals, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_create(
                child=child,
                by=officer,
                referral=form.chosen_referral(),
                creation_key=form.cleaned_data.get("creation_key"),
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            log_change(request, assessment, "started")
            messages.success(
                request, "Your draft assessment has been started. Only your agency can see it."
            )
            return redirect(assessment)
    # No assessment exists yet: the row names none, so it is on no one's access history.
    log_access(request, AccessLog.Action.VIEW, child=child, object_type=f"{LOG_PREFIX} (start)")
    finalised = selectors.finalised_of_child(child, officer)
    return render(
        request,
        "referrals/assessment/start.html",
        {
            "form": form,
            "child": child,
            "tool": tool_for(child.home_authority),
            "draft": selectors.own_draft_of(child, officer),
            "latest": finalised[-1] if finalised else None,
        },
    )


@login_required
@require_http_methods(["GET"])
def assessment_detail(request: AuthenticatedRequest, child_pk: str, pk: int) -> HttpResponse:
    """A finalised assessment; a draft's task list for its agency; for an agency asked to
    contribute, the page to add its contribution."""
    assessment = selectors.get_assessment_for(request.user, pk, child_pk=child_pk)
    officer = request.user
    if assessment.is_draft and not selectors.is_assessor(officer, assessment):
        return redirect("referrals:assessment_contribute", child_pk=child_pk, pk=pk)
    log_view(request, assessment)
    progress = progress_of(assessment)
    contributions = selectors.contributions_of(assessment)
    tasks = selectors.tasks_of(assessment)
    context = {
        "assessment": assessment,
        "child": assessment.child,
        "progress": progress,
        "contributions": contributions,
        "agencies": selectors.contributing_agencies(assessment, contributions),
        "tasks": tasks,
        "person_links": selectors.person_links_of(assessment),
        "language_flags": language.pop_flags(request),
        **referral_context(assessment),
    }
    if assessment.is_draft:
        context["invitations"] = selectors.invitations_of(assessment)
        context["referral_persons"] = selectors.referral_persons_to_offer(assessment, officer)
        return render(request, "referrals/assessment/task_list.html", context)
    just_finalised = request.session.get(JUST_FINALISED) == assessment.pk
    if just_finalised:
        del request.session[JUST_FINALISED]
    context.update(
        {
            "suggestion": assessment.suggestion_detail,
            "task_rows": [(t, selectors.can_mark_task_done(officer, t)) for t in tasks],
            "just_finalised": just_finalised,
            "may_reassess": officer.agency_id is not None,
            # The access layer's rule (strategy_meetings links by URL name only).
            "may_convene": can_convene(officer) and selectors.leads_to_strategy_meeting(assessment),
        }
    )
    return render(request, "referrals/assessment/detail.html", context)


def _answers_page(
    request: AuthenticatedRequest,
    assessment: RiskAssessment,
    form: AssessmentAnswersForm,
    domain: AnsweredDomain | None,
    progress: Progress,
) -> HttpResponse:
    return render(
        request,
        "referrals/assessment/answers.html",
        {
            "assessment": assessment,
            "child": assessment.child,
            "form": form,
            "domain": domain,
            "position": progress.domains.index(domain) + 1 if domain else 0,
            "total": progress.total,
            "language_flags": language.pop_flags(request),
            **referral_context(assessment),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessment_answers(request: AuthenticatedRequest, child_pk: str, pk: int) -> HttpResponse:
    """One domain's page (`?domain=code`; without it, the first not yet completed). A post
    saves the indicators it answers; `domain` says which page to go on from."""
    assessment = selectors.get_assessment_for(request.user, pk, child_pk=child_pk)
    if not assessment.is_draft:
        messages.info(request, FINALISED)
        return redirect(assessment)
    if not selectors.can_write_draft(request.user, assessment):
        raise PermissionDenied
    progress = progress_of(assessment)
    prompt = missing_prompt(assessment)
    if request.method == "POST":
        domain = progress.domain(request.POST.get("domain", ""))
        items = posted_items(progress.items(), request.POST)
        form = AssessmentAnswersForm(
            request.POST,
            items=items,
            domain=domain.slug if domain else "",
            hints=hints_for(items, prompt),
        )
        saved = _save_answers(request, form, assessment, progress)
        if saved is not None:
            return saved
    else:
        slug = request.GET.get("domain", "")
        domain = progress.domain(slug) if slug else progress.first_to_do()
        if domain is None:
            raise Http404("No such domain.")
        form = AssessmentAnswersForm(
            initial={"version": assessment.version},
            items=domain.indicators,
            domain=domain.slug,
            hints=hints_for(domain.indicators, prompt),
        )
    log_view(request, assessment, f"domain {domain.slug}" if domain else "answers")
    return _answers_page(request, assessment, form, domain, progress)


def _save_answers(
    request: AuthenticatedRequest,
    form: AssessmentAnswersForm,
    assessment: RiskAssessment,
    progress: Progress,
) -> HttpResponse | None:
    """Save the posted answers and go on; None when the page is shown again with its errors."""
    if not form.is_valid():
        return None
    try:
        services.assessment_save_answers(
            assessment=assessment,
            by=request.user,
            answers=form.answer_inputs(),
            expected_version=form.cleaned_data.get("version") or 0,
        )
    except ConcurrentEditError:
        form.add_error(None, CONCURRENT_EDIT)
        return None
    except ValidationError as error:
        add_validation_error(form, error)
        return None
    language.stash_flags(request, language.flags_for_fields(form.cleaned_data, form.note_labels()))
    log_change(request, assessment, "answers saved")
    slug = form.cleaned_data.get("domain") or ""
    if "continue" in request.POST:
        after = progress.after(slug) if slug else None
        if after is not None:
            return redirect(domain_url(assessment, after.slug))
        return redirect(
            "referrals:assessment_finalise", child_pk=assessment.child_id, pk=assessment.pk
        )
    messages.success(request, "Your draft has been saved. Only your agency can see it.")
    return redirect(assessment)


@login_required
@require_http_methods(["GET", "POST"])
def assessment_finalise(request: AuthenticatedRequest, child_pk: str, pk: int) -> HttpResponse:
    """Check the answers, see the tool's suggestion and why beside your judged level (G40),
    and finalise."""
    assessment = selectors.get_assessment_for(request.user, pk, child_pk=child_pk)
    if not assessment.is_draft:
        return redirect(assessment)
    if not selectors.can_write_draft(request.user, assessment):
        raise PermissionDenied
    progress = progress_of(assessment)
    tasks = selectors.tasks_of(assessment)
    form = JudgementForm(
        request.POST or None, initial={"version": assessment.version}, outcomes=progress.outcomes
    )
    missing = progress.unanswered or progress.without_recency or progress.awaiting_check
    if missing:
        # "N indicators have no answer" takes the reader to the first one's Change link.
        form.error_summary_target = f"change-{field_key(missing[0].indicator)}"
    if request.method == "POST":
        done = _finalise(request, form, assessment, progress, len(tasks))
        if done is not None:
            return done
    log_view(request, assessment, "check answers")
    contributions = selectors.contributions_of(assessment)
    return render(
        request,
        "referrals/assessment/check.html",
        {
            "assessment": assessment,
            "child": assessment.child,
            "form": form,
            "progress": progress,
            "first_missing": missing[0] if missing else None,
            "first_missing_domain": progress.domain_of(missing[0]) if missing else None,
            "suggestion": suggestion_snapshot(progress.spec, progress.suggestion()),
            "tasks": tasks,
            "task_rows": [(t, False) for t in tasks],
            "person_links": selectors.person_links_of(assessment),
            "contributions": contributions,
            "agencies": selectors.contributing_agencies(assessment, contributions),
            "language_flags": language.pop_flags(request),
            **referral_context(assessment),
        },
    )


def _finalise(
    request: AuthenticatedRequest,
    form: JudgementForm,
    assessment: RiskAssessment,
    progress: Progress,
    task_count: int,
) -> HttpResponse | None:
    try:
        finalised = save_form(
            form,
            check=lambda: services.finalisation_problems(
                progress, form.judgement(), task_count=task_count
            ),
            save=lambda: services.assessment_finalise(
                assessment=assessment,
                by=request.user,
                judgement=form.judgement(),
                expected_version=form.cleaned_data.get("version") or 0,
            ),
        )
    except ConcurrentEditError:
        if RiskAssessment.objects.filter(pk=assessment.pk, status="finalised").exists():
            # Finalised by the other post of the same page (a double click): nothing is lost.
            messages.info(request, FINALISED)
            return redirect(assessment)
        form.add_error(None, CONCURRENT_EDIT)
        return None
    if finalised is None:
        return None
    log_change(request, finalised, "finalised")
    # G38: what the assessor wrote is read for the language prompt before the redirect.
    language.stash_flags(
        request, language.flags_for_fields(form.cleaned_data, JUDGEMENT_TEXT_FIELDS)
    )
    request.session[JUST_FINALISED] = finalised.pk
    return redirect(finalised)
