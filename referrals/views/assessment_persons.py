"""Pages of the persons of concern a draft risk assessment names (G30): the list with a form
to add a new person, finding a person already known (among those linked to children the
agency may see), adding the persons the referral named, changing a person's connection to
the child, and taking a person out.

The assessment is fetched through the door (404 for an officer who may not open it); only
the assessing agency writes its draft (403 for an agency asked to contribute). Every page is
logged as the assessment's, so the access history tells of it.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from cse_portal import language
from cse_portal.lifecycle import ConcurrentEditError
from cse_portal.types import AuthenticatedRequest
from referrals import assessment_selectors as selectors
from referrals import selectors_persons as people
from referrals import services
from referrals.forms.assessment_persons import (
    AssessmentPersonForm,
    AssessmentPickPersonForm,
    PersonConnectionForm,
)
from referrals.forms.persons_network import PersonSearchForm
from referrals.models import PersonLink, RiskAssessment
from referrals.services.assessment import FINALISED
from referrals.views.assessment import CONCURRENT_EDIT, log_change, log_view
from referrals.views.common import posted, save_form


def _draft_for_writing(request: AuthenticatedRequest, child_pk: str, pk: int) -> RiskAssessment:
    """The assessment if the officer may open it (else 404), of the officer's agency (else
    403: an agency asked to contribute)."""
    assessment = selectors.get_assessment_for(request.user, pk, child_pk=child_pk)
    if not selectors.is_assessor(request.user, assessment):
        raise PermissionDenied
    return assessment


def _finalised(request: AuthenticatedRequest, assessment: RiskAssessment) -> HttpResponse:
    messages.info(request, FINALISED)
    return redirect(assessment)


def _to_persons(assessment: RiskAssessment) -> HttpResponse:
    return redirect("referrals:assessment_persons", child_pk=assessment.child_id, pk=assessment.pk)


def _link_of(assessment: RiskAssessment, link_pk: int) -> PersonLink:
    link = (
        PersonLink.objects.filter(assessment=assessment, pk=link_pk)
        .select_related("person", "assessment")
        .first()
    )
    if link is None:
        raise Http404("No such person on this assessment.")
    return link


def persons_language_flags(links: list[PersonLink]) -> dict[str, list[language.LanguageFlag]]:
    """G38 prompts for what the draft says of its persons, for the agency still writing it."""
    flags: dict[str, list[language.LanguageFlag]] = {}
    for link in links:
        person = link.person
        texts = {
            f"{person.display_name}: description": person.description,
            f"{person.display_name}: connection to the child": link.relationship_to_child,
        }
        flags.update(language.flags_for_fields(texts, list(texts)))
    return flags


@login_required
@require_http_methods(["GET", "POST"])
def assessment_persons(request: AuthenticatedRequest, child_pk: str, pk: int) -> HttpResponse:
    """The persons the draft names, those the referral named to add in one click, and a form
    to add a new person (each person one POST, then the page again with the list)."""
    assessment = _draft_for_writing(request, child_pk, pk)
    if not assessment.is_draft:
        return _finalised(request, assessment)
    form = AssessmentPersonForm(posted(request))
    if request.method == "POST":
        link = save_form(
            form,
            check=lambda: services.person_problems(form.person_data()),
            save=lambda: services.assessment_person_add(
                assessment=assessment,
                by=request.user,
                data=form.person_data(),
                relationship_to_child=str(form.cleaned_data.get("relationship_to_child") or ""),
                creation_key=form.cleaned_data.get("creation_key"),
            ),
        )
        if link is not None:
            log_change(request, assessment, "person of concern added")
            messages.success(request, f"{link.person.display_name} has been added.")
            return _to_persons(assessment)
    log_view(request, assessment, "persons of concern")
    links = selectors.person_links_of(assessment)
    return render(
        request,
        "referrals/assessment/persons.html",
        {
            "assessment": assessment,
            "child": assessment.child,
            "form": form,
            "links": links,
            "from_referral": selectors.referral_persons_to_offer(assessment, request.user),
            "language_flags": persons_language_flags(links),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessment_persons_from_referral(
    request: AuthenticatedRequest, child_pk: str, pk: int
) -> HttpResponse:
    """Add one (`person`) or every (`all`) person the referral named and the draft does not
    (a POST from the persons page; a GET goes back to it)."""
    assessment = _draft_for_writing(request, child_pk, pk)
    if not assessment.is_draft:
        return _finalised(request, assessment)
    if request.method == "GET":
        return _to_persons(assessment)
    if "all" in request.POST:
        wanted = [
            link.person_id for link in selectors.referral_persons_to_offer(assessment, request.user)
        ]
    else:
        wanted = [int(v) for v in request.POST.getlist("person") if v.isdigit()]
    if not wanted:
        messages.info(request, "Every person the referral named is in the assessment already.")
        return _to_persons(assessment)
    try:
        links = services.assessment_persons_from_referral(
            assessment=assessment, by=request.user, person_pks=wanted
        )
    except ValidationError:
        raise Http404("No such person named in the referral.") from None
    log_change(request, assessment, "persons of concern added from the referral")
    if links:
        names = ", ".join(link.person.display_name for link in links)
        messages.success(request, f"Added from the referral: {names}.")
    return _to_persons(assessment)


@login_required
@require_http_methods(["GET", "POST"])
def assessment_person_pick(request: AuthenticatedRequest, child_pk: str, pk: int) -> HttpResponse:
    """Find a person already linked to a child the agency may see, and name them here (G30)."""
    assessment = _draft_for_writing(request, child_pk, pk)
    if not assessment.is_draft:
        return _finalised(request, assessment)
    search = PersonSearchForm(request.GET or None)
    found = people.person_search(request.user, search.text())
    offered = people.pickable_by(request.user)
    if request.method == "GET":
        offered = offered.filter(pk__in=[p.pk for p in found])
    form = AssessmentPickPersonForm(posted(request), offered=offered)
    if request.method == "POST":
        link = save_form(
            form,
            save=lambda: services.assessment_person_link_existing(
                assessment=assessment,
                by=request.user,
                person_pk=form.cleaned_data["person"].pk,
                relationship_to_child=form.cleaned_data.get("relationship_to_child") or "",
            ),
        )
        if link is not None:
            log_change(request, assessment, "person of concern named")
            messages.success(request, f"{link.person.display_name} has been added.")
            return _to_persons(assessment)
    log_view(request, assessment, "find a person of concern")
    return render(
        request,
        "referrals/assessment/person_pick.html",
        {
            "assessment": assessment,
            "child": assessment.child,
            "search": search,
            "form": form,
            "found": found,
            "named": set(assessment.person_links.values_list("person_id", flat=True)),
            "searched": bool(search.text()),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessment_person_edit(
    request: AuthenticatedRequest, child_pk: str, pk: int, link_pk: int
) -> HttpResponse:
    """Change how a person named in the draft is connected to the child."""
    assessment = _draft_for_writing(request, child_pk, pk)
    link = _link_of(assessment, link_pk)
    if not assessment.is_draft:
        return _finalised(request, assessment)
    form = PersonConnectionForm(posted(request), link=link, version=assessment.version)
    if request.method == "POST":
        try:
            saved = save_form(
                form,
                save=lambda: services.assessment_person_change(
                    link=link,
                    by=request.user,
                    relationship_to_child=form.cleaned_data.get("relationship_to_child") or "",
                    expected_version=form.cleaned_data.get("version") or 0,
                ),
            )
        except ConcurrentEditError:
            form.add_error(None, CONCURRENT_EDIT)
        else:
            if saved is not None:
                log_change(request, assessment, "person of concern changed")
                messages.success(request, f"{link.person.display_name}: the connection is saved.")
                return _to_persons(assessment)
    log_view(request, assessment, "person of concern")
    return render(
        request,
        "referrals/assessment/person_edit.html",
        {"assessment": assessment, "child": assessment.child, "form": form, "link": link},
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessment_person_remove(
    request: AuthenticatedRequest, child_pk: str, pk: int, link_pk: int
) -> HttpResponse:
    """Take a person out of the draft (asked first)."""
    assessment = _draft_for_writing(request, child_pk, pk)
    link = _link_of(assessment, link_pk)
    if not assessment.is_draft:
        return _finalised(request, assessment)
    if request.method == "POST":
        name = link.person.display_name
        services.assessment_person_remove(link=link, by=request.user)
        log_change(request, assessment, "person of concern removed")
        messages.success(request, f"{name} has been removed from the assessment.")
        return _to_persons(assessment)
    log_view(request, assessment, "remove person of concern")
    return render(
        request,
        "referrals/assessment/person_remove.html",
        {
            "assessment": assessment,
            "child": assessment.child,
            "link": link,
            "back": reverse(
                "referrals:assessment_persons",
                kwargs={"child_pk": assessment.child_id, "pk": assessment.pk},
            ),
        },
    )
