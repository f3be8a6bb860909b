"""Pages of the shared core: the agency's children, a child's record, sharing, access history."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cse_portal import language, sections, selectors, services
from cse_portal.access import can_see_audit, get_child_for
from cse_portal.audit import log_access
from cse_portal.forms import ChildForm, ChildSearchForm, ShareForm, add_validation_error
from cse_portal.lifecycle import conflict_message
from cse_portal.models import AccessLog, Child
from cse_portal.types import AuthenticatedRequest

# The search text is kept in the session, never in the URL: names of children must not
# end up in browser history, proxy logs or Referer headers.
SEARCH_SESSION_KEY = "child_search"
CHILDREN_PER_PAGE = 25


@login_required
@require_http_methods(["GET", "POST"])
def child_list(request: AuthenticatedRequest) -> HttpResponse:
    if request.method == "POST":
        if "clear" in request.POST:
            request.session.pop(SEARCH_SESSION_KEY, None)
            return redirect("children:list")
        form = ChildSearchForm(request.POST)
        if form.is_valid():
            request.session[SEARCH_SESSION_KEY] = form.cleaned_data["q"].strip()
            return redirect("children:list")
    else:
        form = ChildSearchForm(initial={"q": request.session.get(SEARCH_SESSION_KEY, "")})
    search = request.session.get(SEARCH_SESSION_KEY, "")
    page = selectors.child_list_page(
        request.user, search=search, number=request.GET.get("page"), per_page=CHILDREN_PER_PAGE
    )
    log_access(
        request,
        AccessLog.Action.SEARCH if search else AccessLog.Action.LIST,
        object_type="children list",
        detail=f"search ({len(search)} characters), page {page.number}"
        if search
        else f"page {page.number}",
    )
    return render(
        request,
        "children/list.html",
        {"form": form, "page_obj": page, "search": search, "total": page.paginator.count},
    )


@login_required
@require_http_methods(["GET", "POST"])
def child_add(request: AuthenticatedRequest) -> HttpResponse:
    officer = request.user
    form = ChildForm(
        request.POST or None,
        initial={"home_authority": officer.agency.local_authority_id if officer.agency else None},
    )
    duplicates: list[Child] = []
    if request.method == "POST" and form.is_valid():
        duplicates = _unconfirmed_duplicates(request, form)
        if not duplicates:
            try:
                child = services.child_create(
                    by=officer,
                    data=form.child_data(),
                    creation_key=form.cleaned_data.get("creation_key"),
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                language.stash_flags(request, _child_language_flags(form))
                messages.success(request, f"{child.display_name} has been added.")
                return redirect(child)
    return render(
        request,
        "children/form.html",
        {
            "form": form,
            "child": None,
            "duplicates": duplicates,
            "duplicate_ids": ",".join(str(c.pk) for c in duplicates),
        },
    )


def _unconfirmed_duplicates(request: AuthenticatedRequest, form: ChildForm) -> list[Child]:
    """Children the officer may see who may be the child being added, unless the officer has
    said (the button under the warning) that it is a different child from each of them.
    Showing them is a view of their names, so each is logged."""
    data = form.cleaned_data
    duplicates = selectors.possible_duplicates_for(
        request.user,
        first_name=data.get("first_name", ""),
        last_name=data.get("last_name", ""),
        date_of_birth=data.get("date_of_birth"),
        approximate_age=data.get("approximate_age"),
        creation_key=data.get("creation_key"),
    )
    confirmed = set(request.POST.get("different_from", "").split(","))
    if {str(c.pk) for c in duplicates} <= confirmed:
        return []
    for child in duplicates:
        log_access(
            request,
            AccessLog.Action.VIEW,
            child=child,
            object_type="child record (possible duplicate)",
            object_id=child.pk,
            detail="shown while adding a child with the same name",
        )
    return duplicates


# Free text a practitioner writes on the child's record and when sharing it: checked by the
# language prompt (G38) after the save, which it never blocks.
CHILD_TEXT_FIELDS = ("known_as", "description", "address", "host_cse_lead_contact")
SHARE_TEXT_FIELDS = ("reason",)


def _child_language_flags(form: ChildForm) -> dict[str, list[language.LanguageFlag]]:
    return language.flags_for_form(form, CHILD_TEXT_FIELDS)


@login_required
@require_http_methods(["GET"])
def child_detail(request: AuthenticatedRequest, child_pk: str) -> HttpResponse:
    child = get_child_for(request.user, child_pk, "view")
    log_access(
        request, AccessLog.Action.VIEW, child=child, object_type="child record", object_id=child.pk
    )
    child = selectors.child_with_involvements(child)
    return render(
        request,
        "children/detail.html",
        {
            "child": child,
            "involvements": child.involvements.all(),
            "can_see_audit": can_see_audit(request.user, child),
            "sections": sections.registry.render_list(child, request.user),
            "language_flags": language.pop_flags(request),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def child_edit(request: AuthenticatedRequest, child_pk: str) -> HttpResponse:
    child = get_child_for(request.user, child_pk, "change")
    # The form writes what was posted onto its instance; the page's heading and the service
    # keep the record as stored.
    form = ChildForm(request.POST or None, instance=copy.copy(child))
    if request.method == "POST" and form.is_valid():
        expected = form.cleaned_data.get("version") or 0
        try:
            services.child_update(
                child=child,
                by=request.user,
                data=form.child_data(),
                expected_version=expected,
            )
        except services.ConcurrentEditError:
            form.add_error(None, conflict_message("record"))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            log_access(
                request,
                AccessLog.Action.CHANGE,
                child=child,
                object_type="child record",
                object_id=child.pk,
            )
            language.stash_flags(request, _child_language_flags(form))
            messages.success(request, "The child's details have been saved.")
            return redirect(child)
    # The form shows the child's name and details: on first view and on every re-display.
    log_access(
        request,
        AccessLog.Action.VIEW,
        child=child,
        object_type="child record (edit)",
        object_id=child.pk,
    )
    return render(request, "children/form.html", {"form": form, "child": child})


@login_required
@require_http_methods(["GET", "POST"])
def child_share(request: AuthenticatedRequest, child_pk: str) -> HttpResponse:
    child = get_child_for(request.user, child_pk, "share")
    form = ShareForm(request.POST or None, child=child)
    if request.method == "POST" and form.is_valid():
        agency = form.cleaned_data["agency"]
        try:
            share, made = services.child_share(
                child=child,
                agency=agency,
                by=request.user,
                reason=form.cleaned_data["reason"],
                share_key=form.cleaned_data.get("share_key"),
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            if made:  # a copy of a form that shared a moment ago logs no second share
                log_access(
                    request,
                    AccessLog.Action.SHARE,
                    child=child,
                    object_type="child record",
                    object_id=child.pk,
                    detail=f"shared with {agency}",
                )
                language.stash_flags(request, language.flags_for_form(form, SHARE_TEXT_FIELDS))
            messages.success(request, f"The record has been shared with {share.agency}.")
            return redirect(child)
    if request.method == "POST" and (answer := _shared_already(request, child)):
        # This form has shared already (sent again, or a copy sent at the same moment): the
        # agency it shared with is no longer a choice, so this copy failed to validate.
        return answer
    log_access(
        request,
        AccessLog.Action.VIEW,
        child=child,
        object_type="child record (share)",
        object_id=child.pk,
    )
    return render(request, "children/share.html", {"form": form, "child": child})


def _shared_already(request: AuthenticatedRequest, child: Child) -> HttpResponse | None:
    """The answer to a share form that has shared already (sent twice): the record, saying so."""
    earlier = selectors.share_made_with_key(child, request.user, request.POST.get("share_key"))
    if earlier is None:
        return None
    messages.success(request, f"The record has been shared with {earlier.agency}.")
    return redirect(child)


@login_required
@require_http_methods(["GET"])
def child_audit(request: AuthenticatedRequest, child_pk: str) -> HttpResponse:
    child = get_child_for(request.user, child_pk, "audit")
    log_access(
        request,
        AccessLog.Action.VIEW,
        child=child,
        object_type="access history",
        object_id=child.pk,
    )
    officer = request.user
    rows = selectors.access_log_for(child, officer)
    views_page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "children/audit.html",
        {
            "child": child,
            "page_obj": views_page,
            "history": selectors.change_history_for(child, officer),
        },
    )
