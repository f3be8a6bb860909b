"""Reads of referrals that views (and later apps) share, and the door to a referral.

A draft referral belongs to its agency: other agencies involved with the child neither see nor
open it (404). A sent referral is seen by every agency involved with the child — the receiving
children's social care (CSC) is involved from the moment it is sent.
"""

from __future__ import annotations

from typing import Any, TypedDict

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import BooleanField, Exists, ExpressionWrapper, F, OuterRef, QuerySet
from django.utils.functional import cached_property

from cse_portal.access import case_objects_visible_to, get_case_object_for, in_ids_of
from cse_portal.lifecycle import openable_by
from cse_portal.models import Child, Officer
from cse_portal.querysets import given_the_child
from referrals.models import (
    Outcome,
    PersonLink,
    Referral,
    ReferralDecision,
    ReferralIndicator,
    ReferralPlace,
    acknowledgement_overdue_condition,
    overdue_condition,
    with_overdue,
)


def _flagged(qs: QuerySet[Referral]) -> QuerySet[Referral]:
    """Annotations the lists show without a query per row: the decision overdue (G08), the
    acknowledgement overdue (G07), an identified person of concern named (G10)."""
    return with_overdue(qs).annotate(
        acknowledgement_overdue=ExpressionWrapper(
            acknowledgement_overdue_condition(), output_field=BooleanField()
        ),
        has_identified_person=_names_identified_person(),
    )


def _names_identified_person() -> Exists:
    """The referral names an identified person of concern (G10): `names_identified_person`."""
    return Exists(PersonLink.objects.filter(referral=OuterRef("pk")).exclude(person__full_name=""))


def _with_flags(qs: QuerySet[Referral]) -> QuerySet[Referral]:
    """`_flagged`, with every relation a referral's own page shows."""
    return _flagged(qs).select_related(
        "child",
        "child__home_authority",
        "referring_agency",
        "referred_by",
        "to_agency",
        "acknowledgement",
        "decision",
        "decision__approved_by",
        "decision__decided_by",
        "decision__recorded_by",
        "decision__evidence_judged_by",
        "looked_after_notice",
    )


# What a row of a list shows of a referral (`referrals/_status_tags.html` and the lists'
# columns): the referring agency's name, whether it was acknowledged, decided (the decision's
# outcome and time) and the team manager and IRO informed. Not the officers who decided,
# approved or recorded, nor the receiving agency (the officer's own): each relation joined is
# planned and compiled for every row list (12 joins cost the planner 4 to 10 ms; these 4, or 5
# with the child, well under 1).
_LISTED = ("referring_agency", "acknowledgement", "decision", "looked_after_notice")


def _listed(qs: QuerySet[Referral], *, with_child: bool = True) -> QuerySet[Referral]:
    """`_flagged` with what a list's row shows (`_LISTED`), and the child (its name, whether
    identified, looked after) unless the list is of one child's referrals."""
    return _flagged(qs).select_related(*_LISTED, *(("child",) if with_child else ()))


# --- The door: which referrals an officer may open, and who may act on one ------------------


def referrals_openable_by(officer: Officer | AnonymousUser) -> QuerySet[Referral]:
    """Sent referrals, and the drafts of the officer's own agency (not yet child-filtered:
    pass through the access layer)."""
    return openable_by(officer, Referral.objects.all(), agency_field="referring_agency")


def get_referral_for(officer: Officer | AnonymousUser, pk: object, *, child_pk: object) -> Referral:
    """The referral `pk` of child `child_pk` if the officer may open it; else 404."""
    return get_case_object_for(
        officer, _with_flags(referrals_openable_by(officer)), pk, child_pk=child_pk
    )


def is_referrer(officer: Officer | AnonymousUser, referral: Referral) -> bool:
    """The referring agency's officers write the draft and send it."""
    agency_id = getattr(officer, "agency_id", None)
    return agency_id is not None and referral.referring_agency_id == agency_id


def is_receiving_csc(officer: Officer | AnonymousUser, referral: Referral) -> bool:
    """The officers of the children's social care a referral was sent to acknowledge it, decide
    on it and record that the team manager and the IRO were informed."""
    agency_id = getattr(officer, "agency_id", None)
    return referral.is_submitted and agency_id is not None and referral.to_agency_id == agency_id


def get_referral_for_writing(
    officer: Officer | AnonymousUser, pk: object, *, child_pk: object
) -> Referral:
    """A referral of the officer's own agency: 404 if the officer may not open it, 403 if
    another agency made it."""
    referral = get_referral_for(officer, pk, child_pk=child_pk)
    if not is_referrer(officer, referral):
        raise PermissionDenied
    return referral


