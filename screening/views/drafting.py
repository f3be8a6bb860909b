"""Drafting a screening: the start page, the task list of the nine SAFEGUARD headings, one
page per heading (save and continue to the next), and the screener's list of drafts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cse_portal import language
from cse_portal.access import get_child_for
from cse_portal.audit import log_access
from cse_portal.forms import add_validation_error
from cse_portal.models import AccessLog, Child
from cse_portal.types import AuthenticatedRequest
from screening import selectors, services
from screening.forms import ScreeningAnswersForm, field_key, posted_headings
from screening.models import Screening
from screening.selectors import AnsweredHeading, CatalogueHeading, can_write_draft
from screening.views.common import CONCURRENT_EDIT, LOG_PREFIX, log_change, log_view, section_url


def _note_flags(form: ScreeningAnswersForm) -> dict[str, list[language.LanguageFlag]]:
    """Language prompts (G38) for the notes just saved, keyed by a label naming the indicator."""
    labels = {f"note_{field_key(i)}": f"Note on “{i.text}”" for i in form.indicators}
    return language.flags_for_fields(form.cleaned_data, labels)


def _after_save(
    request: AuthenticatedRequest,
    form: ScreeningAnswersForm,
    screening: Screening,
    *,
    started: bool = False,
) -> HttpResponse:
    language.stash_flags(request, _note_flags(form))
    log_change(request, screening, "started" if started else "answers saved")
    slug = form.cleaned_data.get("section") or ""
    if "continue" in request.POST:
        after = selectors.section_after(screening.catalogue, slug) if slug else None
        if after is not None:
            return redirect(section_url(screening, after))
        return redirect("screening:submit", child_pk=screening.child_id, pk=screening.pk)
    if started and not form.indicators:
        messages.success(
            request,
            "Your draft screening has been started. Only your agency can see it.",
        )
    else:
        messages.success(request, "Your draft has been saved. Only your agency can see it.")
    return redirect(screening)


@login_required
@require_http_methods(["GET", "POST"])
def screening_new(request: AuthenticatedRequest, child_pk: str) -> HttpResponse:
    """The start page: what the screening asks, and a button that starts the draft. A post
    of answers (any of the indicators) starts the draft with them."""
    child = get_child_for(request.user, child_pk, "view")
    catalogue = selectors.current_catalogue()
    headings = selectors.headings_with_indicators(catalogue)
    posted = posted_headings(headings, request.POST) if request.method == "POST" else []
    form = ScreeningAnswersForm(request.POST or None, headings=posted, start=True)
    if request.method == "POST" and form.is_valid():
        try:
            screening = services.screening_create(
                child=child,
                by=request.user,
                answers=form.answer_inputs(),
                catalogue=catalogue,
                creation_key=form.cleaned_data.get("creation_key"),
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            return _after_save(request, form, screening, started=True)
    # No screening exists yet: the row names none, and so is shown on no one's access
    # history (it would tell other agencies that a private draft was being started).
    log_access(request, AccessLog.Action.VIEW, child=child, object_type=f"{LOG_PREFIX} (start)")
    if posted:
        return _render_answers(request, form, child, None)
    return render(
        request,
        "screening/start.html",
        {"form": form, "child": child, "headings": headings},
    )


def _render_answers(
    request: AuthenticatedRequest,
    form: ScreeningAnswersForm,
    child: Child,
    screening: Screening | None,
    section: AnsweredHeading | None = None,
    position: int = 0,
    total: int = 0,
) -> HttpResponse:
    return render(
        request,
        "screening/answers.html",
        {
            "form": form,
            "child": child,
            "screening": screening,
            "section": section,
            "position": position,
            "total": total,
            "language_flags": language.pop_flags(request),
        },
    )


def _section_form(
    screening: Screening, section: AnsweredHeading, data: object = None
) -> ScreeningAnswersForm:
    indicators = [item.indicator for item in section.indicators]
    answers = {item.indicator.pk: item.answer for item in section.indicators if item.answer}
    initial = {
        "version": screening.version,
        **ScreeningAnswersForm.initial_from(answers, indicators),
    }
    return ScreeningAnswersForm(
        data,
        headings=[CatalogueHeading(heading=section.heading, indicators=indicators)],
        section=section.slug,
        initial=initial,
    )


@login_required
@require_http_methods(["GET", "POST"])
def screening_edit(request: AuthenticatedRequest, child_pk: str, pk: int) -> HttpResponse:
    """One heading's page (`?section=s`; without it, the first heading not yet completed).
    A post saves the indicators it answers, whichever they are (a heading's page posts its
    own; `section` says which page to go on from)."""
    screening = selectors.get_screening_for(request.user, pk, child_pk=child_pk)
    if not screening.is_draft:
        messages.info(request, "This screening has been submitted and can no longer be changed.")
        return redirect(screening)
    if not can_write_draft(request.user, screening):
        raise PermissionDenied
    progress = selectors.progress_of(screening)
    if request.method == "POST":
        section = progress.section(request.POST.get("section", ""))
        form = ScreeningAnswersForm(
            request.POST,
            headings=posted_headings(progress.catalogue_headings(), request.POST),
            section=section.slug if section else "",
        )
        saved = _save(request, form, screening)
        if saved is not None:
            return saved
    else:
        slug = request.GET.get("section", "")
        section = progress.section(slug) if slug else progress.first_to_do()
        if section is None:
            raise Http404("No such section.")
        form = _section_form(screening, section)
    log_view(request, screening, f"section {section.heading.code}" if section else "answers")
    position = progress.sections.index(section) + 1 if section else 0
    return _render_answers(
        request, form, screening.child, screening, section, position, progress.total
    )


def _save(
    request: AuthenticatedRequest, form: ScreeningAnswersForm, screening: Screening
) -> HttpResponse | None:
    """Save the posted answers; None when the page is shown again with its errors."""
    if not form.is_valid():
        return None
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
    return None


@login_required
@require_http_methods(["GET"])
def drafts(request: AuthenticatedRequest) -> HttpResponse:
    """The officer's own draft screenings, to carry on with."""
    screenings = list(selectors.drafts_started_by(request.user))
    log_access(
        request,
        AccessLog.Action.LIST,
        object_type="screenings: your drafts",
        detail=f"{len(screenings)} screenings",
    )
    return render(request, "screening/drafts.html", {"screenings": screenings})
