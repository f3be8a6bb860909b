"""What every write of the referral pathway begins with: the referral's row locked, and the
officer's part in it (the predicates of `referrals.selectors`) and its state checked.

A refusal for lack of permission raises PermissionDenied; a refusal because of the referral's
state (already sent, not yet sent) raises ValidationError, which the page shows.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from cse_portal.models import Officer
from referrals.models import PersonLink, Referral
from referrals.selectors import is_receiving_csc, is_referrer

FORM_USED = "This form has already been used. Open the page again and enter your answers there."


def lock_creation_key(key: uuid.UUID) -> None:
    """Hold a lock on a form's hidden key until the transaction ends, so that of two posts
    of the same form at once the second waits, then finds what the first made.

    For creations that begin with a row of their own before the row that holds the key
    (a child, then the referral about them): a unique key alone would refuse the second
    post's referral only after its child was made. A PostgreSQL advisory lock on the key
    needs no row to lock. (A candidate for `cse_portal.lifecycle`.)
    """
    with connection.cursor() as cursor:
        # The key's low 63 bits: a bigint. Two keys that share them only wait for each other.
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key.int & (2**63 - 1)])


def locked(referral: Referral) -> Referral:
    """The referral's row, locked until the transaction ends, with its current state."""
    return Referral.objects.select_for_update().get(pk=referral.pk)


def locked_referral_of(link: PersonLink) -> Referral:
    if link.referral is None:
        raise PermissionDenied("This person was not linked to the child by a referral.")
    return locked(link.referral)


def require_referrer(referral: Referral, by: Officer) -> int:
    """The referring agency's id, when the officer is one of its officers."""
    if not is_referrer(by, referral) or by.agency_id is None:  # (None: for the type checker)
        raise PermissionDenied("Only an officer of the referring agency can change this referral.")
    return by.agency_id


def require_draft(referral: Referral) -> None:
    if not referral.is_draft:
        raise ValidationError("This referral has been sent and can no longer be changed.")


def require_receiving_csc(referral: Referral, by: Officer) -> int:
    """The receiving CSC's id, when the referral has been sent and the officer is one of its
    officers."""
    if not referral.is_submitted:
        raise ValidationError("This referral has not been sent yet.")
    if not is_receiving_csc(by, referral) or by.agency_id is None:  # (as above)
        raise PermissionDenied(
            "Only an officer of the children's social care that received the referral can do this."
        )
    return by.agency_id
