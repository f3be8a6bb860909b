"""What the screening pages share: the conflict message, the access log, section addresses."""

from __future__ import annotations

from django.urls import reverse

from cse_portal.audit import log_access
from cse_portal.lifecycle import conflict_message
from cse_portal.models import AccessLog
from cse_portal.types import AuthenticatedRequest
from screening.models import Screening

CONCURRENT_EDIT = conflict_message(
    "screening",
    opening="Someone else in your agency saved this screening while you were working on it.",
)

# Every access-log row about a screening has an object type starting "screening" and the
# screening's id, so the access history (screening.history) can leave out the rows about
# drafts the viewer cannot open.
LOG_PREFIX = "screening"


def log_view(request: AuthenticatedRequest, screening: Screening, what: str = "") -> None:
    log_access(
        request,
        AccessLog.Action.VIEW,
        child=screening.child,
        object_type=f"{LOG_PREFIX} ({what})" if what else LOG_PREFIX,
        object_id=screening.pk,
    )


def log_change(request: AuthenticatedRequest, screening: Screening, what: str) -> None:
    log_access(
        request,
        AccessLog.Action.CHANGE,
        child=screening.child,
        object_type=f"{LOG_PREFIX} ({what})",
        object_id=screening.pk,
    )


def section_url(screening: Screening, slug: str) -> str:
    """The page of one heading of a draft: the answers form, filtered to that heading."""
    edit = reverse("screening:edit", kwargs={"child_pk": screening.child_id, "pk": screening.pk})
    return f"{edit}?section={slug}"
