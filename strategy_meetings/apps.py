from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.apps import AppConfig

from cse_portal import navigation
from cse_portal.sections import ChildSection, register

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from cse_portal.models import Officer


def _has_meetings(officer: Officer) -> bool | tuple[QuerySet[Any], ...]:
    """Children's social care, chairs, and anyone who has been told of a meeting (every
    invitee, the chair and the minute-taker are): `selectors.has_meetings`, its two questions
    asked with the navigation's others (cse_portal.navigation)."""
    from strategy_meetings.selectors import has_meetings_by

    return has_meetings_by(officer)


class StrategyMeetingsConfig(AppConfig):
    name = "strategy_meetings"
    verbose_name = "Strategy meetings"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Models are not ready at import (cse_portal.history imports them).
        from cse_portal import history
        from strategy_meetings.history import SOURCE as meetings_history
        from strategy_meetings.sections import meetings_section

        register(
            ChildSection(
                key="strategy_meetings",
                order=30,
                template="strategy_meetings/child_section.html",
                context=meetings_section,
            )
        )
        history.register(meetings_history)
        navigation.register(
            navigation.NavItem(
                label="Your meetings",
                url_name="strategy_meetings:mine",
                order=35,  # before the referrals tray, CSC's own last item
                shows_for=_has_meetings,  # its notices' count is on "Notifications"
            )
        )
        # The action plan's rules for finalising, its finalising step (the digest), its part
        # of the child's whole file and "Your actions".
        from strategy_meetings.plan_registrations import register_plan

        register_plan()
        # The minutes' PDF builder, for the PDF task's worker (which loads no URLs).
        from strategy_meetings import pdf  # noqa: F401

        # The lead officer's caseload: the next meeting or review, our overdue actions (G34).
        from strategy_meetings.caseload import register_caseload

        register_caseload()
