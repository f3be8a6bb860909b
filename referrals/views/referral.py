"""Pages of the CSE1 referral itself: starting it, its page, its details and places, sending
it, and the list of the referrals an agency has sent.

A referral is fetched through the door (`referrals.selectors`): an officer whose agency is
not involved with the child gets 404, as does anyone opening another agency's draft; only
the referring agency writes (403 for others).
"""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from cse_portal import language
from cse_portal.access import can_convene, get_child_for
from cse_portal.audit import log_access
from cse_portal.lifecycle import conflict_message
from cse_portal.models import AccessLog, Child, Officer
from cse_portal.types import AuthenticatedRequest
from referrals import selectors, services
from referrals.forms import PlaceForm, ReferralDetailsForm, SubmitForm, UnidentifiedChildForm
from referrals.models import Referral, ReferralPlace
from referrals.views.common import (
    PER_PAGE,
    draft_language_flags,
    log_view,
    posted,
    save_form,
    sent_notice,
)
from screening.models import Screening, ScreeningAnswer
from screening.selectors import present_answers, screening_for_referral

# --- Starting -------------------------------------------------------------------------------


def _screening_to_refer_from(
    officer: Officer, child: Child, screening_pk: str
) -> tuple[Screening, Referral | None]:
    """The officer's agency's screening of the child that concluded "refer" (else 404), and
    the referral already started from it, if any."""
    # ASCII digits only, at most 18 (a bigint): str.isdigit() also takes "²", which int()
    # refuses.
    if not re.fullmatch(r"[0-9]{1,18}", screening_pk):
        raise Http404("No screening to refer from.")
    screening = screening_for_referral(officer, child_pk=child.pk, screening_pk=screening_pk)
    if screening.agency_id != officer.agency_id:
        # The screening agency makes the referral its screening concluded on (G06).
        raise Http404("No screening to refer from.")
    existing = Referral.objects.filter(screening=screening, child=child).first()
    return screening, existing


