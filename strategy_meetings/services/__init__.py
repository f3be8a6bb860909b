"""Writes of strategy meetings, one module per subject. Keyword-only; the acting officer is
passed in; every write is attributed (`cse_portal.lifecycle`).

- `convening`: convening a meeting (CSC; G17, G18, G20, G29) and changing its details;
- `invitations`: inviting an agency and a person (which involves the agency with the child),
  declining, removing (which ends that involvement unless another reason holds);
- `minutes`: attendance, the sections (per-section versions), the outcome (G21, G25);
- `finalising`: `finalise_problems(meeting)`, `meeting_finalise`, addenda (G26), and
  `register_finalise_rule(key, rule)` — the hook through which the action plan adds "every
  attendee has signed up" (G23) to what finalising requires;
- `notices`: in-portal notices to invitees, and the e-mail that carries no case content.

Who may do what is the predicates' of `strategy_meetings.selectors`; the views fetch the
meeting through the door first, and these functions check the officer's part again on the
locked row (PermissionDenied) and the rules (ValidationError, field → message).
"""

from cse_portal.lifecycle import ConcurrentEditError
from strategy_meetings.services.convening import (
    Convening,
    MeetingDetails,
    Source,
    convene_problems,
    details_problems,
    meeting_convene,
    meeting_update_details,
)
from strategy_meetings.services.finalising import (
    FinaliseRule,
    addendum_problems,
    extra_finalise_problems,
    finalise_problems,
    meeting_add_addendum,
    meeting_finalise,
    register_finalise_rule,
)
from strategy_meetings.services.invitations import (
    Invitee,
    invitation_decline,
    invitation_problems,
    invitation_remove,
    meeting_invite,
    removal_problems,
)
from strategy_meetings.services.minutes import (
    AttendanceAnswer,
    FamilyAttendance,
    OutcomeAnswers,
    attendance_problems,
    meeting_record_attendance,
    meeting_record_outcome,
    outcome_problems,
    section_save,
)
from strategy_meetings.services.notices import (
    INVITATION_EMAIL_SUBJECT,
    INVITATION_EMAIL_TEXT,
    mark_read,
    send_invitation_emails,
)

__all__ = [
    "INVITATION_EMAIL_SUBJECT",
    "INVITATION_EMAIL_TEXT",
    "AttendanceAnswer",
    "ConcurrentEditError",
    "Convening",
    "FamilyAttendance",
    "FinaliseRule",
    "Invitee",
    "MeetingDetails",
    "OutcomeAnswers",
    "Source",
    "addendum_problems",
    "attendance_problems",
    "convene_problems",
    "details_problems",
    "extra_finalise_problems",
    "finalise_problems",
    "invitation_decline",
    "invitation_problems",
    "invitation_remove",
    "mark_read",
    "meeting_add_addendum",
    "meeting_convene",
    "meeting_finalise",
    "meeting_invite",
    "meeting_record_attendance",
    "meeting_record_outcome",
    "meeting_update_details",
    "outcome_problems",
    "register_finalise_rule",
    "removal_problems",
    "section_save",
    "send_invitation_emails",
]
