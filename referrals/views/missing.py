"""Pages of missing episodes (G33): all of a child's episodes, recording one, its page, the
return, the return interview, and an addendum.

The child is fetched through the door (`cse_portal.access.get_child_for`): an officer of an
agency not involved with the child gets 404, and so does an episode of another child. Every
agency involved with the child may record. Every page shown is logged, with an object type
starting "missing episode" and the episode's id (the child's, for the pages of all its
episodes), so the access history can tell of them (`referrals.history_missing`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cse_portal import language
from cse_portal.access import get_child_for
from cse_portal.audit import log_access
from cse_portal.lifecycle import ConcurrentEditError, conflict_message
from cse_portal.models import AccessLog, Child
from cse_portal.types import AuthenticatedRequest
from referrals import selectors_missing as selectors
from referrals.forms.missing import (
    ADDENDUM_TEXT_FIELDS,
    EPISODE_TEXT_FIELDS,
    INTERVIEW_TEXT_FIELDS,
    RETURN_TEXT_FIELDS,
    AddendumForm,
    EpisodeForm,
    InterviewForm,
    ReturnForm,
)
from referrals.models import MissingEpisode
from referrals.services import missing as services
from referrals.views.common import PER_PAGE, save_form

LOG_PREFIX = "missing episode"


def _log(
    request: AuthenticatedRequest,
    child: Child,
    what: str,
    object_id: object,
    action: AccessLog.Action = AccessLog.Action.VIEW,
    detail: str = "",
) -> None:
    log_access(request, action, child=child, object_type=what, object_id=object_id, detail=detail)


def _episode(request: AuthenticatedRequest, child_pk: str, pk: int) -> MissingEpisode:
    """The episode `pk` of the child, through the door: 404 unless the officer's agency is
    involved with the child and the episode is the child's."""
    child = get_child_for(request.user, child_pk, "view")
    episode = selectors.episodes_of_child(child).filter(pk=pk).first()
    if episode is None:
        raise Http404("No such missing episode.")
    episode.child = child  # the door's copy, with the child's authorities
    return episode


@login_required
@require_http_methods(["GET"])
def missing_list(request: AuthenticatedRequest, child_pk: str) -> HttpResponse:
    child = get_child_for(request.user, child_pk, "view")
    page = Paginator(selectors.episodes_of_child(child), PER_PAGE).get_page(request.GET.get("page"))
    _log(
        request,
        child,
        "missing episodes",
        child.pk,
        AccessLog.Action.LIST,
        detail=f"page {page.number}",
    )
    return render(
        request,
        "referrals/missing/list.html",
        {
            "child": child,
            "page_obj": page,
            "recent_count": selectors.missing_count(child),
            "days": selectors.RECENT_DAYS,
        },
    )


@login_required
@require_http_methods(["GET"])
def missing_detail(request: AuthenticatedRequest, child_pk: str, pk: int) -> HttpResponse:
    episode = _episode(request, child_pk, pk)
    _log(request, episode.child, LOG_PREFIX, episode.pk)
    return render(
        request,
        "referrals/missing/detail.html",
        {
            "child": episode.child,
            "episode": episode,
            "addenda": selectors.addenda_of(episode),
            "language_flags": language.pop_flags(request),
        },
    )


def _form_page(
    request: AuthenticatedRequest,
    child: Child,
    form: Any,
    *,
    title: str,
    log_as: str,
    object_id: object,
    episode: MissingEpisode | None = None,
) -> HttpResponse:
    _log(request, child, log_as, object_id)
    return render(
        request,
        "referrals/missing/form.html",
        {"child": child, "form": form, "title": title, "episode": episode},
    )


def _saved(
    request: AuthenticatedRequest,
    episode: MissingEpisode,
    form: Any,
    text_fields: Mapping[str, str],
    done: str,
) -> HttpResponse:
    language.stash_flags(request, language.flags_for_fields(form.cleaned_data, text_fields))
    messages.success(request, done)
    return redirect(episode)


@login_required
@require_http_methods(["GET", "POST"])
def missing_record(request: AuthenticatedRequest, child_pk: str) -> HttpResponse:
    officer = request.user
    child = get_child_for(officer, child_pk, "view")
    form = EpisodeForm(request.POST or None, child=child)
    if request.method == "POST":
        recorded = save_form(
            form,
            check=lambda: form.checked(services.report_problems(child, **form.answers())),
            save=lambda: services.missing_episode_record(
                child=child,
                by=officer,
                creation_key=form.cleaned_data.get("creation_key"),
                circumstances=form.cleaned_data.get("circumstances") or "",
                **form.answers(),
            ),
        )
        if recorded is not None:
            episode, _ = recorded
            return _saved(
                request,
                episode,
                form,
                EPISODE_TEXT_FIELDS,
                "The missing episode has been recorded.",
            )
    return _form_page(
        request,
        child,
        form,
        title="Record a missing episode",
        log_as=f"{LOG_PREFIX} (record)",
        object_id=child.pk,
    )