@login_required
@require_http_methods(["GET", "POST"])
def referral_start(request: AuthenticatedRequest, child_pk: str) -> HttpResponse:
    officer = request.user
    child = get_child_for(officer, child_pk, "view")
    screening: Screening | None = None
    indicators: list[ScreeningAnswer] = []
    if screening_pk := request.GET.get("screening"):
        screening, existing = _screening_to_refer_from(officer, child, screening_pk)
        if existing is not None:
            messages.info(request, "A referral has already been started from this screening.")
            return redirect(existing)
        indicators = present_answers(screening)
    form = ReferralDetailsForm(posted(request), child=child)
    if request.method == "POST":
        started = save_form(
            form,
            check=lambda: services.details_problems(form.details()),
            save=lambda: services.referral_create(
                child=child,
                by=officer,
                creation_key=form.cleaned_data.get("creation_key"),
                data=form.details(),
                screening=screening,
            ),
        )
        if started is not None:
            referral, created = started
            if created:
                messages.success(request, "Your draft referral has been saved.")
            return redirect("referrals:persons", child_pk=child.pk, pk=referral.pk)
    # The page names the child, on a first view and on a refused POST alike.
    log_access(
        request,
        AccessLog.Action.VIEW,
        child=child,
        object_type="referral (start)",
        object_id=child.pk,
    )
    return render(
        request,
        "referrals/form.html",
        {
            "form": form,
            "child": child,
            "referral": None,
            "screening": screening,
            "indicators": indicators,
            # What the screening's "refer" path found in the screener's own words (G38).
            "language_flags": language.pop_flags(request),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_start_unidentified(request: AuthenticatedRequest) -> HttpResponse:
    officer = request.user
    if officer.agency is None:
        raise PermissionDenied
    form = UnidentifiedChildForm(
        posted(request), initial={"home_authority": officer.agency.local_authority_id}
    )
    if request.method == "POST" and form.is_valid():
        key = form.cleaned_data.get("creation_key")
        started = None
        if key is None:
            form.add_error(None, "Something went wrong with the form. Start again.")
        else:
            started = save_form(
                form,
                save=lambda: services.referral_create_for_unidentified_child(
                    by=officer, child_data=form.child_data(), creation_key=key
                ),
            )
        if started is not None:
            referral, _ = started
            language.stash_flags(
                request, language.flags_for_form(form, ["description", "places", "associates"])
            )
            messages.success(
                request,
                "A record has been made for the child, who is not yet identified. "
                "Now describe the concern.",
            )
            return redirect("referrals:edit", child_pk=referral.child_id, pk=referral.pk)
    return render(request, "referrals/unidentified.html", {"form": form})


# --- The referral page and the draft --------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def referral_detail(request: AuthenticatedRequest, child_pk: str, pk: int) -> HttpResponse:
    officer = request.user
    referral = selectors.get_referral_for(officer, pk, child_pk=child_pk)
    log_view(request, referral)
    contents = selectors.referral_contents(referral)
    is_referrer = selectors.is_referrer(officer, referral)
    flags = language.pop_flags(request)
    if referral.is_draft and is_referrer:
        flags.update(draft_language_flags(referral, contents))
    return render(
        request,
        "referrals/detail.html",
        {
            "referral": referral,
            "child": referral.child,
            **contents,
            "is_referrer": is_referrer,
            "is_receiving_csc": selectors.is_receiving_csc(officer, referral),
            # The access layer's rule (the meeting's page is strategy_meetings').
            "may_convene": can_convene(officer) and selectors.leads_to_strategy_meeting(referral),
            "problems": services.submission_problems(referral) if referral.is_draft else {},
            "language_flags": flags,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_edit(request: AuthenticatedRequest, child_pk: str, pk: int) -> HttpResponse:
    referral = selectors.get_referral_for_writing(request.user, pk, child_pk=child_pk)
    if not referral.is_draft:
        return sent_notice(request, referral)
    form = ReferralDetailsForm(posted(request), referral=referral, child=referral.child)
    if request.method == "POST":
        try:
            saved = save_form(
                form,
                check=lambda: services.details_problems(form.details()),
                save=lambda: services.referral_update(
                    referral=referral,
                    by=request.user,
                    data=form.details(),
                    expected_version=form.cleaned_data.get("version") or 0,
                ),
            )
        except services.ConcurrentEditError:
            form.add_error(None, conflict_message("referral"))
        else:
            if saved is not None:
                messages.success(request, "The referral's details have been saved.")
                return redirect("referrals:persons", child_pk=referral.child_id, pk=referral.pk)
    log_view(request, referral, "referral (edit)")
    return render(
        request,
        "referrals/form.html",
        {
            "form": form,
            "child": referral.child,
            "referral": referral,
            "language_flags": language.pop_flags(request),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_places(request: AuthenticatedRequest, child_pk: str, pk: int) -> HttpResponse:
    referral = selectors.get_referral_for_writing(request.user, pk, child_pk=child_pk)
    if not referral.is_draft:
        return sent_notice(request, referral)
    form = PlaceForm(posted(request))
    if request.method == "POST":
        place = save_form(
            form,
            check=lambda: services.place_problems(form.place_data()),
            save=lambda: services.referral_place_add(
                referral=referral,
                by=request.user,
                data=form.place_data(),
                creation_key=form.cleaned_data.get("creation_key"),
            ),
        )
        if place is not None:
            messages.success(request, f"{place} has been added.")
            return redirect("referrals:places", child_pk=referral.child_id, pk=referral.pk)
    log_view(request, referral, "referral (places of concern)")
    contents = selectors.referral_contents(referral)
    return render(
        request,
        "referrals/places.html",
        {
            "referral": referral,
            "child": referral.child,
            "form": form,
            **contents,
            "language_flags": draft_language_flags(referral, contents),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_place_remove(
    request: AuthenticatedRequest, child_pk: str, pk: int, place_pk: int
) -> HttpResponse:
    referral = selectors.get_referral_for_writing(request.user, pk, child_pk=child_pk)
    place = ReferralPlace.objects.filter(referral=referral, pk=place_pk).first()
    if place is None:
        raise Http404("No such place on this referral.")
    if not referral.is_draft:
        return sent_notice(request, referral)
    if request.method == "POST":
        services.referral_place_remove(place=place, by=request.user)
        messages.success(request, f"{place} has been removed from the referral.")
        return redirect("referrals:places", child_pk=referral.child_id, pk=referral.pk)
    log_view(request, referral, "referral (remove place)")
    return render(
        request,
        "referrals/confirm_remove.html",
        {
            "referral": referral,
            "child": referral.child,
            "what": str(place),
            "back": reverse(
                "referrals:places", kwargs={"child_pk": referral.child_id, "pk": referral.pk}
            ),
        },
    )


# --- Sending --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def referral_submit(request: AuthenticatedRequest, child_pk: str, pk: int) -> HttpResponse:
    referral = selectors.get_referral_for_writing(request.user, pk, child_pk=child_pk)
    form = SubmitForm(posted(request))
    if request.method == "POST":
        if not form.is_valid() and not referral.is_draft:
            return sent_notice(request, referral)
        result = save_form(
            form,
            save=lambda: services.referral_submit(
                referral=referral,
                by=request.user,
                submission_key=form.cleaned_data["submission_key"],
            ),
        )
        if result is not None:
            if result.newly_sent:
                messages.success(
                    request,
                    f"Your referral has been sent to {result.referral.to_agency}. They will "
                    "confirm in writing that they have received it.",
                )
            else:
                messages.info(request, "This referral had already been sent.")
            return redirect(result.referral)
    elif not referral.is_draft:
        return sent_notice(request, referral)
    log_view(request, referral, "referral (send)")
    problems = services.submission_problems(referral)
    if problems:
        # The page offers "Complete the referral" instead of the button.
        form.error_summary_target = "complete-referral"
    contents = selectors.referral_contents(referral)
    return render(
        request,
        "referrals/submit.html",
        {
            "referral": referral,
            "child": referral.child,
            "form": form,
            "csc": referral.child.home_authority.childrens_social_care,
            "problems": problems,
            **contents,
            # The last look before sending: everything the draft says, the notes carried over
            # from the screening included (G38).
            "language_flags": draft_language_flags(referral, contents),
        },
    )


@login_required
@require_http_methods(["GET"])
def referral_sent_list(request: AuthenticatedRequest) -> HttpResponse:
    page = Paginator(selectors.sent_by_agency_of(request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    log_access(
        request, AccessLog.Action.LIST, object_type="referrals sent", detail=f"page {page.number}"
    )
    return render(request, "referrals/sent.html", {"page_obj": page})
