from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig

from cse_portal import navigation
from cse_portal.sections import ChildSection, register

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from cse_portal.models import Officer
    from referrals.models import Referral


def _works_for_csc(officer: Officer) -> bool:
    return officer.agency is not None and officer.agency.is_csc


def _refers_to_csc(officer: Officer) -> bool:
    # Every other agency refers children to children's social care.
    return officer.agency is not None and not officer.agency.is_csc


def _awaiting_count(officer: Officer) -> QuerySet[Referral]:
    """The tray's badge: referrals awaiting acknowledgement or decision (counted with the
    navigation's other questions, cse_portal.navigation)."""
    from referrals.selectors import tray_count_queryset

    return tray_count_queryset(officer)


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = "Referrals (CSE1) and risk assessments (CSE2)"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Models are not ready at import (cse_portal.history imports them).
        from cse_portal import history
        from referrals import chronology
        from referrals.assessment_history import SOURCE as assessments_history
        from referrals.assessment_section import assessments_section
        from referrals.history import SOURCE as referrals_history
        from referrals.history_missing import SOURCE as missing_history
        from referrals.history_persons import SOURCE as persons_history
        from referrals.sections import referrals_section
        from referrals.selectors_case import HISTORY_SOURCE as case_history
        from referrals.selectors_case import case_pdf_section, case_section
        from referrals.selectors_case import chronology as case_chronology
        from referrals.selectors_missing import missing_section
        from referrals.selectors_persons import persons_pdf_section, persons_section
        from referrals.selectors_places import places_pdf_section, places_section

        register(
            ChildSection(
                key="referrals",
                order=20,
                template="referrals/child_section.html",
                context=referrals_section,
                pdf_template="referrals/pdf/child_section.html",
                pdf_context=chronology.pdf_section,
                chronology=chronology.chronology,
            )
        )
        # Whether the child's CSE case is open or closed (G16: reassessed while open).
        register(
            ChildSection(
                key="case_status",
                order=15,
                template="referrals/case/child_section.html",
                context=case_section,
                pdf_template="referrals/pdf/case_section.html",
                pdf_context=case_pdf_section,
                chronology=case_chronology,
            )
        )
        history.register(case_history)
        # "Who viewed or changed this record": the referrals the officer may open, only.
        history.register(referrals_history)
        # Missing episodes (G33): the last 90 days on the record, and their history.
        register(
            ChildSection(
                key="missing_episodes",
                order=25,
                template="referrals/missing/child_section.html",
                context=missing_section,
            )
        )
        history.register(missing_history)
        # The CSE2 risk assessments (G12–G16): the section, and the access history of the
        # assessments the officer may open.
        register(
            ChildSection(
                key="assessments",
                order=30,
                template="referrals/assessment/child_section.html",
                context=assessments_section,
            )
        )
        history.register(assessments_history)
        # Persons of concern across children (G30–G32): consideration 10 on the record.
        register(
            ChildSection(
                key="persons_of_concern",
                order=35,
                template="referrals/persons/child_section.html",
                context=persons_section,
                pdf_template="referrals/pdf/persons_section.html",
                pdf_context=persons_pdf_section,
            )
        )
        history.register(persons_history)
        # Places and vehicles across children (G30): consideration 10, after the persons.
        register(
            ChildSection(
                key="places_and_vehicles",
                order=36,
                template="referrals/places/child_section.html",
                context=places_section,
                pdf_template="referrals/pdf/places_section.html",
                pdf_context=places_pdf_section,
            )
        )
        # The lead officer's caseload columns and themes (G34, G35).
        from referrals.registrations import register_caseload_and_themes

        register_caseload_and_themes()
        navigation.register(
            navigation.NavItem(
                label="Referrals",
                url_name="referrals:tray",
                order=40,
                shows_for=_works_for_csc,
                count=_awaiting_count,
            )
        )
        from referrals.work import register_work  # "Your work", on the home page

        register_work()
        navigation.register(
            navigation.NavItem(
                label="Referrals we sent",
                url_name="referrals:sent",
                order=40,
                shows_for=_refers_to_csc,
            )
        )
