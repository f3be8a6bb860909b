"""Pages of strategy meetings, one module per subject: `convening` (convening, the meeting's
page, its details, "Your meetings"), `invitations` (invite, remove, decline), `minutes`
(attendance, the sections, the outcome) and `finalising` (finalise, addenda)."""

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

__all__ = [
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
    "meeting_section",
    "my_meetings",
]
