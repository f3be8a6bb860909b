"""Forms of strategy meetings, one module per subject (`convening`, `invitations`,
`minutes`). They convert input; the rules are the services', shown on the forms' fields by
the views."""

from strategy_meetings.forms.actions import (
    ACTION_TEXT_FIELDS,
    PROGRESS_TEXT_FIELDS,
    ActionForm,
    ConveneReviewForm,
    ProgressForm,
    RecordAgreementForm,
    RemoveActionForm,
    ReviewDateForm,
    SignUpForm,
)
from strategy_meetings.forms.convening import (
    CONVENE_TEXT_FIELDS,
    DETAILS_TEXT_FIELDS,
    ConveneForm,
    MeetingDetailsForm,
)
from strategy_meetings.forms.invitations import (
    ChooseAgencyForm,
    DeclineForm,
    InviteForm,
    RemoveForm,
)
from strategy_meetings.forms.minutes import (
    OUTCOME_TEXT_FIELDS,
    AddendumForm,
    AttendanceForm,
    FinaliseForm,
    OutcomeForm,
    SectionForm,
)

__all__ = [
    "ACTION_TEXT_FIELDS",
    "CONVENE_TEXT_FIELDS",
    "DETAILS_TEXT_FIELDS",
    "OUTCOME_TEXT_FIELDS",
    "PROGRESS_TEXT_FIELDS",
    "ActionForm",
    "AddendumForm",
    "AttendanceForm",
    "ChooseAgencyForm",
    "ConveneForm",
    "ConveneReviewForm",
    "DeclineForm",
    "FinaliseForm",
    "InviteForm",
    "MeetingDetailsForm",
    "OutcomeForm",
    "ProgressForm",
    "RecordAgreementForm",
    "RemoveActionForm",
    "RemoveForm",
    "ReviewDateForm",
    "SectionForm",
    "SignUpForm",
]
