"""Pages of the SAFEGUARD screening tool, by subject: drafting a screening (the start page,
the task list and one page per heading), checking and submitting it, and the lead officer's
advice."""

from screening.views.advice import awaiting_advice, screening_advice
from screening.views.drafting import drafts, screening_edit, screening_new
from screening.views.submitting import screening_detail, screening_submit

__all__ = [
    "awaiting_advice",
    "drafts",
    "screening_advice",
    "screening_detail",
    "screening_edit",
    "screening_new",
    "screening_submit",
]
