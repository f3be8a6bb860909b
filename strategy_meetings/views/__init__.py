"""Pages of strategy meetings, one module per subject: `convening` (convening, the meeting's
page, its details, "Your meetings"), `invitations` (invite, remove, decline), `minutes`
(attendance, the sections, the outcome) and `finalising` (finalise, addenda); the action plan's
`actions` (the plan, its actions, the review date), `signups` (G23) and `progress` (after
finalising: progress, the review, "Your actions"); the minutes' PDF is `strategy_meetings.pdf`."""

from strategy_meetings.views.actions import (
    action_add,
    action_edit,
    action_remove,
    meeting_plan,
    review_date,
)
from strategy_meetings.views.convening import (
    meeting_convene,
    meeting_detail,
    meeting_details,
    my_meetings,
)
from strategy_meetings.views.finalising import meeting_addendum, meeting_finalise
from strategy_meetings.views.invitations import (
    invitation_decline,
    invitation_remove,
    meeting_invite,
)
from strategy_meetings.views.minutes import (
    meeting_attendance,
    meeting_minutes,
    meeting_outcome,
    meeting_section,
)
from strategy_meetings.views.progress import action_progress, review_convene, your_actions
from strategy_meetings.views.signups import plan_sign, record_agreement

__all__ = [
    "action_add",
    "action_edit",
    "action_progress",
    "action_remove",
    "invitation_decline",
    "invitation_remove",
    "meeting_addendum",
    "meeting_attendance",
    "meeting_convene",
    "meeting_detail",
    "meeting_details",
    "meeting_finalise",
    "meeting_invite",
    "meeting_minutes",
    "meeting_outcome",
    "meeting_plan",
    "meeting_section",
    "my_meetings",
    "plan_sign",
    "record_agreement",
    "review_convene",
    "review_date",
    "your_actions",
]
