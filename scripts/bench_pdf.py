#!/usr/bin/env python3
"""Benchmark the child's whole file as a PDF: seconds per page for a file of about 20 pages,
and the ratio to WeasyPrint rendering the same HTML with no application code.

Run with the project's virtualenv (it needs the dev dependencies: it builds its data with the
test suite's builders, which go through the real services):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cse_portal CSE_ENV=test \\
        .venv/bin/python scripts/bench_pdf.py [--runs 5] [--pages 20]

It creates a throwaway database (`bench_pdf_<name>`, migrated, dropped at the end), records
one child with screenings, referrals and final strategy meetings until the whole file reaches
the pages asked for, then times, best of `--runs`:

- the application: the export's reads (`cse_portal.exports.whole_file_context`: every app's
  section and chronology through their doors), the templates and WeasyPrint with the locked
  URL fetcher (`cse_portal.pdf.render_pdf`), as the download does;
- WeasyPrint alone: `HTML(string=html).write_pdf()` on the very HTML the application made,
  with WeasyPrint's own fetcher and nothing of ours.

It prints a table; it is not a test.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cse_portal.settings")
os.environ.setdefault("CSE_ENV", "test")

import django  # noqa: E402  (the project root is on the path only now)

django.setup()

# The file's e-mails go through the task backend, which logs every task it runs: not figures.
logging.getLogger("django.tasks").setLevel(logging.WARNING)

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.utils import timezone  # noqa: E402
from weasyprint import HTML  # noqa: E402

WORDS = (
    "The young person talked about the older men who collect her from the park and the "
    "presents she has been given; agencies agreed how to keep her safe and who tells whom. "
)


def _best_of(functions: dict[str, Callable[[], object]], runs: int) -> dict[str, float]:
    """The best time of each function over `runs` rounds, the functions taking turns within
    each round, so that a busy moment on the machine weighs on all of them alike."""
    best = dict.fromkeys(functions, float("inf"))
    for _ in range(runs):
        for name, function in functions.items():
            started = time.perf_counter()
            function()
            best[name] = min(best[name], time.perf_counter() - started)
    return best


def page_count(pdf: bytes) -> int:
    """Pages of a PDF, read from its page tree's /Count (WeasyPrint writes one tree)."""
    import re

    counts = [int(n) for n in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", pdf)]
    counts += [int(n) for n in re.findall(rb"/Count\s+(\d+)[^>]*?/Type\s*/Pages\b", pdf)]
    if counts:
        return max(counts)
    import subprocess

    info = subprocess.run(
        ["/usr/bin/pdfinfo", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


class World:
    """The people and the child of the benchmark (made with the test suite's builders)."""

    def __init__(self) -> None:
        from cse_portal import services
        from cse_portal.models import Agency, Officer
        from tests.factories import AgencyFactory, LocalAuthorityFactory, OfficerFactory, make_child

        north = LocalAuthorityFactory(name="Northdale Council", code="northdale")
        self.school = AgencyFactory(
            name="Brookfield Academy", kind=Agency.Kind.EDUCATION, local_authority=north
        )
        self.police = AgencyFactory(
            name="Northdale Police", kind=Agency.Kind.POLICE, local_authority=north
        )
        self.csc = AgencyFactory(
            name="Northdale Children's Social Care",
            kind=Agency.Kind.CHILDRENS_SOCIAL_CARE,
            local_authority=north,
        )
        self.owner = OfficerFactory(first_name="Olive", last_name="Owner", agency=self.school)
        self.lead = OfficerFactory(agency=self.school, is_cse_lead=True)
        self.officer = OfficerFactory(first_name="Ivan", last_name="Involved", agency=self.police)
        self.social_worker = OfficerFactory(
            agency=self.csc, role=Officer.Role.SOCIAL_WORKER, first_name="Sofia"
        )
        self.manager = OfficerFactory(agency=self.csc, role=Officer.Role.TEAM_MANAGER)
        self.chair = OfficerFactory(
            agency=self.csc, role=Officer.Role.CP_COORDINATOR, first_name="Carmen"
        )
        self.child = make_child(by=self.owner, first_name="Jamie", last_name="Benchmark")
        services.child_share(
            child=self.child, agency=self.police, by=self.owner, reason="Police investigate."
        )
        services.child_share(
            child=self.child, agency=self.csc, by=self.owner, reason="For a strategy meeting."
        )


def add_screening_and_referral(world: World, n: int) -> None:
    from referrals import services as referral_services
    from screening import services as screening_services
    from tests.referrals.conftest import acknowledge, make_draft, send
    from tests.screening.factories import make_screening

    screening = make_screening(
        child=world.child,
        by=world.owner,
        present=("S-01", "S-02", "F-01", "E-01"),
        submit=True,
        conclusion="discuss",
        reason=f"Screening {n}. " + WORDS * 3,
    )
    screening_services.screening_advise(screening=screening, by=world.lead, text=WORDS * 2)
    referral = send(
        make_draft(by=world.owner, child=world.child, basis_of_concern=WORDS * 4), world.owner
    )
    acknowledge(referral, world.social_worker)
    referral_services.referral_decide(
        referral=referral,
        by=world.social_worker,
        outcome="initial_assessment",
        rationale=WORDS * 2,
        decided_by=world.social_worker,
        approved_by=world.manager,
    )


def add_meeting(world: World) -> None:
    from strategy_meetings import services
    from tests.strategy_meetings import factories
    from tests.strategy_meetings.plan_helpers import add_action, finalised_with_plan

    meeting = factories.convene(child=world.child, by=world.social_worker, chair=world.chair)
    services.meeting_invite(
        meeting=meeting, by=world.chair, invitee=services.Invitee(world.police, world.officer)
    )
    for n in range(5):
        add_action(meeting, world.chair, what=f"Action {n}. " + WORDS, measure=WORDS)
    factories.write_every_section(meeting, world.chair, text=WORDS * 2)
    finalised_with_plan(meeting, world.chair)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each timing (best kept)")
    parser.add_argument("--pages", type=int, default=20, help="pages the file should reach")
    args = parser.parse_args()

    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = (
        f"bench_pdf_{settings.DATABASES['default']['NAME']}"
    )
    print("Creating and migrating the throwaway database …", file=sys.stderr)
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run(args.runs, args.pages)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def grow(world: World, application: Callable[[], bytes], pages_wanted: int) -> None:
    """Screenings and referrals, then final meetings until the file has the pages wanted."""
    for n in range(3):
        add_screening_and_referral(world, n)
    pages = page_count(application())
    while pages < pages_wanted:
        add_meeting(world)
        pages = page_count(application())
        print(f"  … {pages} pages", file=sys.stderr)


def run(runs: int, pages_wanted: int) -> None:
    from cse_portal.exports import whole_file_context
    from cse_portal.pdf import html_to_pdf, render_pdf, static_base_url

    world = World()
    request = RequestFactory().get("/")
    request.user = world.owner
    template = "children/pdf/record.html"

    def application() -> bytes:
        return render_pdf(template, whole_file_context(world.child, world.owner), request=request)

    grow(world, application, pages_wanted)

    base = static_base_url()
    context = {
        "pdf_static": base,
        "generated_at": timezone.localtime(),
        "generated_by": world.owner,
        **whole_file_context(world.child, world.owner),
    }
    html = render_to_string(template, context, request=request)

    best = _best_of(
        {
            "application": application,
            "reads": lambda: whole_file_context(world.child, world.owner),
            "templates": lambda: render_to_string(template, context, request=request),
            "locked": lambda: html_to_pdf(html, base_url=base),
            "bare": lambda: HTML(string=html, base_url=base).write_pdf(),
        },
        runs,
    )
    app_s, reads_s, template_s = best["application"], best["reads"], best["templates"]
    locked_s, bare_s = best["locked"], best["bare"]
    pages = page_count(application())
    bare_pages = page_count(HTML(string=html, base_url=base).write_pdf())
    rows = [
        ("Application (reads + templates + WeasyPrint, locked fetcher)", app_s, pages),
        ("  of which: reads (every app's section and chronology)", reads_s, pages),
        ("  of which: templates (HTML)", template_s, pages),
        ("  of which: WeasyPrint with the locked fetcher", locked_s, pages),
        ("WeasyPrint alone on the same HTML (its own fetcher)", bare_s, bare_pages),
    ]
    print(f"\nThe child's whole file: {pages} A4 pages, best of {runs} run(s)\n")
    print(f"{'What':<64} {'seconds':>8} {'s/page':>8}")
    print("-" * 82)
    for label, seconds, n in rows:
        print(f"{label:<64} {seconds:8.3f} {seconds / n:8.3f}")
    print("-" * 82)
    print(f"{'Ratio: application / WeasyPrint alone':<64} {app_s / bare_s:8.2f}")
    print(
        f"{'Ratio: locked fetcher / WeasyPrint own fetcher (same HTML)':<64} "
        f"{locked_s / bare_s:8.2f}"
    )
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"\nCPU: {os.cpu_count()} cores, load average {load:.1f} (other work adds noise).")


if __name__ == "__main__":
    main()
