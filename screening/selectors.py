"""Reads of screenings that views (and the referrals app) share, and who may do what.

A draft screening belongs to its agency: other agencies involved with the child neither see
nor can open it (404). Submitted screenings are seen by every agency involved with the child.
Each permission rule is one predicate here, beside the door (`get_screening_for`), used by
views, services and templates alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from cse_portal.access import case_objects_visible_to, get_case_object_for
from cse_portal.lifecycle import openable_by
from cse_portal.querysets import given_the_child
from screening import rules
from screening.models import (
    Answer,
    CatalogueVersion,
    Conclusion,
    Heading,
    Indicator,
    Screening,
    ScreeningAdvice,
    ScreeningAnswer,
)

if TYPE_CHECKING:
    from cse_portal.models import Child, Officer


def screenings_openable_by(officer: Officer | AnonymousUser) -> QuerySet[Screening]:
    """Submitted screenings, and drafts of the officer's own agency (not yet child-filtered:
    pass through the access layer)."""
    return openable_by(officer, Screening.objects.all(), agency_field="agency").select_related(
        "child", "agency", "catalogue", "created_by", "submitted_by"
    )


def get_screening_for(
    officer: Officer | AnonymousUser, pk: object, *, child_pk: object
) -> Screening:
    """The screening `pk` of child `child_pk` if the officer may open it; else 404."""
    return get_case_object_for(officer, screenings_openable_by(officer), pk, child_pk=child_pk)


def _of_the_screening_agency(officer: Officer, screening: Screening) -> bool:
    return officer.agency_id is not None and officer.agency_id == screening.agency_id


def can_write_draft(officer: Officer, screening: Screening) -> bool:
    """Officers of the screening's agency write its draft (once submitted it is frozen for
    everyone: the service's version claim and the database refuse the change)."""
    return _of_the_screening_agency(officer, screening)


def can_advise(officer: Officer, screening: Screening) -> bool:
    """The screening agency's CSE lead officer records advice on it."""
    return officer.is_cse_lead and _of_the_screening_agency(officer, screening)


def screenings_of_child(child: Child, officer: Officer) -> QuerySet[Screening]:
    """The child's screenings the officer may see (the child is already fetched through the
    access layer), newest first."""
    return (
        case_objects_visible_to(officer, screenings_openable_by(officer))
        .filter(child=child)
        .annotate(has_advice=Exists(ScreeningAdvice.objects.filter(screening=OuterRef("pk"))))
        .order_by("-created_at", "-id")
    )


def screenings_listed_for_child(child: Child, officer: Officer) -> list[Screening]:
    """`screenings_of_child` with what the record page's cards show of each: its agency's
    name (not the catalogue nor who started or submitted it: each join is planned for every
    record page), each given the page's child (the same row, fetched through the door)."""
    return given_the_child(
        screenings_of_child(child, officer).select_related(None).select_related("agency"), child
    )


def screenings_awaiting_advice(officer: Officer) -> QuerySet[Screening]:
    """For a CSE lead officer: their agency's submitted screenings that conclude "discuss with
    the lead officer" and have no advice yet, of children the officer can see; oldest sent
    first, with what the lists show of each."""
    return (
        screenings_awaiting_advice_rows(officer)
        .select_related("child", "submitted_by", "agency")
        .order_by("submitted_at", "id")
    )


def screenings_awaiting_advice_rows(officer: Officer) -> QuerySet[Screening]:
    """`screenings_awaiting_advice`, the rows alone (no relations, no order): what the
    navigation's badge counts on every page."""
    if not officer.is_cse_lead or officer.agency_id is None:
        return Screening.objects.none()
    return (
        case_objects_visible_to(officer, Screening.objects.all())
        .filter(
            agency_id=officer.agency_id,
            status=Screening.Status.SUBMITTED,
            conclusion=Conclusion.DISCUSS,
        )
        .exclude(Exists(ScreeningAdvice.objects.filter(screening=OuterRef("pk"))))
    )


def drafts_started_by(officer: Officer) -> QuerySet[Screening]:
    """The officer's own draft screenings (of their agency, of children they can still see),
    most recently saved first, each with how many indicators it answers."""
    if officer.agency_id is None:
        return Screening.objects.none()
    indicators = (
        Indicator.objects.filter(version=OuterRef("catalogue"))
        .values("version")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        case_objects_visible_to(officer, Screening.objects.all())
        .filter(status=Screening.Status.DRAFT, agency_id=officer.agency_id, created_by=officer)
        .annotate(
            answered=Count("answers", filter=~Q(answers__answer="")),
            indicator_count=Subquery(indicators),
        )
        .select_related("child")
        .order_by("-updated_at", "-id")
    )


def current_catalogue() -> CatalogueVersion:
    """The newest catalogue version: new screenings use it."""
    version = CatalogueVersion.objects.order_by("-number").first()
    if version is None:
        raise RuntimeError("No SAFEGUARD catalogue is loaded: run the migrations.")
    return version


@dataclass(frozen=True)
class CatalogueHeading:
    """One heading of a catalogue with its indicators, in order."""

    heading: Heading
    indicators: list[Indicator]


@dataclass(frozen=True)
class AnsweredIndicator:
    indicator: Indicator
    answer: ScreeningAnswer | None  # None: not answered (and no note)

    @property
    def answered(self) -> bool:
        return self.answer is not None and bool(self.answer.answer)


class SectionStatus:
    """A heading's status in the task list: completed when every indicator has an answer."""

    COMPLETED = "Completed"
    IN_PROGRESS = "In progress"
    NOT_STARTED = "Not yet started"


