"""Pages of the referral pathway, one module per subject: `referral` (starting, writing and
sending a referral; the list of those sent), `persons` (the persons of concern a draft
names) and `responses` (children's social care's work tray and response)."""

from referrals.views.persons import referral_person_edit, referral_person_remove, referral_persons
from referrals.views.referral import (
    referral_detail,
    referral_edit,
    referral_place_remove,
    referral_places,
    referral_sent_list,
    referral_start,
    referral_start_unidentified,
    referral_submit,
)
from referrals.views.responses import (
    referral_acknowledge,
    referral_decide,
    referral_inform,
    referral_tray,
)

__all__ = [
    "referral_acknowledge",
    "referral_decide",
    "referral_detail",
    "referral_edit",
    "referral_inform",
    "referral_person_edit",
    "referral_person_remove",
    "referral_persons",
    "referral_place_remove",
    "referral_places",
    "referral_sent_list",
    "referral_start",
    "referral_start_unidentified",
    "referral_submit",
    "referral_tray",
]
