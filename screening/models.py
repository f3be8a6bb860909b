"""The SAFEGUARD screening tool: a versioned indicator catalogue, screenings and their answers,
and the lead officer's advice.

The catalogue is reference data loaded from `fixtures/` (a data migration loads version 1;
`manage.py load_catalogue` loads later versions). Its rows are never changed once loaded, so
a screening always shows the indicator texts the screener saw.
"""

from __future__ import annotations

import pghistory
import pgtrigger
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from cse_portal.lifecycle import (
    append_only,
    frozen_once,
    insert_requires_parent,
    rows_frozen_with_parent,
)
from cse_portal.models import Agency, Child, Officer
from screening.rules import (
    Answer,
    Conclusion,
    Kind,
    Suggestion,
    conclusion_agrees_q,
    follow_up_given_q,
)

__all__ = [
    "Answer",
    "CatalogueVersion",
    "Conclusion",
    "Heading",
    "Indicator",
    "Kind",
    "Screening",
    "ScreeningAdvice",
    "ScreeningAnswer",
    "Suggestion",
]


class CatalogueVersion(models.Model):
    """One published version of the SAFEGUARD indicator catalogue."""

    number = models.PositiveIntegerField(unique=True)
    title = models.CharField(max_length=200)
    source = models.TextField(help_text="Where the indicator texts come from.")
    loaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["number"]
        triggers = [append_only("catalogue_version_immutable")]

    def __str__(self) -> str:
        return f"{self.title}, version {self.number}"


class Heading(models.Model):
    """One of the nine SAFEGUARD headings, e.g. S — Sexual health and behaviour."""

    version = models.ForeignKey(CatalogueVersion, on_delete=models.PROTECT, related_name="headings")
    # SAFEGUARD has two A's: codes are unique (A1, A2), letters are what the mnemonic shows.
    code = models.CharField(max_length=10)
    letter = models.CharField(max_length=1)
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["version", "position"]
        triggers = [append_only("heading_immutable")]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="heading_code_unique"),
            models.UniqueConstraint(fields=["version", "position"], name="heading_position_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.letter} — {self.title}"


class Indicator(models.Model):
    """One indicator the screener answers, in the guidance's own words."""

    class OccList(models.TextChoices):
        VULNERABILITIES = "vulnerabilities", "Typical vulnerabilities prior to abuse"
        SIGNS = "signs", "Signs seen in children already being exploited"

    Kind = Kind

    version = models.ForeignKey(
        CatalogueVersion, on_delete=models.PROTECT, related_name="indicators"
    )
    heading = models.ForeignKey(Heading, on_delete=models.PROTECT, related_name="indicators")
    code = models.CharField(max_length=20)
    position = models.PositiveSmallIntegerField()
    text = models.TextField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # Which list of the Office of the Children's Commissioner checklist the text comes from.
    occ_list = models.CharField(max_length=20, choices=OccList.choices, blank=True)

    class Meta:
        ordering = ["version", "heading__position", "position"]
        triggers = [append_only("indicator_immutable")]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="indicator_code_unique"),
            models.UniqueConstraint(
                fields=["heading", "position"], name="indicator_position_unique"
            ),
            models.CheckConstraint(
                condition=Q(kind="vulnerability", occ_list="vulnerabilities")
                | Q(kind="sign", occ_list="signs")
                | Q(kind="indicator", occ_list=""),
                name="indicator_kind_follows_occ_list",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"

    @property
    def form_key(self) -> str:
        """The indicator's code as a form field suffix: "A1-02" → "a1_02"."""
        return self.code.lower().replace("-", "_")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), append_only=True)