@dataclass(frozen=True)
class AnsweredHeading:
    """One heading of a screening's catalogue, each indicator with the screening's answer."""

    heading: Heading
    indicators: list[AnsweredIndicator]

    @property
    def slug(self) -> str:
        """The heading as it appears in a section page's address: "A1" → "a1"."""
        return section_slug(self.heading)

    @property
    def status(self) -> str:
        if all(item.answered for item in self.indicators):
            return SectionStatus.COMPLETED
        if any(item.answer is not None for item in self.indicators):
            return SectionStatus.IN_PROGRESS  # an answer, or a note without one yet
        return SectionStatus.NOT_STARTED

    @property
    def completed(self) -> bool:
        return self.status == SectionStatus.COMPLETED

    @property
    def first_unanswered(self) -> Indicator | None:
        return next((i.indicator for i in self.indicators if not i.answered), None)

    def as_catalogue_heading(self) -> CatalogueHeading:
        return CatalogueHeading(
            heading=self.heading, indicators=[i.indicator for i in self.indicators]
        )


def section_slug(heading: Heading) -> str:
    return heading.code.lower()


def headings_with_indicators(catalogue: CatalogueVersion) -> list[CatalogueHeading]:
    """The catalogue's headings in order, each with its indicators in order."""
    headings = list(catalogue.headings.order_by("position"))
    by_heading: dict[int, list[Indicator]] = {h.pk: [] for h in headings}
    for indicator in catalogue.indicators.order_by("heading__position", "position"):
        by_heading[indicator.heading_id].append(indicator)
    return [CatalogueHeading(heading=h, indicators=by_heading[h.pk]) for h in headings]


def answers_of(screening: Screening) -> QuerySet[ScreeningAnswer]:
    return screening.answers.select_related("indicator", "indicator__heading").order_by(
        "indicator__heading__position", "indicator__position"
    )


def answered_catalogue(screening: Screening) -> list[AnsweredHeading]:
    """The screening's catalogue by heading, each indicator with its answer (or None)."""
    answers = {a.indicator_id: a for a in answers_of(screening)}
    return [
        AnsweredHeading(
            heading=section.heading,
            indicators=[AnsweredIndicator(i, answers.get(i.pk)) for i in section.indicators],
        )
        for section in headings_with_indicators(screening.catalogue)
    ]


@dataclass(frozen=True)
class Progress:
    """A draft's sections for the task list, and how many are completed."""

    sections: list[AnsweredHeading]

    @property
    def completed(self) -> int:
        return sum(1 for section in self.sections if section.completed)

    @property
    def total(self) -> int:
        return len(self.sections)

    @property
    def all_completed(self) -> bool:
        return self.completed == self.total

    def first_unanswered(self) -> tuple[AnsweredHeading, Indicator] | None:
        for section in self.sections:
            indicator = section.first_unanswered
            if indicator is not None:
                return section, indicator
        return None

    def section(self, slug: str) -> AnsweredHeading | None:
        return next((s for s in self.sections if s.slug == slug), None) if slug else None

    def catalogue_headings(self) -> list[CatalogueHeading]:
        return [s.as_catalogue_heading() for s in self.sections]

    @property
    def tally(self) -> rules.Tally:
        """The answers counted by kind (as services.screening_tally, from what is loaded)."""
        return rules.Tally.of(
            (item.indicator.kind, item.answer.answer if item.answer else "")
            for section in self.sections
            for item in section.indicators
        )

    def first_to_do(self) -> AnsweredHeading:
        """Where "carry on" goes: the first section not completed (else the first)."""
        return next((s for s in self.sections if not s.completed), self.sections[0])


def section_after(catalogue: CatalogueVersion, slug: str) -> str | None:
    """The slug of the heading after the one named `slug`, or None after the last."""
    slugs = [section_slug(h) for h in catalogue.headings.order_by("position")]
    if slug not in slugs:
        return None
    index = slugs.index(slug) + 1
    return slugs[index] if index < len(slugs) else None


def progress_of(screening: Screening) -> Progress:
    return Progress(sections=answered_catalogue(screening))


def referrals_from(screening: Screening, officer: Officer) -> list[Any]:
    """The referrals started from the screening that the officer may know of: sent ones, and
    drafts only for the referring agency (the referral's model is the referrals app's: read
    through the reverse relation, by URL name in the templates, without importing it)."""
    referrals = getattr(screening, "referrals", None)
    if referrals is None:  # the referrals app is not installed
        return []
    return [
        referral
        for referral in referrals.order_by("created_at")
        if not referral.is_draft or referral.referring_agency_id == officer.agency_id
    ]


def advice_on(screening: Screening) -> QuerySet[ScreeningAdvice]:
    return screening.advice.select_related("given_by", "given_by__agency").order_by(
        "given_at", "id"
    )


# --- For the referrals app (G06) -----------------------------------------------------------


def screening_for_referral(
    officer: Officer, *, child_pk: object, screening_pk: object
) -> Screening:
    """The submitted screening `screening_pk` of child `child_pk` that concludes "refer",
    if the officer may see it; else 404."""
    screening = get_screening_for(officer, screening_pk, child_pk=child_pk)
    if not (screening.is_submitted and screening.conclusion == Conclusion.REFER):
        raise Http404("No screening to refer from.")
    return screening


def present_answers(screening: Screening) -> list[ScreeningAnswer]:
    """The answers recorded as present, in catalogue order, with indicator and heading."""
    return list(answers_of(screening).filter(answer=Answer.PRESENT))
