"""Pages of the persons of concern a draft referral names: the list with a form to add one,
changing one, and taking one out. Only the referring agency writes them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from cse_portal.lifecycle import conflict_message
from cse_portal.types import AuthenticatedRequest
from referrals import selectors, services
from referrals.forms import PersonOfConcernForm
from referrals.models import PersonLink, Referral
from referrals.views.common import (
    draft_language_flags,
    log_view,
    posted,
    save_form,
    sent_notice,
)


def _link_of(referral: Referral, link_pk: int) -> PersonLink:
    link = (
        PersonLink.objects.filter(referral=referral, pk=link_pk)
        .select_related("person", "referral")
        .first()
    )
    if link is None:
        raise Http404("No such person on this referral.")
    return link


def _relationship(form: PersonOfConcernForm) -> str:
    return str(form.cleaned_data.get("relationship_to_child") or "")


@login_required
@require_http_methods(["GET", "POST"])
def referral_persons(request: AuthenticatedRequest, child_pk: str, pk: int) -> HttpResponse:
    """Persons of concern: the ones added so far, and a form to add another (no JavaScript
    needed: each person is one POST, then the page comes back with the list)."""
    referral = selectors.get_referral_for_writing(request.user, pk, child_pk=child_pk)
    if not referral.is_draft:
        return sent_notice(request, referral)
    form = PersonOfConcernForm(posted(request))
    if request.method == "POST":
        link = save_form(
            form,
            check=lambda: services.person_problems(form.person_data()),
            save=lambda: services.referral_person_add(
                referral=referral,
                by=request.user,
                data=form.person_data(),
                relationship_to_child=_relationship(form),
                creation_key=form.cleaned_data.get("creation_key"),
            ),
        )
        if link is not None:
            messages.success(request, f"{link.person.display_name} has been added.")
            return redirect("referrals:persons", child_pk=referral.child_id, pk=referral.pk)
    log_view(request, referral, "referral (persons of concern)")
    contents = selectors.referral_contents(referral)
    return render(
        request,
        "referrals/persons.html",
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
def referral_person_edit(
    request: AuthenticatedRequest, child_pk: str, pk: int, link_pk: int
) -> HttpResponse:
    referral = selectors.get_referral_for_writing(request.user, pk, child_pk=child_pk)
    link = _link_of(referral, link_pk)
    if not referral.is_draft:
        return sent_notice(request, referral)
    form = PersonOfConcernForm(posted(request), link=link)
    if request.method == "POST":
        try:
            saved = save_form(
                form,
                check=lambda: services.person_problems(form.person_data()),
                save=lambda: services.referral_person_update(
                    link=link,
                    by=request.user,
                    data=form.person_data(),
                    relationship_to_child=_relationship(form),
                    expected_version=form.cleaned_data.get("version") or 0,
                ),
            )
        except services.ConcurrentEditError:
            form.add_error(None, conflict_message("person of concern"))
        else:
            if saved is not None:
                messages.success(request, "The person's details have been saved.")
                return redirect("referrals:persons", child_pk=referral.child_id, pk=referral.pk)
    log_view(request, referral, "referral (person of concern)")
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
    referral = selectors.get_referral_for_writing(request.user, pk, child_pk=child_pk)
    link = _link_of(referral, link_pk)
    if not referral.is_draft:
        return sent_notice(request, referral)
    if request.method == "POST":
        name = link.person.display_name
        try:
            services.referral_person_remove(link=link, by=request.user)
        except ValidationError as error:
            messages.info(request, " ".join(error.messages))
        else:
            messages.success(request, f"{name} has been removed from the referral.")
        return redirect("referrals:persons", child_pk=referral.child_id, pk=referral.pk)
    log_view(request, referral, "referral (remove person)")
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
