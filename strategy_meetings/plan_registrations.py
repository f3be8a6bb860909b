"""What the action plan registers, called from StrategyMeetingsConfig.ready(): its rule for
finalising (every attendee signed up, the review date; G23, G24), the finalising step that
stores the digest of the finalised record (G27), the meetings' part of the child's whole file
(a PDF section and the chronology entries), "Your actions" in the navigation and the plans'
part of the record's access history."""

from __future__ import annotations


def register_plan() -> None:
    from cse_portal import history, navigation, sections
    from strategy_meetings import file_section, plan_history
    from strategy_meetings.action_selectors import open_actions_of, owned_actions_of
    from strategy_meetings.services import (
        digest_store,
        plan_finalise_problems,
        register_finalise_rule,
        register_finalised_step,
    )

    register_finalise_rule("action_plan", plan_finalise_problems)
    register_finalised_step("digest", digest_store)
    sections.register(
        sections.ChildSection(
            key="strategy_meetings_file",
            order=30,
            pdf_template="strategy_meetings/pdf/child_section.html",
            pdf_context=file_section.pdf_section,
            chronology=file_section.chronology,
        )
    )
    navigation.register(
        navigation.NavItem(
            label="Your actions",
            url_name="strategy_meetings:your_actions",
            order=55,
            # Only an officer who owns an action; both asked with the navigation's others.
            shows_for=owned_actions_of,
            count=open_actions_of,
        )
    )
    history.register(plan_history.SOURCE)  # "Who viewed or changed this record"
    from strategy_meetings.work import register_work  # "Your work", on the home page

    register_work()