class Screening(models.Model):
    """One screening of one child by one agency: a draft until submitted, then fixed."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"

    Suggestion = Suggestion
    Conclusion = Conclusion

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="screenings")
    catalogue = models.ForeignKey(
        CatalogueVersion, on_delete=models.PROTECT, related_name="screenings"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="screenings")
    created_by = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    # The tool's suggestion as it stood when the screening was submitted (kept, so a later
    # change to the rule does not rewrite what the screener was shown).
    suggestion = models.CharField(max_length=30, choices=Suggestion.choices, blank=True)
    conclusion = models.CharField(max_length=20, choices=Conclusion.choices, blank=True)
    conclusion_reason = models.TextField(blank=True)
    # G40: how many indicators were not known at submission, and, for a conclusion of "no CSE
    # concern" despite them, who will find out what is not known and by when.
    not_known_count = models.PositiveSmallIntegerField(default=0)
    follow_up_by = models.CharField(
        "who will find out what is not known", max_length=200, blank=True
    )
    follow_up_due = models.DateField("find out by", null=True, blank=True)
    # The start form's hidden key: a form posted twice (a double click, two tabs) starts one
    # screening. Null only for screenings started before keys were recorded.
    creation_key = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        Officer, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Optimistic concurrency: a save names the version it started from; a stale save is refused.
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        default_permissions = ()
        triggers = [frozen_once("submitted_screening_immutable")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft", submitted_at__isnull=True, submitted_by__isnull=True)
                | Q(
                    status="submitted",
                    submitted_at__isnull=False,
                    submitted_by__isnull=False,
                )
                & ~Q(suggestion="")
                & ~Q(conclusion=""),
                name="submitted_screening_is_complete",
            ),
            # G05: a conclusion that differs from what the suggestion implies has a reason.
            models.CheckConstraint(
                condition=Q(status="draft") | ~Q(conclusion_reason="") | conclusion_agrees_q(),
                name="differing_conclusion_has_reason",
            ),
            # G40: "no CSE concern" while indicators are not known says why, and who will
            # find out what is not known, by when.
            models.CheckConstraint(
                condition=Q(status="draft") | follow_up_given_q(),
                name="no_concern_despite_unknowns_has_follow_up",
            ),
        ]
        indexes = [models.Index(fields=["agency", "status", "conclusion"])]

    def __str__(self) -> str:
        return f"Screening {self.pk} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("screening:detail", kwargs={"child_pk": self.child_id, "pk": self.pk})

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED


# An answer points at an indicator of the catalogue version its screening uses. A row
# trigger, because the rule needs the parent row (a pgtrigger.Q condition sees only the row).
_ANSWERS_TO_CATALOGUE_INDICATORS = """
IF NOT EXISTS (SELECT 1 FROM screening_screening s
               JOIN screening_indicator i ON i.version_id = s.catalogue_id
               WHERE s.id = NEW.screening_id AND i.id = NEW.indicator_id) THEN
    RAISE EXCEPTION 'An answer must be to an indicator of the screening''s catalogue version';
END IF;
RETURN NEW;
"""


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), append_only=True)
class ScreeningAnswer(models.Model):
    """The screener's answer to one indicator, with an optional note (G01)."""

    Answer = Answer

    screening = models.ForeignKey(Screening, on_delete=models.PROTECT, related_name="answers")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    # "" while a draft has a note but no answer yet; a submitted screening answers everything.
    answer = models.CharField(max_length=20, choices=Answer.choices, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["indicator__heading__position", "indicator__position"]
        default_permissions = ()
        triggers = [
            # Answers change only while their screening is a draft.
            rows_frozen_with_parent(
                "answers_of_drafts_only",
                parent=Screening,
                fk="screening_id",
                message="The answers of a submitted screening cannot be changed",
            ),
            # Named to fire after the trigger above (PostgreSQL fires them in name order).
            pgtrigger.Trigger(
                name="answers_to_catalogue_indicators",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.Update,
                func=_ANSWERS_TO_CATALOGUE_INDICATORS,
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["screening", "indicator"], name="one_answer_per_indicator"
            ),
            models.CheckConstraint(
                condition=Q(answer__in=["", *Answer.values]), name="answer_is_a_known_value"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code}: {self.get_answer_display() or 'not answered'}"


@pghistory.track(pghistory.InsertEvent(), append_only=True)
class ScreeningAdvice(models.Model):
    """The agency CSE lead officer's advice on a submitted screening. Never changed: further
    advice is a further row."""

    screening = models.ForeignKey(Screening, on_delete=models.PROTECT, related_name="advice")
    text = models.TextField()
    given_by = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+")
    given_at = models.DateTimeField(default=timezone.now)
    # The advice form's hidden key: the same form posted twice records the advice once.
    # Null only for advice recorded before keys were.
    creation_key = models.UUIDField(unique=True, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["given_at", "id"]
        default_permissions = ()
        verbose_name_plural = "screening advice"
        triggers = [
            append_only("advice_append_only"),
            insert_requires_parent(
                "advice_on_submitted_screenings_only",
                parent=Screening,
                fk="screening_id",
                message="Advice is recorded on a submitted screening",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="advice_has_text"),
        ]

    def __str__(self) -> str:
        return f"Advice by {self.given_by} on screening {self.screening_id}"
