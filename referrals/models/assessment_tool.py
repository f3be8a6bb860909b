"""CSE2 risk assessment tools as data: versioned definitions, and each local authority's choice.

Areas run different CSE2 variants (SERA's low / medium / high, SERAF's points, …), so a tool
is a definition loaded from `fixtures/assessment_tools/` (a data migration loads the shipped
ones; `manage.py load_assessment_tool FILE` loads later versions): its domains, its indicators
in the guidance's words with the level or category each carries and the recency bands each
takes, the outcomes it can suggest with the guidance's response to each, and its scoring
rule as a small declared JSON rule evaluated by `referrals.scoring` — never code.

A loaded version is never changed (database triggers): an assessment keeps the texts and the
rule its assessor saw, and a changed tool is a new version.

The indicator texts are the guidance's own wording (e.g. "promiscuity", "Sexually risky
behaviour") and are shown as the guidance wrote them: the language prompt (G38,
`cse_portal.language`) checks only what practitioners write — notes, reasons — never the
tool's texts.
"""

from __future__ import annotations

import pghistory
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone

from cse_portal.lifecycle import append_only
from cse_portal.models import LocalAuthority, Officer
from referrals.scoring import (
    IndicatorSpec,
    OutcomeKind,
    OutcomeSpec,
    RuleKind,
    ToolSpec,
)

# The tool a local authority uses until an administrator chooses another (newest version).
DEFAULT_TOOL_CODE = "sera"