def get_referral_for_csc(
    officer: Officer | AnonymousUser, pk: object, *, child_pk: object
) -> Referral:
    """A referral sent to the officer's children's social care: 404 if the officer may not
    open it, 403 if it is not theirs to respond to."""
    referral = get_referral_for(officer, pk, child_pk=child_pk)
    if not is_receiving_csc(officer, referral):
        raise PermissionDenied
    return referral


def is_csc_officer(officer: Officer | AnonymousUser) -> bool:
    """An officer of a children's social care: they have a work tray."""
    agency = getattr(officer, "agency", None)
    return bool(officer.is_authenticated and agency is not None and agency.is_csc)


def leads_to_strategy_meeting(referral: Referral) -> bool:
    """A sent referral whose decision was an initial assessment then a strategy discussion,
    or that meets the strategy-meeting threshold (G10)."""
    decision = referral.decision_or_none
    strategy = decision is not None and decision.outcome == Outcome.INITIAL_ASSESSMENT
    return referral.is_submitted and (strategy or referral.meets_strategy_threshold)


# --- Lists ----------------------------------------------------------------------------------


def referrals_of_child(child: Child, officer: Officer) -> QuerySet[Referral]:
    """The child's referrals the officer may see (the child is fetched through the access
    layer already), newest first."""
    return (
        _with_flags(case_objects_visible_to(officer, referrals_openable_by(officer)))
        .filter(child=child)
        .order_by("-created_at", "-id")
    )


def referrals_listed_for_child(child: Child, officer: Officer) -> list[Referral]:
    """`referrals_of_child` with what the record page's list shows of each (`_LISTED`), each
    given the page's child (the same row, fetched through the door) instead of a join."""
    return given_the_child(
        _listed(case_objects_visible_to(officer, referrals_openable_by(officer)), with_child=False)
        .filter(child=child)
        .order_by("-created_at", "-id"),
        child,
    )


def sent_referrals_to_convene_from(child: Child, officer: Officer) -> list[Referral]:
    """The child's sent referrals the officer may see, newest first, with only what asks
    whether each leads to a strategy meeting (`leads_to_strategy_meeting`): its decision and
    whether it names an identified person; each given the page's child (fetched through the
    door) instead of a join. For the record's meetings section, which offers to convene a
    meeting from each: not the overdue flags and relations a list of referrals shows."""
    return given_the_child(
        case_objects_visible_to(officer, referrals_openable_by(officer))
        .filter(child=child, status=Referral.Status.SUBMITTED)
        .annotate(has_identified_person=_names_identified_person())
        .select_related("decision")
        .order_by("-created_at", "-id"),
        child,
    )


def tray_for(officer: Officer) -> QuerySet[Referral]:
    """CSC's work tray: referrals sent to the officer's agency that still need a decision,
    overdue first (the decision, G08, or the acknowledgement, G07), then by when the decision
    is due."""
    # The rows are found first by the slim `tray_count_queryset` (the agency's sent referrals
    # in an index, less those with a decision), then read by their ids with what the list
    # shows: in one statement with a dozen joins the planner misjudged the undecided ones as
    # one row and hashed every decision of the country to find them.
    ids = list(tray_count_queryset(officer).order_by().values_list("pk", flat=True))
    return (
        _listed(Referral.objects.filter(pk__in=ids))
        .annotate(
            late=ExpressionWrapper(
                overdue_condition() | acknowledgement_overdue_condition(),
                output_field=BooleanField(),
            )
        )
        .order_by(F("late").desc(), "decision_due", "id")
    )


def tray_count_queryset(officer: Officer) -> QuerySet[Referral]:
    """The rows of `tray_for`, without what the list shows of them: to count (the navigation's
    badge). The agency's sent referrals without a decision are found first, then only those
    few are checked against the agency's visible children (`case_objects_visible_to`)."""
    # The undecided ones: the agency's sent referrals (index referral_sent_to_agency) less the
    # agency's decisions (index decision_agency_latest: a decision's agency is its referral's
    # receiving CSC, the trigger decision_rules makes it so, and neither row ever changes),
    # a hash anti-join of two index-only scans. Read first as an array of ids (`in_ids_of`),
    # they are looked up by primary key and each one's child checked against the permission
    # index: a few probes. Filtered in one statement with the visibility (`child_id IN …`),
    # the planner hashed every visible child of the agency against all its sent referrals,
    # then probed a decision for each (12 ms for 26 rows of 3,234, against 1).
    undecided = Referral.objects.filter(
        status=Referral.Status.SUBMITTED, to_agency_id=officer.agency_id
    ).exclude(
        Exists(
            ReferralDecision.objects.filter(
                referral=OuterRef("pk"),
                # None for no agency: then the door below lists nothing anyway
                agency_id=officer.agency_id,  # type: ignore[misc]
            )
        )
    )
    return case_objects_visible_to(
        officer, Referral.objects.filter(in_ids_of("pk", undecided.order_by().values("pk")))
    )


