"""Writes of the referral pathway, one module per subject. Keyword-only; the acting officer
is passed in; every write is attributed (`cse_portal.lifecycle`).

- `referral`: starting a referral, writing its details and places, sending it;
- `persons`: persons of concern named in a draft (the network across children);
- `persons_network`: naming a known person, merging duplicates, disruption actions (G30–G32);
- `responses`: children's social care's acknowledgement and decision;
- `looked_after`: informing the team manager and the IRO of a looked-after child (G11);
- `assessment`, `assessment_work`: the CSE2 risk assessment, its contributions and tasks;
- `assessment_persons`: the persons of concern a draft assessment names (G30).

Who may do what: the referring agency's officers write a draft and send it; the receiving
children's social care's officers respond. The views fetch the referral through the door
(`referrals.selectors`) first; these functions check the officer's part again on the locked
row and refuse with PermissionDenied, and refuse what the referral's state or the rules do
not allow with ValidationError (field → message where a field is at fault).
"""

from cse_portal.lifecycle import ConcurrentEditError
from referrals.services.assessment import (
    AnswerInput,
    Judgement,
    assessment_create,
    assessment_finalise,
    assessment_save_answers,
    finalisation_problems,
)
from referrals.services.assessment_persons import (
    assessment_person_add,
    assessment_person_change,
    assessment_person_link_existing,
    assessment_person_remove,
    assessment_persons_from_referral,
)
from referrals.services.assessment_work import (
    TaskInput,
    assessment_contribute,
    assessment_invite,
    assessment_task_add,
    assessment_task_done,
    assessment_task_remove,
    contribution_problems,
    task_problems,
)
from referrals.services.looked_after import (
    looked_after_notice_problems,
    referral_record_looked_after_notice,
)
from referrals.services.persons import (
    PERSON_FIELDS,
    normalise_registration,
    person_problems,
    referral_person_add,
    referral_person_remove,
    referral_person_update,
)
from referrals.services.persons_network import (
    disruption_addendum_add,
    disruption_problems,
    disruption_record,
    merge_problems,
    person_merge,
    referral_person_link_existing,
)
from referrals.services.referral import (
    DETAIL_FIELDS,
    PLACE_FIELDS,
    SubmitResult,
    details_problems,
    place_problems,
    referral_create,
    referral_create_for_unidentified_child,
    referral_place_add,
    referral_place_remove,
    referral_submit,
    referral_update,
    submission_problems,
)
from referrals.services.responses import (
    DECIDING_ROLES,
    Acknowledgement,
    acknowledgement_problems,
    asks_whether_person_well_evidenced,
    decision_problems,
    meets_threshold_with,
    referral_acknowledge,
    referral_decide,
)

__all__ = [
    "DECIDING_ROLES",
    "DETAIL_FIELDS",
    "PERSON_FIELDS",
    "PLACE_FIELDS",
    "Acknowledgement",
    "AnswerInput",
    "ConcurrentEditError",
    "Judgement",
    "SubmitResult",
    "TaskInput",
    "acknowledgement_problems",
    "asks_whether_person_well_evidenced",
    "assessment_contribute",
    "assessment_create",
    "assessment_finalise",
    "assessment_invite",
    "assessment_person_add",
    "assessment_person_change",
    "assessment_person_link_existing",
    "assessment_person_remove",
    "assessment_persons_from_referral",
    "assessment_save_answers",
    "assessment_task_add",
    "assessment_task_done",
    "assessment_task_remove",
    "contribution_problems",
    "decision_problems",
    "details_problems",
    "disruption_addendum_add",
    "disruption_problems",
    "disruption_record",
    "finalisation_problems",
    "looked_after_notice_problems",
    "meets_threshold_with",
    "merge_problems",
    "normalise_registration",
    "person_merge",
    "person_problems",
    "place_problems",
    "referral_acknowledge",
    "referral_create",
    "referral_create_for_unidentified_child",
    "referral_decide",
    "referral_person_add",
    "referral_person_link_existing",
    "referral_person_remove",
    "referral_person_update",
    "referral_place_add",
    "referral_place_remove",
    "referral_record_looked_after_notice",
    "referral_submit",
    "referral_update",
    "submission_problems",
    "task_problems",
]
