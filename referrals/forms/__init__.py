"""Forms of the referral pathway, one module per subject (`referral`, `persons`,
`responses`). They validate and convert input; the services hold the rules, and the views
show the services' messages on the forms' fields."""

from referrals.forms.common import OfferedOfficerField, RealDateField
from referrals.forms.persons import PersonOfConcernForm
from referrals.forms.referral import (
    DETAIL_TEXT_FIELDS,
    PlaceForm,
    ReferralDetailsForm,
    SubmitForm,
    UnidentifiedChildForm,
)
from referrals.forms.responses import AcknowledgementForm, DecisionForm, LookedAfterNoticeForm

__all__ = [
    "DETAIL_TEXT_FIELDS",
    "AcknowledgementForm",
    "DecisionForm",
    "LookedAfterNoticeForm",
    "OfferedOfficerField",
    "PersonOfConcernForm",
    "PlaceForm",
    "RealDateField",
    "ReferralDetailsForm",
    "SubmitForm",
    "UnidentifiedChildForm",
]
