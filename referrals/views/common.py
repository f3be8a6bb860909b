"""What the referral pages share: the access log line, the notice that a sent referral is
fixed, the language prompts of a draft (G38), and showing a service's rules on a form."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect

from cse_portal import language
from cse_portal.audit import log_access
from cse_portal.forms import add_validation_error
from cse_portal.models import AccessLog
from cse_portal.types import AuthenticatedRequest
from referrals.forms import DETAIL_TEXT_FIELDS
from referrals.models import Referral
from referrals.selectors import ReferralContents

PER_PAGE = 25


def log_view(request: AuthenticatedRequest, referral: Referral, what: str = "referral") -> None:
    log_access(
        request,
        AccessLog.Action.VIEW,
        child=referral.child,
        object_type=what,
        object_id=referral.pk,
    )


def posted(request: AuthenticatedRequest) -> QueryDict | None:
    """The POST's data for a form, None on GET. A POST with no fields at all still binds the
    form (`request.POST or None` would leave it unbound, with nothing cleaned), so it gets
    the form's messages like any other incomplete answer."""
    return request.POST if request.method == "POST" else None


def sent_notice(request: AuthenticatedRequest, referral: Referral) -> HttpResponse:
    messages.info(request, "This referral has been sent and can no longer be changed.")
    return redirect(referral)


def save_form[T](
    form: forms.BaseForm,
    *,
    save: Callable[[], T],
    check: Callable[[], Mapping[str, str]] | None = None,
) -> T | None:
    """Call the service (`save`) with the form's input; None when the input or the service
    refused it, with the reasons on the form.

    The service's rules (`check`: its own `*_problems` function, asked of the input that
    converted) are shown beside the form's input errors, each on its field unless the form
    already refused that field's input, so the error summary lists every problem at once.
    What the service still refuses (the referral's state, a rule on other rows) is shown on
    the form too.
    """
    converted = form.is_valid()
    asked = check() if check is not None else {}
    problems = {field: text for field, text in asked.items() if field not in form.errors}
    if problems:
        _show(form, ValidationError(problems))
    if not converted or problems:
        return None
    try:
        return save()
    except ValidationError as error:
        _show(form, error)
        return None


def _show(form: forms.BaseForm, error: ValidationError) -> None:
    add_validation_error(form, error)
    # An error about a whole date belongs to its first input (the Day), as the GOV.UK form
    # base arranges for the form's own errors: the summary then links to an input that can
    # take focus.
    for name in getattr(error, "error_dict", {}):
        subfields = getattr(form.fields.get(name), "fields", None)
        if subfields and not any(getattr(sub.widget, "errors", None) for sub in subfields):
            subfields[0].widget.errors = list(form.errors[name])


def draft_language_flags(
    referral: Referral, contents: ReferralContents
) -> dict[str, list[language.LanguageFlag]]:
    """G38 prompts for everything a draft says, for the agency still writing it: its details,
    its persons and places, and the screener's notes it carried over from the screening. The
    indicators' own wording is the guidance's (the SAFEGUARD catalogue) and is never read."""
    flags = language.flags_for_fields(
        {name: getattr(referral, name) for name in DETAIL_TEXT_FIELDS}, DETAIL_TEXT_FIELDS
    )
    for indicator in contents["indicators"]:
        label = f"Note from the screening on “{indicator.text}”"
        flags.update(language.flags_for_fields({label: indicator.note}, [label]))
    for link in contents["person_links"]:
        person = link.person
        texts = {
            f"{person.display_name}: description": person.description,
            f"{person.display_name}: connection to the child": link.relationship_to_child,
        }
        flags.update(language.flags_for_fields(texts, list(texts)))
    for place in contents["places"]:
        flags.update(
            language.flags_for_fields({f"Place {place}": place.description}, [f"Place {place}"])
        )
    return flags
