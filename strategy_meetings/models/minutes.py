"""What the minutes are made of: the sections (the ten considerations, and the four placement
factors for a looked-after child), each its own row with its own version, and the addenda
written after the minutes were finalised.

The wording of every section is the guidance's own [002 §6, §7] (domain.md §6).
"""

from __future__ import annotations

from dataclasses import dataclass

import pghistory
from django.db import models
from django.db.models import Q
from django.utils import timezone

from cse_portal.lifecycle import append_only, insert_requires_parent, rows_frozen_with_parent
from cse_portal.models import Agency, Officer
from strategy_meetings.models.meeting import Meeting


class SectionKind(models.TextChoices):
    CONSIDERATION = "consideration", "Consideration"
    PLACEMENT_FACTOR = "placement", "Placement factor (looked-after child)"


@dataclass(frozen=True)
class SectionSpec:
    key: str  # stable; also the slug of the section's page
    number: int  # 1..10 for the considerations, 1..4 for the placement factors
    kind: SectionKind
    title: str  # the guidance's words


# "Child sexual exploitation strategy meeting will consider:" [002 §6] (G19)
CONSIDERATIONS: tuple[SectionSpec, ...] = tuple(
    SectionSpec(key, n, SectionKind.CONSIDERATION, title)
    for n, (key, title) in enumerate(
        [
            (
                "needs-and-safety",
                "The needs of the young person and what arrangements may be necessary for his "
                "or her own safety.",
            ),
            ("section-47", "Whether to undertake section 47 enquiries"),
            (
                "emergency-action",
                "Whether emergency action is required to protect the young person",
            ),
            (
                "who-will-contact",
                "Who will have responsibility to contact, as appropriate, the young person and "
                "their parents/carers?",
            ),
            (
                "criminal-investigation",
                "How to co-ordinate the arrangements for the young person's safety with any "
                "criminal investigation.",
            ),
            (
                "protection-and-diversion",
                "How arrangements for continuing protection and diversion will be taken forward.",
            ),
            (
                "core-assessment",
                "The need for a multi-agency core assessment and roles of each agency within this.",
            ),
            (
                "involve-young-person",
                "How to involve the young person in this process if the young person is not at "
                "the meeting.",
            ),
            (
                "involve-family",
                "How to involve the young person's family in the process if they are not at the "
                "meeting.",
            ),
            (
                "others-at-risk",
                "To identify whether there are any other young people potentially at risk and "
                "whether there is any information known about the alleged abuser.",
            ),
        ],
        start=1,
    )
)

# "The strategy meeting should also consider the following factors:" for a child in care
# [002 §7] (G20)
PLACEMENT_FACTORS: tuple[SectionSpec, ...] = tuple(
    SectionSpec(key, n, SectionKind.PLACEMENT_FACTOR, title)
    for n, (key, title) in enumerate(
        [
            ("risk-to-child", "The risk to the child"),
            ("risks-to-other-children", "The risks to other children in the placement"),
            ("remain-in-placement", "Whether the child should remain in their present placement"),
            (
                "controlling-movements",
                "The feasibility of controlling the child's movements, and the likely effects of "
                "doing so",
            ),
        ],
        start=1,
    )
)

SECTIONS: dict[str, SectionSpec] = {s.key: s for s in (*CONSIDERATIONS, *PLACEMENT_FACTORS)}


def sections_for(*, looked_after: bool) -> tuple[SectionSpec, ...]:
    """The sections a meeting's minutes must address, in order."""
    return (*CONSIDERATIONS, *PLACEMENT_FACTORS) if looked_after else CONSIDERATIONS


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), append_only=True)
class MinutesSection(models.Model):
    """One section of the minutes: what the meeting said about one consideration (or one
    placement factor). Each section has its own version, so the chair and the minute-taker
    can write different sections at once; a stale save of the same section is refused.

    "Not relevant because …" is an answer; an empty section is not (G19).
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="sections")
    key = models.CharField(max_length=40, choices=[(k, s.title) for k, s in SECTIONS.items()])
    kind = models.CharField(max_length=20, choices=SectionKind.choices)
    position = models.PositiveSmallIntegerField()
    text = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        Officer, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["meeting", "position"]
        default_permissions = ()
        triggers = [
            rows_frozen_with_parent(
                "sections_of_draft_minutes_only",
                parent=Meeting,
                fk="meeting_id",
                message="Final minutes cannot be changed: add an addendum",
            )
        ]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "key"], name="one_section_per_key"),
            models.CheckConstraint(condition=Q(key__in=list(SECTIONS)), name="section_key_known"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting.reference}: {self.spec.title}"

    @property
    def spec(self) -> SectionSpec:
        return SECTIONS[self.key]

    @property
    def title(self) -> str:
        return self.spec.title

    @property
    def is_addressed(self) -> bool:
        return bool(self.text.strip())


# Where an addendum belongs, besides a section of the minutes.
ADDENDUM_PLACES: dict[str, str] = {
    "details": "The meeting's details and invitations",
    "attendance": "Attendance",
    "outcome": "The outcome and what parents and carers will be told",
}


@pghistory.track(pghistory.InsertEvent(), append_only=True)
class Addendum(models.Model):
    """A correction or addition to final minutes (G26): its own attributed row, shown where it
    belongs (`place`: a section's key, or one of ADDENDUM_PLACES). Never changed."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="addenda")
    place = models.CharField(max_length=40)
    text = models.TextField()
    written_by = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+")
    written_by_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(default=timezone.now)
    # The hidden key of the form: the same form sent twice adds one addendum.
    creation_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["meeting", "written_at", "id"]
        default_permissions = ()
        verbose_name_plural = "addenda"
        triggers = [
            append_only("addendum_is_immutable"),
            insert_requires_parent(
                "addenda_to_final_minutes_only",
                parent=Meeting,
                fk="meeting_id",
                value="final",
                message="An addendum is added to final minutes only",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="addendum_has_text"),
            models.CheckConstraint(
                condition=Q(place__in=[*SECTIONS, *ADDENDUM_PLACES]), name="addendum_place_known"
            ),
        ]

    def __str__(self) -> str:
        return f"Addendum to {self.meeting.reference} by {self.written_by}"

    @property
    def place_label(self) -> str:
        if self.place in SECTIONS:
            return SECTIONS[self.place].title
        return ADDENDUM_PLACES.get(self.place, self.place)
