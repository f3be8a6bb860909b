"""The referrals app's models, one module per subject:

- `referral`: the CSE1 referral, the indicators copied from its screening, its places;
- `persons`: persons of concern and their links to children (the network across children);
- `responses`: children's social care's acknowledgement, decision and looked-after notice.

The CSE2/SERA assessment will be a subject of its own here. Every model keeps the app label
`referrals` and its table; `from referrals.models import X` works for each of them.
"""

from referrals.models.assessment_tool import (
    DEFAULT_TOOL_CODE,
    AssessmentTool,
    AuthorityAssessmentTool,
    ToolDomain,
    ToolIndicator,
    ToolOutcome,
    ToolRecencyBand,
)
from referrals.models.persons import PersonLink, PersonOfConcern
from referrals.models.referral import (
    Consent,
    LawfulBasis,
    Referral,
    ReferralIndicator,
    ReferralPlace,
    ReferralQuerySet,
    YesNoNotKnown,
    overdue_condition,
    with_overdue,
)
from referrals.models.responses import (
    ApprovalMethod,
    InformMethod,
    LookedAfterNotice,
    Outcome,
    ReferralAcknowledgement,
    ReferralDecision,
    acknowledgement_overdue_condition,
)

__all__ = [
    "DEFAULT_TOOL_CODE",
    "ApprovalMethod",
    "AssessmentTool",
    "AuthorityAssessmentTool",
    "Consent",
    "InformMethod",
    "LawfulBasis",
    "LookedAfterNotice",
    "Outcome",
    "PersonLink",
    "PersonOfConcern",
    "Referral",
    "ReferralAcknowledgement",
    "ReferralDecision",
    "ReferralIndicator",
    "ReferralPlace",
    "ReferralQuerySet",
    "ToolDomain",
    "ToolIndicator",
    "ToolOutcome",
    "ToolRecencyBand",
    "YesNoNotKnown",
    "acknowledgement_overdue_condition",
    "overdue_condition",
    "with_overdue",
]
