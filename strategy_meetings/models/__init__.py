"""The strategy meetings app's models, one module per subject:

- `meeting`: the Meeting (convening, G18/G29 answers, outcome G21, parents G25, finalising),
  its Invitations (agency and person; attendance, G17) and the kinds of its notifications
  (core `Notification`);
- `minutes`: the MinutesSections (the ten considerations, G19, and the four placement
  factors, G20, each its own row and version) and the Addenda to final minutes (G26).

The action plan and sign-ups (G22, G23) are a subject of their own (`actions`). Every model
keeps the app label `strategy_meetings`; `from strategy_meetings.models import X` works.
"""

from strategy_meetings.models.actions import (
    CLOSED_STATUSES,
    NO_REVIEW_OUTCOMES,
    Action,
    ActionPlan,
    ActionStatus,
    ActionUpdate,
    FinalisedDigest,
    SignUp,
    SignUpMethod,
    review_latest,
)
from strategy_meetings.models.meeting import (
    CHAIR_ROLES,
    Attendance,
    Invitation,
    InvitationStatus,
    Meeting,
    MeetingOutcome,
    NoticeKind,
    Origin,
    PlanningForum,
)
from strategy_meetings.models.minutes import (
    ADDENDUM_PLACES,
    CONSIDERATIONS,
    PLACEMENT_FACTORS,
    SECTIONS,
    Addendum,
    MinutesSection,
    SectionKind,
    SectionSpec,
    sections_for,
)
from strategy_meetings.models.person_meeting import (
    PersonMeeting,
    PersonMeetingAction,
    PersonMeetingInvitation,
    PersonMeetingLink,
    PersonMeetingReason,
)

__all__ = [
    "ADDENDUM_PLACES",
    "CHAIR_ROLES",
    "CLOSED_STATUSES",
    "CONSIDERATIONS",
    "NO_REVIEW_OUTCOMES",
    "PLACEMENT_FACTORS",
    "SECTIONS",
    "Action",
    "ActionPlan",
    "ActionStatus",
    "ActionUpdate",
    "Addendum",
    "Attendance",
    "FinalisedDigest",
    "Invitation",
    "InvitationStatus",
    "Meeting",
    "MeetingOutcome",
    "MinutesSection",
    "NoticeKind",
    "Origin",
    "PersonMeeting",
    "PersonMeetingAction",
    "PersonMeetingInvitation",
    "PersonMeetingLink",
    "PersonMeetingReason",
    "PlanningForum",
    "SectionKind",
    "SectionSpec",
    "SignUp",
    "SignUpMethod",
    "review_latest",
    "sections_for",
]
