"""Pages of persons of concern across children (G30–G32): a person's page from a child's
record (the other children linked to them, their disruption actions), merging two records of
the same person, recording a disruption action and an addendum, and naming in a draft a
person already known.

The child is fetched through the door, and the person through the links the officer may see
(`referrals.selectors_persons.get_person_for`): anything else is 404. Every page is logged
with an object type starting "person of concern" and the person's id (the child's for the
picker), so the access history tells of it (`referrals.history_persons`).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cse_portal import language
from cse_portal.audit import log_access
from cse_portal.models import AccessLog, Child
from cse_portal.types import AuthenticatedRequest
from referrals import selectors, services
from referrals import selectors_persons as people
from referrals.forms.persons_network import (
    ADDENDUM_TEXT_FIELDS,
    DISRUPTION_TEXT_FIELDS,
    MERGE_TEXT_FIELDS,
    DisruptionAddendumForm,
    DisruptionForm,
    MergeForm,
    PersonSearchForm,
    PickPersonForm,
)
from referrals.models import DisruptionAction, PersonMerge, PersonOfConcern
from referrals.views.common import log_view, posted, save_form, sent_notice

LOG_PREFIX = "person of concern"


def _log(request: AuthenticatedRequest, child: Child, what: str, object_id: object) -> None:
    log_access(request, AccessLog.Action.VIEW, child=child, object_type=what, object_id=object_id)


def _to_person(child: Child, person: PersonOfConcern) -> HttpResponse:
    return redirect("referrals:person_detail", child_pk=child.pk, person_pk=person.pk)


@login_required
@require_http_methods(["GET"])
def person_detail(request: AuthenticatedRequest, child_pk: str, person_pk: int) -> HttpResponse:
    child, person = people.get_person_for(request.user, child_pk, person_pk)
    network = people.networks(request.user, child, [person])[0]
    _log(request, child, LOG_PREFIX, person.pk)
    return render(
        request,
        "referrals/persons/detail.html",
        {
            "child": child,
            "person": person,
            "network": network,
            "can_merge": people.is_convening(request.user) and not hasattr(person, "merged_record"),
            "merged": getattr(person, "merged_record", None),
            "absorbed": person.merges_absorbed.select_related(
                "duplicate", "merged_by", "merged_by_agency"
            ),
            "language_flags": language.pop_flags(request),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_merge(request: AuthenticatedRequest, child_pk: str, person_pk: int) -> HttpResponse:
    """Children's social care and police merge two records of the same person (403 for the
    other agencies, after the door's 404)."""
    child, person = people.get_person_for(request.user, child_pk, person_pk)
    if not people.is_convening(request.user):
        raise PermissionDenied
    if hasattr(person, "merged_record"):
        messages.info(request, "This record has been merged into another already.")
        return _to_person(child, person)
    search = PersonSearchForm(request.GET or None)
    text = search.text() or person.full_name or person.nicknames
    candidates = people.merge_candidates(request.user, person, text)
    offered = people.pickable_by(request.user).exclude(pk=person.pk)
    if request.method == "GET":
        offered = offered.filter(pk__in=[p.pk for p in candidates])
    form = MergeForm(posted(request), offered=offered)
    if request.method == "POST":
        merged = save_form(
            form,
            check=lambda: (
                {}
                if form.cleaned_data.get("reason")
                else {"reason": "Enter why these records are the same person"}
            ),
            save=lambda: _merge(request, person, form),
        )
        if merged is not None:
            language.stash_flags(
                request, language.flags_for_fields(form.cleaned_data, MERGE_TEXT_FIELDS)
            )
            messages.success(request, "The records have been merged.")
            survivor = merged.survivor
            return redirect("referrals:person_detail", child_pk=child.pk, person_pk=survivor.pk)
    _log(request, child, f"{LOG_PREFIX} (merge)", person.pk)
    return render(
        request,
        "referrals/persons/merge.html",
        {
            "child": child,
            "person": person,
            "search": search,
            "form": form,
            "candidates": candidates,
        },
    )


def _merge(request: AuthenticatedRequest, person: PersonOfConcern, form: MergeForm) -> PersonMerge:
    other = form.cleaned_data["other"]
    keep, merge = (person, other) if form.cleaned_data["keep"] == "this" else (other, person)
    return services.person_merge(
        by=request.user, keep_pk=keep.pk, merge_pk=merge.pk, reason=form.cleaned_data["reason"]
    )