def _decided(officer: Officer) -> QuerySet[Referral]:
    # The decision's own agency is the referral's receiving CSC (the trigger decision_rules
    # makes it so): saying so lets the database read the agency's decisions from the index
    # decision_agency_latest alone (it derives decision.agency = the agency) instead of
    # reading every decision of the country.
    return case_objects_visible_to(
        officer,
        Referral.objects.filter(
            status=Referral.Status.SUBMITTED,
            to_agency_id=officer.agency_id,
            decision__agency_id=F("to_agency_id"),
        ),
    )


_LATEST_DECISION_FIRST = ("-decision__decided_at", "-id")


def decided_for(officer: Officer) -> QuerySet[Referral]:
    """Referrals to the officer's CSC that have a decision, the latest decision first."""
    return _decided_rows(_decided(officer))


def _decided_rows(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    return _listed(referrals).order_by(*_LATEST_DECISION_FIRST)


class DecidedPaginator(Paginator):
    """`decided_for` by pages: a page's referrals are found by the slim `_decided` (the
    agency's decisions from the index decision_agency_latest, their referrals from the index
    referral_sent_to_agency, no table read), then read by their ids with what the list shows;
    the total is counted without the list's joins. (In one statement with a dozen joins the
    planner hashed every decision of the country and sorted the agency's before taking 25.)"""

    def __init__(self, officer: Officer, per_page: int) -> None:
        super().__init__(decided_for(officer), per_page)
        self._officer = officer

    @cached_property
    def count(self) -> int:
        return _decided(self._officer).count()

    def page(self, number: Any) -> Page[Referral]:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        keys = (
            _decided(self._officer).order_by(*_LATEST_DECISION_FIRST).values_list("pk", flat=True)
        )
        rows = _decided_rows(
            Referral.objects.filter(pk__in=list(keys[bottom : bottom + self.per_page]))
        )
        return Page(list(rows), number, self)


def overdue_count_for(officer: Officer) -> int:
    """How many decisions are overdue in the officer's CSC (shown to the team manager)."""
    return case_objects_visible_to(
        officer, Referral.objects.filter(to_agency_id=officer.agency_id).overdue()
    ).count()


def acknowledgements_overdue_count_for(officer: Officer) -> int:
    """How many acknowledgements to referrers are overdue in the officer's CSC (G07)."""
    return case_objects_visible_to(
        officer,
        Referral.objects.filter(to_agency_id=officer.agency_id).filter(
            acknowledgement_overdue_condition()
        ),
    ).count()


def sent_by_agency_of(officer: Officer) -> QuerySet[Referral]:
    """The referrals the officer's agency has made (drafts included), newest first."""
    return _with_flags(
        case_objects_visible_to(
            officer, Referral.objects.filter(referring_agency_id=officer.agency_id)
        )
    ).order_by("-created_at", "-id")


class ReferralContents(TypedDict):
    indicators: list[ReferralIndicator]
    places: list[ReferralPlace]
    person_links: list[PersonLink]


def referral_contents(referral: Referral) -> ReferralContents:
    """What a referral page shows besides the referral row itself."""
    return {
        "indicators": list(referral.indicators.order_by("position")),
        "places": list(referral.places.order_by("added_at", "id")),
        "person_links": list(
            referral.person_links.select_related("person").order_by("linked_at", "id")
        ),
    }


def csc_officers(agency_id: int | None, roles: tuple[str, ...]) -> QuerySet[Officer]:
    if agency_id is None:
        return Officer.objects.none()
    return Officer.objects.filter(agency_id=agency_id, role__in=roles, is_active=True).order_by(
        "last_name", "first_name"
    )


def iro_officers(referral: Referral) -> QuerySet[Officer]:
    """Independent reviewing officers the social worker may have informed: the receiving
    CSC's, and those of the other agencies of the same local authority."""
    to_agency = referral.to_agency
    if to_agency is None:
        return Officer.objects.none()
    return Officer.objects.filter(
        role=Officer.Role.IRO,
        is_active=True,
        agency__local_authority_id=to_agency.local_authority_id,
    ).order_by("last_name", "first_name")
