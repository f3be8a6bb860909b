from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.apps import AppConfig

from cse_portal import history, navigation
from cse_portal.sections import ChildSection, register

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from cse_portal.models import Child, Officer
    from screening.models import Screening


def _child_section(child: Child, officer: Officer) -> dict[str, Any]:
    from screening.selectors import screenings_listed_for_child  # models not ready at import

    return {"screenings": screenings_listed_for_child(child, officer)}


def _is_cse_lead(officer: Officer) -> bool:
    return officer.is_cse_lead


def _awaiting_advice_count(officer: Officer) -> QuerySet[Screening]:
    from screening.selectors import screenings_awaiting_advice_rows

    return screenings_awaiting_advice_rows(officer)  # counted with the navigation's other questions


class ScreeningConfig(AppConfig):
    name = "screening"
    verbose_name = "Screening (SAFEGUARD tool)"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from screening import chronology  # reads the models: only once the apps are ready

        register(
            ChildSection(
                key="screenings",
                order=10,
                template="screening/child_section.html",
                context=_child_section,
                pdf_template="screening/pdf/child_section.html",
                pdf_context=chronology.pdf_section,
                chronology=chronology.chronology,
            )
        )
        navigation.register(
            navigation.NavItem(
                label="Screenings awaiting advice",
                url_name="screening:awaiting_advice",
                order=30,
                shows_for=_is_cse_lead,
                count=_awaiting_advice_count,
            )
        )
        from screening.work import register_work  # "Your work", on the home page

        register_work()
        # "Who viewed or changed this record": the screenings' entries and access-log rows.
        from screening.history import SOURCE  # reads the models: only once the apps are ready

        history.register(SOURCE)
        from screening.registrations import register_caseload_and_themes

        register_caseload_and_themes()