class AssessmentTool(models.Model):
    """One version of one CSE2 assessment tool, e.g. SERA version 1."""

    RuleKind = RuleKind

    code = models.SlugField(max_length=30, help_text="The tool, across versions, e.g. 'sera'.")
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    source = models.TextField(help_text="Where the texts and the rule come from.")
    notes = models.TextField(blank=True, help_text="Choices made where the guidance leaves one.")
    # The scoring rule: a JSON object of a fixed shape (referrals.scoring.validate_spec).
    rule = models.JSONField()
    loaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["code", "-version"]
        triggers = [append_only("assessment_tool_immutable")]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="assessment_tool_version"),
            models.CheckConstraint(
                condition=Q(rule__kind__in=RuleKind.values), name="assessment_tool_rule_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}, version {self.version}"

    def spec(self) -> ToolSpec:
        """The tool as the scoring engine sees it (four queries)."""
        bands = tuple(self.recency_bands.values_list("code", "label"))
        return ToolSpec(
            code=self.code,
            version=self.version,
            title=self.title,
            rule=self.rule,
            recency_bands=bands,
            outcomes=tuple(
                OutcomeSpec(
                    code=o.code,
                    label=o.label,
                    rank=o.rank,
                    kind=o.kind,
                    description=o.description,
                    response=o.response,
                )
                for o in self.outcomes.all()
            ),
            indicators=tuple(
                IndicatorSpec(
                    code=i.code,
                    text=i.text,
                    domain=i.domain.code,
                    level=i.level,
                    category=i.category,
                    recency_bands=tuple(i.recency_bands),
                )
                for i in self.indicators.select_related("domain")
            ),
        )


class ToolRecencyBand(models.Model):
    """How recently a present indicator was seen: current, in the last 6 months, earlier…"""

    tool = models.ForeignKey(AssessmentTool, on_delete=models.PROTECT, related_name="recency_bands")
    code = models.SlugField(max_length=30)
    label = models.CharField(max_length=100)
    position = models.PositiveSmallIntegerField(help_text="1 is the most recent.")

    class Meta:
        ordering = ["tool", "position"]
        triggers = [append_only("tool_recency_band_immutable")]
        constraints = [
            models.UniqueConstraint(fields=["tool", "code"], name="tool_recency_band_code"),
            models.UniqueConstraint(fields=["tool", "position"], name="tool_recency_band_position"),
        ]

    def __str__(self) -> str:
        return self.label


class ToolOutcome(models.Model):
    """An outcome the tool can suggest and the assessor can judge: a level (ranked) or "not
    enough information", with the guidance's description and response."""

    Kind = OutcomeKind

    tool = models.ForeignKey(AssessmentTool, on_delete=models.PROTECT, related_name="outcomes")
    code = models.SlugField(max_length=30)
    label = models.CharField(max_length=100)
    kind = models.CharField(max_length=30, choices=OutcomeKind.choices, default=OutcomeKind.LEVEL)
    rank = models.SmallIntegerField(help_text="Ascending severity; the order shown.")
    description = models.TextField(blank=True, help_text="The guidance's description.")
    response = models.TextField(blank=True, help_text="What the guidance says to do.")

    class Meta:
        ordering = ["tool", "rank"]
        triggers = [append_only("tool_outcome_immutable")]
        constraints = [
            models.UniqueConstraint(fields=["tool", "code"], name="tool_outcome_code"),
            models.UniqueConstraint(fields=["tool", "rank"], name="tool_outcome_rank"),
        ]

    def __str__(self) -> str:
        return self.label


class ToolDomain(models.Model):
    """A group of indicators, in order: e.g. Appendix 1's "Health", a dimension of the
    Framework's domain "Child or Young Person's Developmental Needs" (`group`)."""

    tool = models.ForeignKey(AssessmentTool, on_delete=models.PROTECT, related_name="domains")
    code = models.SlugField(max_length=40)
    position = models.PositiveSmallIntegerField()
    group = models.CharField(max_length=200, blank=True, help_text="The domain it belongs to.")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["tool", "position"]
        triggers = [append_only("tool_domain_immutable")]
        constraints = [
            models.UniqueConstraint(fields=["tool", "code"], name="tool_domain_code"),
            models.UniqueConstraint(fields=["tool", "position"], name="tool_domain_position"),
        ]

    def __str__(self) -> str:
        return f"{self.group}: {self.title}" if self.group else self.title


class ToolIndicator(models.Model):
    """One indicator the assessor answers, in the guidance's words, with what it carries: the
    level it signals (SERA) or its category (SERAF), and the recency bands it takes."""

    tool = models.ForeignKey(AssessmentTool, on_delete=models.PROTECT, related_name="indicators")
    domain = models.ForeignKey(ToolDomain, on_delete=models.PROTECT, related_name="indicators")
    code = models.CharField(max_length=30)
    position = models.PositiveSmallIntegerField()
    text = models.TextField()
    level = models.SlugField(max_length=30, blank=True, help_text="The outcome it signals.")
    category = models.SlugField(max_length=30, blank=True, help_text="Its rule category.")
    recency_bands = ArrayField(models.SlugField(max_length=30), default=list, blank=True)
    note = models.TextField(blank=True, help_text="Why it carries its level or category.")

    class Meta:
        ordering = ["tool", "domain__position", "position"]
        triggers = [append_only("tool_indicator_immutable")]
        constraints = [
            models.UniqueConstraint(fields=["tool", "code"], name="tool_indicator_code"),
            models.UniqueConstraint(fields=["domain", "position"], name="tool_indicator_position"),
            models.CheckConstraint(
                condition=Q(level="") | Q(category=""), name="tool_indicator_level_or_category"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"

    @property
    def form_key(self) -> str:
        """The code as a form field suffix: "H-03" → "h_03"."""
        return self.code.lower().replace("-", "_")


@pghistory.track(
    pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(), append_only=True
)
class AuthorityAssessmentTool(models.Model):
    """The tool a local authority's assessments use, chosen by an administrator. Without a
    row, the authority uses the newest version of SERA (`DEFAULT_TOOL_CODE`)."""

    local_authority = models.OneToOneField(
        LocalAuthority, on_delete=models.PROTECT, related_name="assessment_tool_choice"
    )
    tool = models.ForeignKey(
        AssessmentTool, on_delete=models.PROTECT, related_name="authority_choices"
    )
    chosen_by = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+")
    chosen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "local authority's assessment tool"
        verbose_name_plural = "local authorities' assessment tools"

    def __str__(self) -> str:
        return f"{self.local_authority}: {self.tool}"


class ToolPrefillMap(models.Model):
    """One version of the links from the SAFEGUARD indicators of a referral (a catalogue
    version's codes) to one tool version's indicators: an assessment that starts from a
    referral is pre-answered from them, as a suggestion the assessor confirms or changes.
    Loaded from `fixtures/assessment_tools/<tool>_v<n>_from_safeguard.json`; never changed
    (a changed map is a new version), so an assessment keeps the map it started with."""

    tool = models.ForeignKey(AssessmentTool, on_delete=models.PROTECT, related_name="prefill_maps")
    version = models.PositiveIntegerField()
    catalogue_version = models.PositiveIntegerField(
        help_text="The SAFEGUARD catalogue version whose codes the links start from."
    )
    title = models.CharField(max_length=200)
    notes = models.TextField(blank=True, help_text="Choices made where the guidance leaves one.")
    recent_days = models.PositiveSmallIntegerField(
        help_text="A referral sent in the last so many days is taken as current."
    )
    # The tool's indicators about going missing: beside them, the count of missing episodes
    # recorded in the last 90 days (a prompt, never an answer, G33).
    missing_indicators = ArrayField(models.CharField(max_length=30), default=list, blank=True)
    loaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["tool", "-version"]
        triggers = [append_only("tool_prefill_map_immutable")]
        constraints = [
            models.UniqueConstraint(fields=["tool", "version"], name="tool_prefill_map_version")
        ]

    def __str__(self) -> str:
        return f"{self.title}, version {self.version}"


class ToolPrefillLink(models.Model):
    """A SAFEGUARD indicator code linked to one indicator of the map's tool."""

    map = models.ForeignKey(ToolPrefillMap, on_delete=models.PROTECT, related_name="links")
    safeguard_code = models.CharField(max_length=20)
    indicator = models.ForeignKey(ToolIndicator, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["map", "safeguard_code", "indicator"]
        triggers = [append_only("tool_prefill_link_immutable")]
        constraints = [
            models.UniqueConstraint(
                fields=["map", "safeguard_code", "indicator"], name="tool_prefill_link_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.safeguard_code} → {self.indicator.code}"