def _edit_open_episode(
    request: AuthenticatedRequest,
    episode: MissingEpisode,
    form: Any,
    *,
    check: Callable[[], Mapping[str, str]],
    save: Callable[[int], MissingEpisode],
    title: str,
    conflict: str,
) -> MissingEpisode | HttpResponse:
    """Show the form of a stage of an open episode, or save it (the saved episode). A save
    begun from the episode as it was before someone else's is refused, the text kept."""
    if request.method == "POST":
        try:
            saved = save_form(
                form, check=check, save=lambda: save(form.cleaned_data.get("version") or 0)
            )
        except ConcurrentEditError:
            form.add_error(None, conflict_message("missing episode", opening=conflict))
        else:
            if saved is not None:
                return saved
    return _form_page(
        request,
        episode.child,
        form,
        title=title,
        log_as=f"{LOG_PREFIX} ({title.lower()})",
        object_id=episode.pk,
        episode=episode,
    )


@login_required
@require_http_methods(["GET", "POST"])
def missing_return(request: AuthenticatedRequest, child_pk: str, pk: int) -> HttpResponse:
    episode = _episode(request, child_pk, pk)
    if request.method == "GET" and not episode.is_missing:
        messages.info(request, "The child's return has already been recorded.")
        return redirect(episode)
    form = ReturnForm(request.POST or None, initial={"version": episode.version})
    result = _edit_open_episode(
        request,
        episode,
        form,
        check=lambda: form.checked(services.return_problems(episode, **form.answers())),
        save=lambda version: services.missing_episode_record_return(
            episode=episode,
            by=request.user,
            expected_version=version,
            found_by=form.cleaned_data.get("found_by") or "",
            **form.answers(),
        ),
        title="Record the return",
        conflict="Someone else recorded the return of this child while you were writing it.",
    )
    if isinstance(result, HttpResponse):
        return result
    return _saved(
        request,
        result,
        form,
        RETURN_TEXT_FIELDS,
        "The return has been recorded. The return interview is due within 72 hours.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def missing_interview(request: AuthenticatedRequest, child_pk: str, pk: int) -> HttpResponse:
    episode = _episode(request, child_pk, pk)
    if request.method == "GET" and not episode.is_returned:
        messages.info(
            request,
            "Record the child's return first."
            if episode.is_missing
            else "The return interview has already been recorded.",
        )
        return redirect(episode)
    form = InterviewForm(
        request.POST or None, child=episode.child, initial={"version": episode.version}
    )
    result = _edit_open_episode(
        request,
        episode,
        form,
        check=lambda: form.checked(services.interview_problems(episode, **form.answers())),
        save=lambda version: services.missing_episode_record_interview(
            episode=episode, by=request.user, expected_version=version, **form.answers()
        ),
        title="Record the return interview",
        conflict="Someone else recorded the return interview while you were writing it.",
    )
    if isinstance(result, HttpResponse):
        return result
    return _saved(
        request, result, form, INTERVIEW_TEXT_FIELDS, "The return interview has been recorded."
    )


@login_required
@require_http_methods(["GET", "POST"])
def missing_addendum(request: AuthenticatedRequest, child_pk: str, pk: int) -> HttpResponse:
    episode = _episode(request, child_pk, pk)
    form = AddendumForm(request.POST or None)
    if request.method == "POST":
        added = save_form(
            form,
            check=lambda: services.addendum_problems(text=form.cleaned_data.get("text") or ""),
            save=lambda: services.missing_episode_add_addendum(
                episode=episode,
                by=request.user,
                text=form.cleaned_data.get("text") or "",
                creation_key=form.cleaned_data.get("creation_key"),
            ),
        )
        if added is not None:
            return _saved(
                request, episode, form, ADDENDUM_TEXT_FIELDS, "Your addendum has been added."
            )
    return _form_page(
        request,
        episode.child,
        form,
        title="Add a correction or addendum",
        log_as=f"{LOG_PREFIX} (addendum)",
        object_id=episode.pk,
        episode=episode,
    )
