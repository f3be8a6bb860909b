"""The referrals app's models, one module per subject:

- `referral`: the CSE1 referral, the indicators copied from its screening, its places;
- `persons`: persons of concern and their links to children (the network across children);
- `disruption`: merges of duplicate persons and disruption actions against a person (G30, G32);
- `responses`: children's social care's acknowledgement, decision and looked-after notice;
- `missing`: missing episodes of a child and their return interviews (G33);
- `case_status`: the closures of a child's CSE case by children's social care, and their
  reopenings (G16: reassessment while the case is open).

The CSE2 assessment: `assessment_tool` (the tools as data) and `assessment` (the risk
assessments of a child, their answers, contributions and tasks). Every model keeps the app label
`referrals` and its table; `from referrals.models import X` works for each of them.
"""

from referrals.models.assessment import (
    AssessmentAnswer,
    AssessmentContribution,
    AssessmentInformationTask,
    AssessmentInvitation,
    AssessmentStatus,
    RiskAssessment,
)
from referrals.models.assessment_tool import (
    DEFAULT_TOOL_CODE,
    AssessmentTool,
    AuthorityAssessmentTool,
    ToolDomain,
    ToolIndicator,
    ToolOutcome,
    ToolPrefillLink,
    ToolPrefillMap,
    ToolRecencyBand,
)
from referrals.models.case_status import CaseClosure, ClosureReason, ReopenReason
from referrals.models.disruption import (
    DisruptionAction,
    DisruptionAddendum,
    DisruptionKind,
    PersonMerge,
)
from referrals.models.missing import (
    EpisodeStatus,
    InterviewOutcome,
    MissingEpisode,
    MissingEpisodeAddendum,
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
    "AssessmentAnswer",
    "AssessmentContribution",
    "AssessmentInformationTask",
    "AssessmentInvitation",
    "AssessmentStatus",
    "AssessmentTool",
    "AuthorityAssessmentTool",
    "CaseClosure",
    "ClosureReason",
    "Consent",
    "DisruptionAction",
    "DisruptionAddendum",
    "DisruptionKind",
    "EpisodeStatus",
    "InformMethod",
    "InterviewOutcome",
    "LawfulBasis",
    "LookedAfterNotice",
    "MissingEpisode",
    "MissingEpisodeAddendum",
    "Outcome",
    "PersonLink",
    "PersonMerge",
    "PersonOfConcern",
    "Referral",
    "ReferralAcknowledgement",
    "ReferralDecision",
    "ReferralIndicator",
    "ReferralPlace",
    "ReferralQuerySet",
    "ReopenReason",
    "RiskAssessment",
    "ToolDomain",
    "ToolIndicator",
    "ToolOutcome",
    "ToolPrefillLink",
    "ToolPrefillMap",
    "ToolRecencyBand",
    "YesNoNotKnown",
    "acknowledgement_overdue_condition",
    "overdue_condition",
    "with_overdue",
]
