"""Screenings for the volume data set (`manage.py generate_volume`), called by the core after
its own rows: one SAFEGUARD screening for most children recorded by an agency other than
children's social care, every indicator answered, the suggestion worked out by the tool's own
rules, and a conclusion that agrees with it; the lead officer's advice on a share of the
"discuss" ones; a few drafts. A child the core marked as referred gets a screening that
concludes "refer" (the referral links to it: `ctx.shared["refer_screening"]`).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import OutputWrapper

from cse_portal.volume import VolumeChild, VolumeContext
from screening import rules
from screening.models import Answer, Indicator, Screening, ScreeningAdvice, ScreeningAnswer
from screening.selectors import current_catalogue

_SCREENING_FIELDS = [
    "id", "child_id", "catalogue_id", "agency_id", "created_by_id", "created_at", "updated_at",
    "status", "suggestion", "conclusion", "not_known_count", "submitted_by_id", "submitted_at",
]  # fmt: skip


def generate_volume(ctx: VolumeContext, stdout: OutputWrapper) -> None:
    catalogue = current_catalogue()
    indicators = list(Indicator.objects.filter(version=catalogue).values_list("id", "kind"))
    plans = []
    for index, child in enumerate(ctx.children):
        kind, _la = ctx.agencies[child.owner]
        if kind == "csc" or not (child.referred or ctx.rng.random() < 0.45):
            continue
        plans.append((index, child))
    ids = iter(ctx.ids(Screening, len(plans)))
    screenings: list[tuple[Any, ...]] = []
    answers: list[tuple[Any, ...]] = []
    advice: list[tuple[Any, ...]] = []
    refer: dict[int, int] = {}
    for index, child in plans:
        pk = next(ids)
        row, conclusion = _screening(ctx, pk, child, catalogue.pk, indicators, answers)
        screenings.append(row)
        if conclusion == rules.Conclusion.REFER:
            refer[index] = pk
        elif conclusion == rules.Conclusion.DISCUSS and ctx.rng.random() < 0.5:
            advice.append(_advice(ctx, pk, child, row[-1]))
    ctx.shared["refer_screening"] = refer
    ctx.copy(Screening, _SCREENING_FIELDS, screenings)
    ctx.copy(ScreeningAnswer, ["screening_id", "indicator_id", "answer", "note"], answers)
    ctx.copy(ScreeningAdvice, ["screening_id", "text", "given_by_id", "given_at"], advice)
    stdout.write(f"screening: {len(screenings):,} screenings, {len(answers):,} answers")


def _screening(
    ctx: VolumeContext,
    pk: int,
    child: VolumeChild,
    catalogue_id: int,
    indicators: list[tuple[int, str]],
    answers: list[tuple[Any, ...]],
) -> tuple[tuple[Any, ...], str]:
    rng = ctx.rng
    created_at = ctx.some_time_after(child.created_at, 5)
    draft = not child.referred and rng.random() < 0.04
    if child.referred:
        present = {i for i, (_pk, kind) in enumerate(indicators) if kind == "sign"}
        present = set(rng.sample(sorted(present), 2))
    else:
        present = set(rng.sample(range(len(indicators)), rng.choice([0, 0, 0, 1, 1])))
    given = []
    for i, (indicator_id, kind) in enumerate(indicators):
        if draft and i > len(indicators) // 2:
            break
        answer = Answer.PRESENT if i in present else Answer.NOT_PRESENT
        note = "Seen by the screener this term." if answer == Answer.PRESENT else ""
        answers.append((pk, indicator_id, str(answer), note))
        given.append((kind, str(answer)))
    if draft:
        row = (pk, child.id, catalogue_id, child.owner, child.created_by, created_at, created_at)
        return (*row, "draft", "", "", 0, None, None), ""
    suggestion = rules.suggest(rules.Tally.of(given))
    assert suggestion is not None
    conclusion = (
        rules.Conclusion.REFER
        if child.referred
        else sorted(rules.implied_conclusions(suggestion) - {rules.Conclusion.REFER})[0]
    )
    submitted_at = created_at + timedelta(minutes=rng.randrange(10, 600))
    row = (pk, child.id, catalogue_id, child.owner, child.created_by, created_at, submitted_at)
    return (
        *row,
        "submitted",
        str(suggestion),
        str(conclusion),
        0,
        child.created_by,
        submitted_at,
    ), str(conclusion)


def _advice(ctx: VolumeContext, pk: int, child: VolumeChild, at: Any) -> tuple[Any, ...]:
    text = "Talk to the young person's form tutor this week and screen again in a month."
    return (pk, text, ctx.lead_of[child.owner], at + timedelta(hours=ctx.rng.randrange(1, 72)))
