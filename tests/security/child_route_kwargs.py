"""Builders of the extra URL kwargs of child routes (besides child_pk), by URL name.

Each takes the `world` fixture and returns kwargs for an object that belongs to world.child,
so the access tests can request the route as an uninvolved officer. Apps add theirs here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

BUILDERS: dict[str, Callable[[Any], dict[str, Any]]] = {}

# screening/
from tests.screening.factories import screening_route_kwargs  # noqa: E402

BUILDERS.update(
    dict.fromkeys(
        ("screening:detail", "screening:edit", "screening:submit", "screening:advice"),
        screening_route_kwargs,
    )
)

# referrals/
from tests.referrals.route_kwargs import BUILDERS as REFERRAL_BUILDERS  # noqa: E402

BUILDERS.update(REFERRAL_BUILDERS)

# referrals/ missing episodes
from tests.referrals.missing.factories import BUILDERS as MISSING_BUILDERS  # noqa: E402

BUILDERS.update(MISSING_BUILDERS)
# referrals/ (the CSE2 risk assessment)
from tests.referrals.assessment.route_kwargs import BUILDERS as ASSESSMENT_BUILDERS  # noqa: E402

BUILDERS.update(ASSESSMENT_BUILDERS)
# strategy_meetings/
from tests.strategy_meetings.factories import ROUTE_BUILDERS as MEETING_BUILDERS  # noqa: E402

BUILDERS.update(MEETING_BUILDERS)

# strategy_meetings/: the action plan
from tests.strategy_meetings.plan_helpers import PLAN_ROUTE_BUILDERS  # noqa: E402

BUILDERS.update(PLAN_ROUTE_BUILDERS)

# referrals/: persons of concern across children
from tests.referrals.persons.factories import BUILDERS as PERSONS_BUILDERS  # noqa: E402

BUILDERS.update(PERSONS_BUILDERS)


# cse_portal/ (a PDF being prepared for the child's file, asked for by the owning officer)
def _pdf_export_kwargs(world: Any) -> dict[str, Any]:
    from cse_portal.models import PdfExport

    export = PdfExport.objects.create(
        kind="child_record", child=world.child, requested_by=world.owner, title="The record"
    )
    return {"export_pk": export.pk}


BUILDERS.update(dict.fromkeys(("children:export", "children:export_download"), _pdf_export_kwargs))