@login_required
@require_http_methods(["GET", "POST"])
def disruption_add(request: AuthenticatedRequest, child_pk: str, person_pk: int) -> HttpResponse:
    child, person = people.get_person_for(request.user, child_pk, person_pk)
    form = DisruptionForm(posted(request))
    if request.method == "POST":
        recorded = save_form(
            form,
            check=lambda: services.disruption_problems(form.answers()),
            save=lambda: services.disruption_record(
                person=person,
                by=request.user,
                data=form.answers(),
                creation_key=form.cleaned_data.get("creation_key"),
            ),
        )
        if recorded is not None:
            language.stash_flags(
                request, language.flags_for_fields(form.cleaned_data, DISRUPTION_TEXT_FIELDS)
            )
            messages.success(request, f"The action ({recorded.kind_label}) has been recorded.")
            return _to_person(child, person)
    _log(request, child, f"{LOG_PREFIX} (record an action)", person.pk)
    return render(
        request,
        "referrals/persons/form.html",
        {
            "child": child,
            "person": person,
            "form": form,
            "title": f"Record a disruption action: {person.display_name}",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def disruption_addendum(
    request: AuthenticatedRequest, child_pk: str, person_pk: int, action_pk: int
) -> HttpResponse:
    child, person = people.get_person_for(request.user, child_pk, person_pk)
    owners = {person.pk, *people.absorbed_ids([person.pk])}
    action = DisruptionAction.objects.filter(pk=action_pk, person_id__in=owners).first()
    if action is None:
        raise Http404("No such action against this person.")
    form = DisruptionAddendumForm(posted(request))
    if request.method == "POST":
        added = save_form(
            form,
            check=lambda: (
                {}
                if form.cleaned_data.get("text")
                else {"text": "Enter the correction or addition"}
            ),
            save=lambda: services.disruption_addendum_add(
                action=action,
                by=request.user,
                text=form.cleaned_data.get("text") or "",
                creation_key=form.cleaned_data.get("creation_key"),
            ),
        )
        if added is not None:
            language.stash_flags(
                request, language.flags_for_fields(form.cleaned_data, ADDENDUM_TEXT_FIELDS)
            )
            messages.success(request, "The addendum has been added.")
            return _to_person(child, person)
    _log(request, child, f"{LOG_PREFIX} (addendum)", person.pk)
    return render(
        request,
        "referrals/persons/form.html",
        {
            "child": child,
            "person": person,
            "form": form,
            "action": action,
            "title": f"Add an addendum: {action.kind_label}",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_person_pick(request: AuthenticatedRequest, child_pk: str, pk: int) -> HttpResponse:
    """Find a person already linked to a child the agency may see, and name them here (G30)."""
    referral = selectors.get_referral_for_writing(request.user, pk, child_pk=child_pk)
    if not referral.is_draft:
        return sent_notice(request, referral)
    search = PersonSearchForm(request.GET or None)
    found = people.person_search(request.user, search.text())
    offered = people.pickable_by(request.user)
    if request.method == "GET":
        offered = offered.filter(pk__in=[p.pk for p in found])
    form = PickPersonForm(posted(request), offered=offered)
    if request.method == "POST":
        link = save_form(
            form,
            save=lambda: services.referral_person_link_existing(
                referral=referral,
                by=request.user,
                person_pk=form.cleaned_data["person"].pk,
                relationship_to_child=form.cleaned_data.get("relationship_to_child") or "",
            ),
        )
        if link is not None:
            # The draft's persons page prompts on everything the draft says (G38), this too.
            messages.success(request, f"{link.person.display_name} has been added.")
            return redirect("referrals:persons", child_pk=referral.child_id, pk=referral.pk)
    log_view(request, referral, "referral (find a person of concern)")
    named = set(referral.person_links.values_list("person_id", flat=True))
    return render(
        request,
        "referrals/persons/pick.html",
        {
            "referral": referral,
            "child": referral.child,
            "search": search,
            "form": form,
            "found": found,
            "named": named,
            "searched": bool(search.text()),
        },
    )
