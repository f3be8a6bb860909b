"""Writes of strategy meetings, one module per subject. Keyword-only; the acting officer is
passed in; every write is attributed (`cse_portal.lifecycle`).

- `convening`: convening a meeting (CSC; G17, G18, G20, G29) and changing its details;
- `invitations`: inviting an agency and a person (which involves the agency with the child),
  declining, removing (which ends that involvement unless another reason holds);
- `minutes`: attendance, the sections (per-section versions), the outcome (G21, G25);
- `finalising`: `finalise_problems(meeting)`, `meeting_finalise`, addenda (G26), and
  `register_finalise_rule(key, rule)` — the hook through which the action plan adds "every
  attendee has signed up" (G23) to what finalising requires;
- `notices`: in-portal notices to invitees, and the e-mail that carries no case content;
- `actions`: the SMART action plan (G22), the attendees' sign-ups (G23), the review date
  (G24) and `plan_finalise_problems`, the rule the plan adds to finalising;
- `progress`: after finalising, action updates as their own rows (G26) and the review
  meeting convened from the plan (G24);
- `digest`: the canonical JSON of the finalised record and its SHA-256 (G27).

Who may do what is the predicates' of `strategy_meetings.selectors`; the views fetch the
meeting through the door first, and these functions check the officer's part again on the
locked row (PermissionDenied) and the rules (ValidationError, field → message).
"""

from cse_portal.lifecycle import ConcurrentEditError
from strategy_meetings.services.actions import (
    PLAN_CHANGED,
    ActionAnswers,
    action_add,
    action_change,
    action_problems,
    action_remove,
    plan_finalise_problems,
    plan_record_agreement,
    plan_set_review_date,
    plan_sign,
    review_date_problems,
)
from strategy_meetings.services.convening import (
    Convening,
    MeetingDetails,
    Source,
    convene_problems,
    details_problems,
    meeting_convene,
    meeting_update_details,
)
from strategy_meetings.services.digest import canonical_json, digest_matches_record, digest_store
from strategy_meetings.services.finalising import (
    FinalisedStep,
    FinaliseRule,
    addendum_problems,
    extra_finalise_problems,
    finalise_problems,
    meeting_add_addendum,
    meeting_finalise,
    register_finalise_rule,
    register_finalised_step,
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
from strategy_meetings.services.progress import (
    action_record_progress,
    progress_problems,
    review_convene,
)

__all__ = [
    "INVITATION_EMAIL_SUBJECT",
    "INVITATION_EMAIL_TEXT",
    "PLAN_CHANGED",
    "ActionAnswers",
    "AttendanceAnswer",
    "ConcurrentEditError",
    "Convening",
    "FamilyAttendance",
    "FinaliseRule",
    "FinalisedStep",
    "Invitee",
    "MeetingDetails",
    "OutcomeAnswers",
    "Source",
    "action_add",
    "action_change",
    "action_problems",
    "action_record_progress",
    "action_remove",
    "addendum_problems",
    "attendance_problems",
    "canonical_json",
    "convene_problems",
    "details_problems",
    "digest_matches_record",
    "digest_store",
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
    "plan_finalise_problems",
    "plan_record_agreement",
    "plan_set_review_date",
    "plan_sign",
    "progress_problems",
    "register_finalise_rule",
    "register_finalised_step",
    "removal_problems",
    "review_convene",
    "review_date_problems",
    "section_save",
    "send_invitation_emails",
]
