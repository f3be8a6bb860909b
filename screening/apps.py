from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.apps import AppConfig

if TYPE_CHECKING:
    from cse_portal.models import Child, Officer


def _child_section(child: Child, officer: Officer) -> dict[str, Any]:
    from screening.selectors import screenings_of_child

    return {"screenings": list(screenings_of_child(child, officer))}


class ScreeningConfig(AppConfig):
    name = "screening"
    verbose_name = "Screening (SAFEGUARD tool)"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from cse_portal.sections import ChildSection, register

        register(
            ChildSection(
                key="screenings",
                order=10,
                template="screening/child_section.html",
                context=_child_section,
            )
        )

        # "Who viewed or changed this record": the screenings' entries and access-log rows.
        from cse_portal import history
        from screening.history import SOURCE

        history.register(SOURCE)
