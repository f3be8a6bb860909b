"""The themes' figures computed ahead (issue 11): a summary per agency and period, never
older than the page says.

At 200,000 children the themes' queries take a second or more (the screening answers of a
year's screenings alone are millions of rows), so the page reads a summary: one row per
(agency, period) holding the exact counts of every registered theme (`ThemeSummary`).

- `figures` gives the page, the CSV and the PDF their counts: the summary when it is younger
  than `CSE_THEMES_REFRESH_MINUTES`, otherwise the counts worked out there and then (and
  stored, so the next reader gets them). So a page never shows figures older than the
  promise it prints: "Figures as of 14:05 (worked out again at least every 15 minutes)".
  Small numbers are suppressed when the figures are shown (`themes_figures`), never in the
  summary, so the page and both exports give the same figures.
- `refresh_all` (the task `refresh_themes_task`, and `manage.py refresh_themes`, run every
  few minutes by the scheduler or `--every`) works out the default period (the twelve months
  to today) of every agency with a CSE lead officer, so a lead officer rarely waits.
- `records_changed(child_ids)`: services call it after a submission (a screening, a
  referral, a decision, an assessment, a missing episode); after the commit it queues
  `refresh_agencies_task` for the agencies involved with those children, which works out
  again their summaries older than the change. The page's promise does not depend on it.

As of: the moment the counting began, on the primary; on a replica, when the replica's last
replayed transaction committed (`replica.figures_as_of`), which is never later than the
rows it counted. A summary read back from a replica keeps the time it was computed at.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from cse_portal import replica, themes
from cse_portal.models import Agency, ChildQuerySet, Involvement, Officer, ThemeSummary
from cse_portal.scope import Scope, children_in_scope, children_of_scope, scope_of_agency
from cse_portal.themes import Period, ThemeCounts, ThemeRow
from cse_portal.themes_core import children_in_period


@dataclass(frozen=True)
class Figures:
    counts: dict[str, ThemeCounts]  # theme key → exact counts
    as_of: replica.AsOf  # when they were current, for the page's line


def refresh_minutes() -> int:
    return int(settings.CSE_THEMES_REFRESH_MINUTES)


def count_all(scope: Scope, children: ChildQuerySet, period: Period) -> dict[str, ThemeCounts]:
    """Every registered theme's exact counts over the scope's children in the period."""
    in_period = children_in_period(children, scope, period)
    return {t.key: t.counts(scope, in_period, period) for t in themes.registry.ordered()}


def encode(counts: dict[str, ThemeCounts]) -> dict[str, Any]:
    return {
        key: {
            "rows": [[r.code, r.label, r.count] for r in c.rows],
            "total": c.total,
            "monthly": None
            if c.monthly is None
            else {m.isoformat(): n for m, n in sorted(c.monthly.items())},
        }
        for key, c in counts.items()
    }


def decode(data: dict[str, Any]) -> dict[str, ThemeCounts]:
    return {
        key: ThemeCounts(
            rows=[ThemeRow(code, label, count) for code, label, count in c["rows"]],
            total=c["total"],
            monthly=None
            if c["monthly"] is None
            else {date.fromisoformat(m): n for m, n in c["monthly"].items()},
        )
        for key, c in data.items()
    }


def compute(scope: Scope, period: Period, children: ChildQuerySet | None = None) -> Figures:
    """Count now (on the database this block reads from) and store the summary."""
    alias = replica.reading_alias()
    at = replica.figures_as_of(alias)
    counts = count_all(scope, children_of_scope(scope) if children is None else children, period)
    if refresh_minutes():
        store(scope.agency, period, counts, at)
    as_of = replica.AsOf(
        at=timezone.localtime(at),
        from_replica=alias == replica.REPLICA,
        refresh_minutes=refresh_minutes(),
    )
    return Figures(counts=counts, as_of=as_of)


def store(agency: Agency, period: Period, counts: dict[str, ThemeCounts], at: datetime) -> None:
    ThemeSummary.objects.bulk_create(
        [
            ThemeSummary(
                agency=agency,
                period_start=period.start,
                period_end=period.end,
                computed_at=at,
                figures=encode(counts),
            )
        ],
        update_conflicts=True,
        unique_fields=["agency", "period_start", "period_end"],
        update_fields=["computed_at", "figures"],
    )


def figures(officer: Officer, scope: Scope, period: Period) -> Figures:
    """The counts the themes page and its exports show: the summary when it is younger than
    the refresh promise (and holds every registered theme), otherwise counted now."""
    if not refresh_minutes():  # no summaries (CSE_THEMES_REFRESH_MINUTES=0): count now
        return compute(scope, period, children_in_scope(officer, scope))
    oldest = timezone.now() - timedelta(minutes=refresh_minutes())
    summary = (
        ThemeSummary.objects.filter(
            agency=scope.agency,
            period_start=period.start,
            period_end=period.end,
            computed_at__gte=oldest,
        )
        .only("computed_at", "figures")
        .first()
    )
    if summary is not None and set(summary.figures) == set(themes.registry.themes):
        # Read back (from the primary or a replica), a summary is as of when it was made.
        at = timezone.localtime(summary.computed_at)
        as_of = replica.AsOf(at=at, from_replica=False, refresh_minutes=refresh_minutes())
        return Figures(counts=decode(summary.figures), as_of=as_of)
    return compute(scope, period, children_in_scope(officer, scope))


def lead_agencies() -> list[Agency]:
    """The agencies with an active CSE lead officer: those whose themes someone reads."""
    leads = Officer.objects.filter(is_cse_lead=True, is_active=True).values("agency_id")
    return list(
        Agency.objects.filter(pk__in=leads).select_related("local_authority").order_by("pk")
    )


def refresh_all(today: date | None = None) -> int:
    """Work out the default period of every lead officer's agency; prune old summaries.
    Returns how many summaries were written."""
    period = Period.last_twelve_months(today or timezone.localdate())
    agencies = lead_agencies()
    for agency in agencies:
        compute(scope_of_agency(agency), period)
    keep = timedelta(minutes=refresh_minutes())
    ThemeSummary.objects.filter(computed_at__lt=timezone.now() - keep - timedelta(days=1)).delete()
    return len(agencies)


def refresh_agencies(agency_ids: Iterable[int], changed_at: datetime) -> int:
    """Work out again every summary of these agencies computed before `changed_at` and still
    within its promise (older ones are counted afresh when next read anyway)."""
    oldest = timezone.now() - timedelta(minutes=refresh_minutes())
    summaries = ThemeSummary.objects.filter(
        agency_id__in=list(agency_ids), computed_at__lt=changed_at, computed_at__gte=oldest
    ).select_related("agency__local_authority")
    done = 0
    for summary in summaries:
        compute(scope_of_agency(summary.agency), Period(summary.period_start, summary.period_end))
        done += 1
    return done


@task()
def refresh_themes_task() -> int:
    return refresh_all()


@task()
def refresh_agencies_task(agency_ids: list[int], changed_at: str) -> int:
    return refresh_agencies(agency_ids, datetime.fromisoformat(changed_at))


def records_changed(child_ids: Iterable[UUID]) -> None:
    """A submission changed these children's records: once committed, queue a refresh of the
    summaries of the agencies involved with them (only those holding a summary)."""
    ids = list(child_ids)
    changed_at = timezone.now()

    def queue() -> None:
        agencies = sorted(
            set(
                ThemeSummary.objects.filter(
                    agency__in=Involvement.objects.filter(child_id__in=ids).values("agency_id")
                ).values_list("agency_id", flat=True)
            )
        )
        if agencies:
            refresh_agencies_task.enqueue(agencies, changed_at.isoformat())

    transaction.on_commit(queue)
