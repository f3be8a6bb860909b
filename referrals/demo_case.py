"""The demo's one closed case (`manage.py load_demo`, after the referrals and assessments):
children's social care closed the case of Lily-Mae Parkin (fictional), whose referral was
decided as early help; every other demo child's case is open.

Through the real service, dated in the past (`now=`). A child whose case has any closure
already is left alone, so running it again creates nothing.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import OutputWrapper
from django.utils import timezone

from cse_portal.access import children_visible_to
from cse_portal.models import Officer
from referrals.models import CaseClosure, ClosureReason
from referrals.services.case_status import case_close

CLOSED_BY = "csc.social.worker"
CHILD = ("Lily-Mae", "Parkin")
NOTE = (
    "Early help assessment in place with the school nurse and the family. Lily-Mae and her "
    "parents know how to tell the school nurse about any new contact online."
)


def load_demo(stdout: OutputWrapper) -> None:
    by = Officer.objects.select_related("agency").filter(username=CLOSED_BY).first()
    if by is None or by.agency is None:
        return
    first, last = CHILD
    child = children_visible_to(by).filter(first_name=first, last_name=last).first()
    if child is None or CaseClosure.objects.filter(child=child).exists():
        return
    try:
        case_close(
            child=child,
            by=by,
            reason=ClosureReason.SUPPORTED_ELSEWHERE,
            note=NOTE,
            now=timezone.now() - timedelta(days=3),
        )
    except (ValidationError, PermissionDenied) as error:  # demo data that no longer fits
        stdout.write(f"Case closures: skipped the demo closure of {child}: {error}")
        return
    stdout.write("Case closures: closed 1 demo case.")
