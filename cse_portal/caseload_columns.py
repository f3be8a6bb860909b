"""The core's own caseload columns: the child, age, gender and looked-after status, with the
filters by age band, gender and looked-after status (codes only in the URL)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils import timezone

from cse_portal import navigation
from cse_portal.caseload import CaseloadColumn, CaseloadFilter, Cell, register
from cse_portal.models import Gender, LookedAfterStatus
from cse_portal.scope import AgeBand, age_band_q, age_on, is_lead_officer

if TYPE_CHECKING:
    from cse_portal.models import Child
    from cse_portal.scope import Scope


def _no_annotations(scope: Scope) -> dict[str, Any]:
    return {}


def _age(scope: Scope) -> dict[str, Any]:
    return {"age_now": age_on(timezone.localdate())}


def _child_cell(child: Child) -> Cell:
    hint = child.reference if child.is_identified else ""
    return Cell(text=child.display_name, hint=hint, url=child.get_absolute_url())


def _age_cell(child: Child) -> Cell:
    age = getattr(child, "age_now", None)
    if age is None:
        return Cell(text="Not known")
    return Cell(text=str(age) if child.date_of_birth else f"{age} (approx.)")


def _choices_of(choices: Any) -> Any:
    return lambda: list(choices.choices)


def register_core_columns() -> None:
    register(
        CaseloadColumn(
            key="child",
            label="Child",
            order=0,
            annotations=_no_annotations,
            cell=_child_cell,
            sort="last_name",
        )
    )
    register(
        CaseloadColumn(
            key="age",
            label="Age",
            order=1,
            annotations=_age,
            cell=_age_cell,
            sort="age_now",
            filters=(
                CaseloadFilter(
                    param="age",
                    label="Age",
                    choices=_choices_of(AgeBand),
                    condition=lambda code: age_band_q(code, "age_now"),
                ),
            ),
        )
    )
    register(
        CaseloadColumn(
            key="gender",
            label="Gender",
            order=2,
            annotations=_no_annotations,
            cell=lambda child: Cell(text=child.get_gender_display()),
            sort="gender",
            filters=(
                CaseloadFilter(
                    param="gender",
                    label="Gender",
                    choices=_choices_of(Gender),
                    condition=lambda code: Q(gender=code),
                ),
            ),
        )
    )
    register(
        CaseloadColumn(
            key="looked_after",
            label="Looked after",
            order=3,
            annotations=_no_annotations,
            cell=lambda child: Cell(text=child.get_looked_after_status_display()),
            sort="looked_after_status",
            filters=(
                CaseloadFilter(
                    param="looked_after",
                    label="Looked-after status",
                    choices=_choices_of(LookedAfterStatus),
                    condition=lambda code: Q(looked_after_status=code),
                ),
            ),
        )
    )


def register_navigation() -> None:
    """ "Our caseload" shows to lead officers only (the themes are linked from it)."""
    navigation.register(
        navigation.NavItem(
            label="Our caseload", url_name="caseload", order=25, shows_for=is_lead_officer
        )
    )
