"""Pages of the CSE1 referral: writing and sending it, and CSC's work tray and response.

Every referral is fetched through `referrals.selectors.get_referral_for` (the access layer):
an officer whose agency is not involved with the child gets 404, as does anyone opening
another agency's draft. Who may then *act* (the referring agency on a draft, the receiving
CSC on a sent referral) is checked next, answering 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from cse_portal import language
from cse_portal.access import get_child_for
from cse_portal.audit import log_access
from cse_portal.forms import add_validation_error
from cse_portal.models import AccessLog, Officer
from cse_portal.types import AuthenticatedRequest
from referrals import selectors, services
from referrals.forms import (
    DETAIL_TEXT_FIELDS,
    AcknowledgementForm,
    DecisionForm,
    LookedAfterNoticeForm,
    PersonOfConcernForm,
    PlaceForm,
    ReferralDetailsForm,
    SubmitForm,
    UnidentifiedChildForm,
)
from referrals.models import PersonLink, Referral, ReferralPlace

PER_PAGE = 25


def _log(request: AuthenticatedRequest, referral: Referral, what: str = "referral") -> None:
    log_access(
        request,
        AccessLog.Action.VIEW,
        child=referral.child,
        object_type=what,
        object_id=referral.pk,
    )


def _draft_for_writing(request: AuthenticatedRequest, child_pk: object, pk: object) -> Referral:
    """A referral of the officer's own agency (404 if not visible, 403 if another agency's)."""
    referral = selectors.get_referral_for(request.user, pk, child_pk=child_pk)
    if referral.referring_agency_id != request.user.agency_id:
        raise PermissionDenied
    return referral


def _sent_notice(request: AuthenticatedRequest, referral: Referral) -> HttpResponse:
    messages.info(request, "This referral has been sent and can no longer be changed.")
    return redirect(referral)


def _draft_language_flags(
    referral: Referral, person_links: list[PersonLink], places: list[ReferralPlace]
) -> dict[str, list[language.LanguageFlag]]:
    """G38 prompts for everything a draft says, for the agency still writing it."""
    flags = language.flags_for_fields(
        {name: getattr(referral, name) for name in DETAIL_TEXT_FIELDS}, DETAIL_TEXT_FIELDS
    )
    for link in person_links:
        person = link.person
        texts = {
            f"{person.display_name}: description": person.description,
            f"{person.display_name}: connection to the child": link.relationship_to_child,
        }
        flags.update(language.flags_for_fields(texts, list(texts)))
    for place in places:
        flags.update(
            language.flags_for_fields({f"Place {place}": place.description}, [f"Place {place}"])
        )
    return flags


# --- Starting -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def referral_start(request: AuthenticatedRequest, child_pk: str) -> HttpResponse:
    officer = request.user
    child = get_child_for(officer, child_pk, "view")
    screening = None
    indicators: list[Any] = []
    screening_pk = request.GET.get("screening")
    if screening_pk:
        if not screening_pk.isdigit():
            raise Http404("No screening to refer from.")
        from screening.selectors import present_answers, screening_for_referral

        screening = screening_for_referral(officer, child_pk=child.pk, screening_pk=screening_pk)
        if screening.agency_id != officer.agency_id:
            # The screening agency makes the referral its screening concluded on (G06).
            raise Http404("No screening to refer from.")
        existing = Referral.objects.filter(screening=screening).first()
        if existing is not None and existing.child_id == child.pk:
            messages.info(request, "A referral has already been started from this screening.")
            return redirect(existing)
        indicators = present_answers(screening)
    form = ReferralDetailsForm(request.POST or None, child=child)
    if request.method == "GET":
        log_access(
            request,
            AccessLog.Action.VIEW,
            child=child,
            object_type="referral (start)",
            object_id=child.pk,
        )
    if request.method == "POST" and form.is_valid():
        try:
            referral, created = services.referral_create(
                child=child,
                by=officer,
                creation_key=form.cleaned_data.get("creation_key"),
                data=form.details(),
                screening=screening,
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            if created:
                messages.success(request, "Your draft referral has been saved.")
            return redirect("referrals:persons", child_pk=child.pk, pk=referral.pk)
    return render(
        request,
        "referrals/form.html",
        {
            "form": form,
            "child": child,
            "referral": None,
            "screening": screening,
            "indicators": indicators,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_start_unidentified(request: AuthenticatedRequest) -> HttpResponse:
    officer = request.user
    if officer.agency is None:
        raise PermissionDenied
    form = UnidentifiedChildForm(
        request.POST or None, initial={"home_authority": officer.agency.local_authority_id}
    )
    if request.method == "POST" and form.is_valid():
        key = form.cleaned_data.get("creation_key")
        if key is None:
            form.add_error(None, "Something went wrong with the form. Start again.")
        else:
            try:
                referral, _ = services.referral_create_for_unidentified_child(
                    by=officer, child_data=form.child_data(), creation_key=key
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                language.stash_flags(
                    request,
                    language.flags_for_form(form, ["description", "places", "associates"]),
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
    _log(request, referral)
    contents = selectors.referral_contents(referral)
    is_referrer = referral.referring_agency_id == officer.agency_id
    is_receiving_csc = referral.is_submitted and referral.to_agency_id == officer.agency_id
    flags = language.pop_flags(request)
    if referral.is_draft and is_referrer:
        flags.update(_draft_language_flags(referral, contents["person_links"], contents["places"]))
    return render(
        request,
        "referrals/detail.html",
        {
            "referral": referral,
            "child": referral.child,
            **contents,
            "is_referrer": is_referrer,
            "is_receiving_csc": is_receiving_csc,
            "problems": services.submission_problems(referral) if referral.is_draft else {},
            "language_flags": flags,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_edit(request: AuthenticatedRequest, child_pk: str, pk: int) -> HttpResponse:
    referral = _draft_for_writing(request, child_pk, pk)
    if not referral.is_draft:
        return _sent_notice(request, referral)
    form = ReferralDetailsForm(request.POST or None, instance=referral, child=referral.child)
    if request.method == "GET":
        _log(request, referral, "referral (edit)")
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_update(
                referral=referral,
                by=request.user,
                data=form.details(),
                expected_version=form.cleaned_data.get("version") or 0,
            )
        except services.ConcurrentEditError:
            form.add_error(
                None,
                "Someone else saved changes to this referral while you were editing it. Your "
                "changes have not been saved and are shown below: open the referral in a new "
                "tab to see the latest version, then make your changes again.",
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, "The referral's details have been saved.")
            return redirect("referrals:persons", child_pk=referral.child_id, pk=referral.pk)
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


def _person_page(
    request: AuthenticatedRequest, referral: Referral, form: Any, place_form: Any = None
) -> HttpResponse:
    contents = selectors.referral_contents(referral)
    return render(
        request,
        "referrals/persons.html",
        {
            "referral": referral,
            "child": referral.child,
            "form": form,
            **contents,
            "language_flags": _draft_language_flags(
                referral,
                contents["person_links"],
                contents["places"],
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_persons(request: AuthenticatedRequest, child_pk: str, pk: int) -> HttpResponse:
    """Persons of concern: the ones added so far, and a form to add another (no JavaScript
    needed: each person is one POST, then the page comes back with the list)."""
    referral = _draft_for_writing(request, child_pk, pk)
    if not referral.is_draft:
        return _sent_notice(request, referral)
    form = PersonOfConcernForm(request.POST or None)
    if request.method == "GET":
        _log(request, referral, "referral (persons of concern)")
    if request.method == "POST" and form.is_valid():
        try:
            link = services.referral_person_add(
                referral=referral,
                by=request.user,
                data=form.person_data(),
                relationship_to_child=form.cleaned_data.get("relationship_to_child", ""),
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, f"{link.person.display_name} has been added.")
            return redirect("referrals:persons", child_pk=referral.child_id, pk=referral.pk)
    return _person_page(request, referral, form)


def _link_of(referral: Referral, link_pk: int) -> PersonLink:
    link = (
        PersonLink.objects.filter(referral=referral, pk=link_pk)
        .select_related("person", "referral")
        .first()
    )
    if link is None:
        raise Http404("No such person on this referral.")
    return link


@login_required
@require_http_methods(["GET", "POST"])
def referral_person_edit(
    request: AuthenticatedRequest, child_pk: str, pk: int, link_pk: int
) -> HttpResponse:
    referral = _draft_for_writing(request, child_pk, pk)
    link = _link_of(referral, link_pk)
    if not referral.is_draft:
        return _sent_notice(request, referral)
    form = PersonOfConcernForm(
        request.POST or None,
        instance=link.person,
        initial={"relationship_to_child": link.relationship_to_child},
    )
    if request.method == "GET":
        _log(request, referral, "referral (person of concern)")
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_person_update(
                link=link,
                by=request.user,
                data=form.person_data(),
                relationship_to_child=form.cleaned_data.get("relationship_to_child", ""),
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, "The person's details have been saved.")
            return redirect("referrals:persons", child_pk=referral.child_id, pk=referral.pk)
    return render(
        request,
        "referrals/person_form.html",
        {"form": form, "referral": referral, "child": referral.child, "link": link},
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_person_remove(
    request: AuthenticatedRequest, child_pk: str, pk: int, link_pk: int
) -> HttpResponse:
    referral = _draft_for_writing(request, child_pk, pk)
    link = _link_of(referral, link_pk)
    if not referral.is_draft:
        return _sent_notice(request, referral)
    if request.method == "POST":
        name = link.person.display_name
        try:
            services.referral_person_remove(link=link, by=request.user)
        except ValidationError as error:
            messages.info(request, " ".join(error.messages))
        else:
            messages.success(request, f"{name} has been removed from the referral.")
        return redirect("referrals:persons", child_pk=referral.child_id, pk=referral.pk)
    _log(request, referral, "referral (remove person)")
    return render(
        request,
        "referrals/confirm_remove.html",
        {
            "referral": referral,
            "child": referral.child,
            "what": link.person.display_name,
            "back": reverse(
                "referrals:persons", kwargs={"child_pk": referral.child_id, "pk": referral.pk}
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_places(request: AuthenticatedRequest, child_pk: str, pk: int) -> HttpResponse:
    referral = _draft_for_writing(request, child_pk, pk)
    if not referral.is_draft:
        return _sent_notice(request, referral)
    form = PlaceForm(request.POST or None)
    if request.method == "GET":
        _log(request, referral, "referral (places of concern)")
    if request.method == "POST" and form.is_valid():
        try:
            place = services.referral_place_add(
                referral=referral,
                by=request.user,
                data={k: form.cleaned_data.get(k, "") for k in services.PLACE_FIELDS},
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, f"{place} has been added.")
            return redirect("referrals:places", child_pk=referral.child_id, pk=referral.pk)
    contents = selectors.referral_contents(referral)
    return render(
        request,
        "referrals/places.html",
        {
            "referral": referral,
            "child": referral.child,
            "form": form,
            **contents,
            "language_flags": _draft_language_flags(
                referral, contents["person_links"], contents["places"]
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_place_remove(
    request: AuthenticatedRequest, child_pk: str, pk: int, place_pk: int
) -> HttpResponse:
    referral = _draft_for_writing(request, child_pk, pk)
    place = ReferralPlace.objects.filter(referral=referral, pk=place_pk).first()
    if place is None:
        raise Http404("No such place on this referral.")
    if not referral.is_draft:
        return _sent_notice(request, referral)
    if request.method == "POST":
        services.referral_place_remove(place=place, by=request.user)
        messages.success(request, f"{place} has been removed from the referral.")
        return redirect("referrals:places", child_pk=referral.child_id, pk=referral.pk)
    _log(request, referral, "referral (remove place)")
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


@login_required
@require_http_methods(["GET", "POST"])
def referral_submit(request: AuthenticatedRequest, child_pk: str, pk: int) -> HttpResponse:
    referral = _draft_for_writing(request, child_pk, pk)
    form = SubmitForm(request.POST or None)
    if request.method == "POST":
        if not form.is_valid() and not referral.is_draft:
            return _sent_notice(request, referral)
        if form.is_valid():
            try:
                result = services.referral_submit(
                    referral=referral,
                    by=request.user,
                    submission_key=form.cleaned_data["submission_key"],
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
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
        return _sent_notice(request, referral)
    else:
        _log(request, referral, "referral (send)")
    csc = referral.child.home_authority.childrens_social_care
    return render(
        request,
        "referrals/submit.html",
        {
            "referral": referral,
            "child": referral.child,
            "form": form,
            "csc": csc,
            "problems": services.submission_problems(referral),
            **selectors.referral_contents(referral),
        },
    )


# --- Children's social care -----------------------------------------------------------------


def _for_receiving_csc(request: AuthenticatedRequest, child_pk: object, pk: object) -> Referral:
    referral = selectors.get_referral_for(request.user, pk, child_pk=child_pk)
    if not (referral.is_submitted and referral.to_agency_id == request.user.agency_id):
        raise PermissionDenied
    return referral


def _respond(
    request: AuthenticatedRequest,
    referral: Referral,
    form: Any,
    *,
    title: str,
    save: Any,
    done: str,
    text_fields: dict[str, str],
) -> HttpResponse:
    if request.method == "GET":
        _log(request, referral, f"referral ({title.lower()})")
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            language.stash_flags(request, language.flags_for_fields(form.cleaned_data, text_fields))
            messages.success(request, done)
            return redirect(referral)
    return render(
        request,
        "referrals/respond.html",
        {"form": form, "referral": referral, "child": referral.child, "title": title},
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_acknowledge(request: AuthenticatedRequest, child_pk: str, pk: int) -> HttpResponse:
    referral = _for_receiving_csc(request, child_pk, pk)
    if referral.acknowledgement_or_none is not None:
        messages.info(request, "The acknowledgement has already been sent.")
        return redirect(referral)
    officer = request.user
    return _respond(
        request,
        referral,
        AcknowledgementForm(
            request.POST or None,
            initial={
                "message": f"We have received your CSE1 referral {referral.reference} about "
                f"{referral.child.display_name}.",
            },
        ),
        title="Acknowledge the referral",
        save=lambda data: services.referral_acknowledge(
            referral=referral,
            by=officer,
            message=data["message"],
            action_being_taken=data["action_being_taken"],
        ),
        done="The acknowledgement has been sent to the referrer.",
        text_fields={
            "message": "Confirmation to the referrer",
            "action_being_taken": "What action is being taken",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_decide(request: AuthenticatedRequest, child_pk: str, pk: int) -> HttpResponse:
    referral = _for_receiving_csc(request, child_pk, pk)
    if referral.decision_or_none is not None:
        messages.info(request, "A decision has already been recorded.")
        return redirect(referral)
    officer = request.user
    return _respond(
        request,
        referral,
        DecisionForm(request.POST or None, referral=referral, officer=officer),
        title="Record the decision",
        save=lambda data: services.referral_decide(
            referral=referral,
            by=officer,
            outcome=data["outcome"],
            rationale=data["rationale"],
            decided_by=data["decided_by"],
            approved_by=data["approved_by"],
        ),
        done="The decision has been recorded. The referrer can see it.",
        text_fields={"rationale": "Reasons for the decision"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_inform(request: AuthenticatedRequest, child_pk: str, pk: int) -> HttpResponse:
    referral = _for_receiving_csc(request, child_pk, pk)
    if not referral.is_about_looked_after_child:
        raise Http404("This referral is not about a looked-after child.")
    if referral.looked_after_notice_or_none is not None:
        messages.info(request, "This has already been recorded.")
        return redirect(referral)
    officer = request.user
    return _respond(
        request,
        referral,
        LookedAfterNoticeForm(request.POST or None, referral=referral),
        title="Inform the team manager and the IRO",
        save=lambda data: services.referral_record_looked_after_notice(
            referral=referral,
            by=officer,
            team_manager=data["team_manager"],
            iro=data.get("iro"),
            iro_name=data.get("iro_name", ""),
            informed_at=data["informed_at"],
            method=data["method"],
            detail=data.get("detail", ""),
        ),
        done="Recorded: the team manager and the IRO have been informed.",
        text_fields={"detail": "Notes"},
    )


# --- Lists ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def referral_tray(request: AuthenticatedRequest) -> HttpResponse:
    """CSC's work tray: referrals awaiting a decision (overdue first), and recent decisions."""
    officer = request.user
    if not selectors.is_csc_officer(officer):
        raise PermissionDenied
    open_referrals = list(selectors.tray_for(officer))
    decided = Paginator(selectors.decided_for(officer), PER_PAGE).get_page(request.GET.get("page"))
    log_access(
        request,
        AccessLog.Action.LIST,
        object_type="referrals work tray",
        detail=f"{len(open_referrals)} awaiting a decision, page {decided.number}",
    )
    return render(
        request,
        "referrals/tray.html",
        {
            "open_referrals": open_referrals,
            "page_obj": decided,
            "overdue_count": selectors.overdue_count_for(officer),
            "is_team_manager": officer.role == Officer.Role.TEAM_MANAGER,
        },
    )


@login_required
@require_http_methods(["GET"])
def referral_sent_list(request: AuthenticatedRequest) -> HttpResponse:
    officer = request.user
    referrals: QuerySet[Referral] = selectors.sent_by_agency_of(officer)
    page = Paginator(referrals, PER_PAGE).get_page(request.GET.get("page"))
    log_access(
        request, AccessLog.Action.LIST, object_type="referrals sent", detail=f"page {page.number}"
    )
    return render(request, "referrals/sent.html", {"page_obj": page})
