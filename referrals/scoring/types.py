"""What a tool is as the scoring engine sees it, the answers it takes and the suggestion it
gives: plain frozen dataclasses and the choices the models import."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Protocol

from django.db import models


class RuleKind(models.TextChoices):
    CATEGORICAL_SIGNALS = "categorical_signals", "Highest level with signals present (SERA)"
    POINTS_BANDS = "points_bands", "Points per indicator, totals in bands (SERAF)"


class OutcomeKind(models.TextChoices):
    LEVEL = "level", "A level of risk"
    NOT_ENOUGH_INFORMATION = "not_enough_information", "Not enough information"


class AnswerState(models.TextChoices):
    PRESENT = "present", "Present"
    NOT_PRESENT = "not_present", "Not present"
    NOT_KNOWN = "not_known", "Not known"


class RuleError(ValueError):
    """A tool's rule does not have the declared shape, or does not fit the tool."""


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    text: str
    domain: str
    level: str = ""  # categorical_signals: the outcome code of the level it signals
    category: str = ""  # points_bands: the code of its category
    recency_bands: tuple[str, ...] = ()  # the bands it takes, most recent first


@dataclass(frozen=True)
class OutcomeSpec:
    code: str
    label: str
    rank: int  # ascending severity; not enough information has its own kind
    kind: str = OutcomeKind.LEVEL
    description: str = ""
    response: str = ""


@dataclass(frozen=True)
class ToolSpec:
    code: str
    version: int
    title: str
    rule: Mapping[str, Any]
    indicators: tuple[IndicatorSpec, ...]
    outcomes: tuple[OutcomeSpec, ...]
    recency_bands: tuple[tuple[str, str], ...] = ()  # (code, label), most recent first

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> ToolSpec:
        """From a tool's JSON (the fixture's shape); `validate_spec` checks the result."""
        return cls(
            code=data["code"],
            version=data["version"],
            title=data["title"],
            rule=data["rule"],
            indicators=tuple(
                IndicatorSpec(
                    code=i["code"],
                    text=i["text"],
                    domain=i["domain"],
                    level=i.get("level", ""),
                    category=i.get("category", ""),
                    recency_bands=tuple(i.get("recency_bands", ())),
                )
                for i in data["indicators"]
            ),
            outcomes=tuple(
                OutcomeSpec(
                    code=o["code"],
                    label=o["label"],
                    rank=o["rank"],
                    kind=o.get("kind", OutcomeKind.LEVEL),
                    description=o.get("description", ""),
                    response=o.get("response", ""),
                )
                for o in data["outcomes"]
            ),
            recency_bands=tuple((b["code"], b["label"]) for b in data.get("recency_bands", ())),
        )

    @cached_property
    def _indicators_by_code(self) -> dict[str, IndicatorSpec]:
        return {i.code: i for i in self.indicators}

    def outcome(self, code: str) -> OutcomeSpec:
        return next(o for o in self.outcomes if o.code == code)

    def indicator(self, code: str) -> IndicatorSpec:
        """The indicator with this code; KeyError if the tool has none."""
        return self._indicators_by_code[code]


class HasSpec(Protocol):
    def spec(self) -> ToolSpec: ...


@dataclass(frozen=True)
class Answer:
    """One indicator's answer: present / not present / not known, and, when present, how
    recently (one of the indicator's recency bands; "" = not recorded)."""

    state: str
    recency: str = ""


@dataclass(frozen=True)
class Driver:
    """A present indicator, and what it counted for."""

    code: str
    text: str
    signals: str  # the level (SERA) or category (SERAF) it carries
    recency: str = ""
    points: int | None = None  # points_bands only
    counted: bool = True


@dataclass(frozen=True)
class Suggestion:
    """What the tool suggests, and why. `outcome` is None while nothing is answered."""

    outcome: str | None
    label: str = ""
    response: str = ""
    drivers: tuple[Driver, ...] = ()  # present indicators that decided the suggestion
    not_counted: tuple[Driver, ...] = ()  # present, but counted for nothing (too long ago)
    not_known: tuple[str, ...] = ()  # codes answered "not known"
    unanswered: tuple[str, ...] = ()  # codes not answered yet
    total: int | None = None  # points_bands: the points of the present indicators
    could_be: str | None = None  # the outcome if what is not known were present, if higher
    reasons: tuple[str, ...] = ()  # sentences saying why, beside the drivers
    is_not_enough_information: bool = False
