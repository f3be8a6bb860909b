"""A child's CSE case open or closed (G16: "at least every 3 months while the case is open"):
children's social care closes and reopens it; a closed case has no assessment due on the
record, in Your work or in the caseload; reopening restarts the three months; the database
keeps every closure as it was written."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cse_portal import sections, services, work
from cse_portal.models import AccessLog
from referrals.assessment_selectors import add_months, finalised_of_child, next_assessment_due
from referrals.models import CaseClosure, ClosureReason, ReopenReason
from referrals.selectors_case import case_status_of
from referrals.services.case_status import case_close, case_reopen
from tests.conftest import sign_in
from tests.referrals.assessment.records import make_assessment
from tests.referrals.conftest import make_draft, send

pytestmark = [pytest.mark.django_db, pytest.mark.guidance("G16")]

RISK_REDUCED = ClosureReason.RISK_REDUCED


@pytest.fixture
def csc_child(world):
    """The world's child, with children's social care involved (as after a referral)."""
    services.child_share(
        child=world.child, agency=world.csc, by=world.owner, reason="Referred to CSC."
    )
    return world.child


def _assessed(world, days_ago: int = 100):
    return make_assessment(
        child=world.child,
        by=world.owner,
        judged="no_signals",
        now=timezone.now() - timedelta(days=days_ago),
    )


def _review_rows(officer) -> list[work.WorkRow]:
    return next(
        s.work.rows
        for s in work.registry.for_officer(officer)
        if s.contribution.key == "assessments_review"
    )


def _caseload_cell(client: Client, name: str = "Jamie Testchild", **params) -> str:
    response = client.get(reverse("caseload"), params)
    assert response.status_code == 200
    labels = [c.label for c in response.context["columns"]]
    for row in response.context["rows"]:
        if row["child"].display_name == name:
            cell = dict(zip(labels, row["cells"], strict=True))["Next assessment"]
            return " ".join(filter(None, [cell.text, cell.tag]))
    raise AssertionError(f"{name} is not in the caseload")


def _close_url(world) -> str:
    return reverse("referrals:case_close", kwargs={"child_pk": world.child.pk})


def _reopen_url(world) -> str:
    return reverse("referrals:case_reopen", kwargs={"child_pk": world.child.pk})


def _record(client: Client, world) -> str:
    return client.get(world.child.get_absolute_url()).content.decode()


def _next_due(world):
    return next_assessment_due(
        finalised_of_child(world.child, world.owner), case_status_of(world.child)
    )


# --- A closed case has no assessment due ------------------------------------------------------


def test_a_closed_case_shows_its_closure_instead_of_a_due_date(
    world, csc_child, csc_client, owner_client
):
    _assessed(world)
    page = _record(owner_client, world)
    assert "Next assessment due by" in page and "Overdue" in page
    response = csc_client.post(
        _close_url(world),
        {"reason": RISK_REDUCED, "note": "Agreed at the strategy meeting.", "creation_key": ""},
    )
    assert response.status_code == 302 and response.url == world.child.get_absolute_url()
    assert _next_due(world) is None
    page = _record(owner_client, world)  # the school sees the status, not a due date
    assert "Next assessment due by" not in page
    assert "Case closed on" in page and "Sofia Worker" in page
    assert "Risk reduced: no further action agreed by the strategy meeting" in page
    assert "Close the case" not in page and "Reopen the case" not in page  # not the school's


def test_a_closed_case_is_not_due_for_review_in_your_work_nor_in_the_caseload(
    world, csc_child, lead_client
):
    _assessed(world)
    (row,) = _review_rows(world.owner)
    assert row.overdue
    assert _caseload_cell(lead_client).endswith("Overdue")
    case_close(child=world.child, by=world.csc_officer, reason=RISK_REDUCED)
    assert _review_rows(world.owner) == []
    assert _caseload_cell(lead_client) == "Case closed"
    assert _caseload_cell(lead_client, case="closed") == "Case closed"
    still_open = lead_client.get(reverse("caseload"), {"case": "open"}).context["rows"]
    assert "Jamie Testchild" not in [row["child"].display_name for row in still_open]


def test_reopening_restarts_the_three_months_from_the_reopening(world, csc_child, lead_client):
    _assessed(world, days_ago=200)
    closure = case_close(
        child=world.child,
        by=world.csc_officer,
        reason=RISK_REDUCED,
        now=timezone.now() - timedelta(days=150),
    )
    # Reopened 85 days ago: due three months after the reopening, in a week or so (not
    # three months after the assessment of 200 days ago, long overdue).
    reopened_at = timezone.now() - timedelta(days=85)
    case_reopen(
        closure=closure,
        by=world.team_manager,
        reason=ReopenReason.NEW_INFORMATION,
        now=reopened_at,
    )
    due = add_months(timezone.localtime(reopened_at).date(), 3)
    assert _next_due(world).due == due and not _next_due(world).overdue
    (row,) = _review_rows(world.owner)  # within the fortnight's warning
    assert row.due == due and not row.overdue
    assert _caseload_cell(lead_client) == f"{due.day} {due:%b %Y}"
    # A reassessment after the reopening: three months from it.
    make_assessment(child=world.child, by=world.owner, judged="no_signals")
    assert _next_due(world).due == add_months(timezone.localdate(), 3)
    assert _review_rows(world.owner) == []


def test_a_reopened_case_is_overdue_three_months_after_reopening_without_a_reassessment(
    world, csc_child
):
    _assessed(world, days_ago=300)
    closure = case_close(
        child=world.child,
        by=world.csc_officer,
        reason=RISK_REDUCED,
        now=timezone.now() - timedelta(days=250),
    )
    case_reopen(
        closure=closure,
        by=world.csc_officer,
        reason=ReopenReason.NEW_REFERRAL,
        now=timezone.now() - timedelta(days=100),
    )
    assert _next_due(world).overdue
    (row,) = _review_rows(world.owner)
    assert row.overdue


# --- Who may close and reopen -----------------------------------------------------------------


def test_only_childrens_social_care_closes_or_reopens(world, csc_child, csc_client):
    police, school = sign_in(Client(), world.involved), sign_in(Client(), world.owner)
    for client in (police, school):
        assert client.get(_close_url(world)).status_code == 403
        assert client.post(_close_url(world), {"reason": RISK_REDUCED}).status_code == 403
    with pytest.raises(PermissionDenied):
        case_close(child=world.child, by=world.involved, reason=RISK_REDUCED)
    assert not CaseClosure.objects.exists()
    assert "Close the case" in _record(csc_client, world)
    csc_client.post(_close_url(world), {"reason": RISK_REDUCED})
    for client in (police, school):
        assert client.get(_reopen_url(world)).status_code == 403
        assert (
            client.post(_reopen_url(world), {"reason": ReopenReason.NEW_REFERRAL}).status_code
            == 403
        )
    assert case_status_of(world.child).is_closed
    assert "Case closed on" in _record(police, world)  # police see the status


def test_an_agency_not_involved_gets_404(world, csc_child):
    for officer in (world.uninvolved, _south_csc_officer(world)):
        client = sign_in(Client(), officer)
        assert client.get(_close_url(world)).status_code == 404
        assert client.post(_close_url(world), {"reason": RISK_REDUCED}).status_code == 404
        assert client.get(_reopen_url(world)).status_code == 404
    assert not CaseClosure.objects.exists()


def _south_csc_officer(world):
    from tests.factories import OfficerFactory

    return OfficerFactory(username="southsw", agency=world.south_csc)


# --- Twice at once, and the database ---------------------------------------------------------


def test_the_same_form_sent_twice_closes_the_case_once(world, csc_child, csc_client):
    key = str(uuid.uuid4())
    posted = {"reason": RISK_REDUCED, "note": "", "creation_key": key}
    first = csc_client.post(_close_url(world), posted)
    second = csc_client.post(_close_url(world), posted)
    assert first.status_code == second.status_code == 302
    assert CaseClosure.objects.filter(child=world.child).count() == 1


def test_two_officers_closing_at_once_close_the_case_once(world, csc_child, csc_client):
    manager = sign_in(Client(), world.team_manager)
    csc_client.post(_close_url(world), {"reason": RISK_REDUCED, "creation_key": str(uuid.uuid4())})
    response = manager.post(
        _close_url(world), {"reason": ClosureReason.MOVED, "creation_key": str(uuid.uuid4())}
    )
    assert response.status_code == 200
    assert "The case was closed already, by Sofia Worker" in response.content.decode()
    assert CaseClosure.objects.filter(child=world.child).count() == 1
    # The database holds the rule itself: a second open closure is refused.
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseClosure.objects.create(
            child=world.child,
            closed_by=world.team_manager,
            closing_agency=world.csc,
            reason=ClosureReason.MOVED,
        )


def test_two_reopenings_at_once_reopen_once(world, csc_child, csc_client):
    closure = case_close(child=world.child, by=world.csc_officer, reason=RISK_REDUCED)
    posted = {"reason": ReopenReason.NEW_REFERRAL, "closure": closure.pk}
    assert csc_client.post(_reopen_url(world), posted).status_code == 302
    again = sign_in(Client(), world.team_manager).post(_reopen_url(world), posted)
    assert again.status_code == 200 and "reopened by someone else" in again.content.decode()
    closure.refresh_from_db()
    assert closure.reopened_by == world.csc_officer
    with pytest.raises(ValidationError, match="reopened already"):
        case_reopen(closure=closure, by=world.team_manager, reason=ReopenReason.NEW_REFERRAL)


def test_the_database_refuses_to_alter_or_delete_a_closure(world, csc_child):
    closure = case_close(child=world.child, by=world.csc_officer, reason=RISK_REDUCED)
    rows = CaseClosure.objects.filter(pk=closure.pk)
    with pytest.raises(DatabaseError, match="only its reopening"), transaction.atomic():
        rows.update(reason=ClosureReason.MOVED)
    with pytest.raises(DatabaseError, match="cannot be deleted"), transaction.atomic():
        rows.delete()
    case_reopen(closure=closure, by=world.csc_officer, reason=ReopenReason.CLOSED_IN_ERROR)
    with pytest.raises(DatabaseError, match="reopened already"), transaction.atomic():
        rows.update(reopen_note="Changed afterwards.")
    closure.refresh_from_db()
    assert closure.reason == RISK_REDUCED and closure.reopen_note == ""


# --- The form's rules, the language prompt, the log ------------------------------------------


def test_the_form_says_what_is_missing_and_keeps_the_note(world, csc_child, csc_client):
    response = csc_client.post(_close_url(world), {"note": "Agreed with the family."})
    page = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in page
    assert "Select why the case is being closed" in page and "Agreed with the family." in page
    response = csc_client.post(_close_url(world), {"reason": ClosureReason.OTHER, "note": " "})
    assert "Enter a note saying why, when the reason is Other" in response.content.decode()
    assert not CaseClosure.objects.exists()


def test_closing_waits_for_a_risk_assessment_in_progress(world, csc_child, csc_client):
    make_assessment(child=world.child, by=world.involved)  # a police draft
    page = csc_client.get(_close_url(world)).content.decode()
    assert "a draft by Northdale Police" in page
    response = csc_client.post(_close_url(world), {"reason": RISK_REDUCED})
    assert "A risk assessment of the child is in progress" in response.content.decode()
    assert not CaseClosure.objects.exists()


def test_the_note_gets_the_language_prompt_and_every_page_is_logged(world, csc_child, csc_client):
    csc_client.get(_close_url(world))
    csc_client.post(
        _close_url(world),
        {"reason": ClosureReason.OTHER, "note": "She was acting as a prostitute."},
        follow=True,
    )
    page = _record(csc_client, world)
    assert "prostitute" in page  # the note as written …
    logged = set(
        AccessLog.objects.filter(
            child=world.child, object_type__startswith="case status"
        ).values_list("object_type", "action")
    )
    assert ("case status (close)", "view") in logged and (
        "case status (closed)",
        "change",
    ) in logged
    csc_client.get(_reopen_url(world))
    assert AccessLog.objects.filter(object_type="case status (reopen)").exists()


def test_the_language_prompt_is_shown_after_closing(world, csc_child, csc_client):
    response = csc_client.post(
        _close_url(world),
        {"reason": ClosureReason.OTHER, "note": "She was acting as a prostitute."},
        follow=True,
    )
    flags = response.context["language_flags"]
    assert "Note on the closure" in flags


# --- A new referral on a closed case; the chronology and the file ----------------------------


def test_a_referral_sent_after_closing_prompts_csc_to_decide_on_reopening(
    world, csc_child, csc_client
):
    case_close(
        child=world.child,
        by=world.csc_officer,
        reason=RISK_REDUCED,
        now=timezone.now() - timedelta(days=2),
    )
    send(make_draft(by=world.owner, child=world.child), world.owner)
    page = _record(csc_client, world)
    assert "after the case was closed. Decide whether to reopen the case." in page
    assert case_status_of(world.child).is_closed  # nothing reopens by itself
    assert "Decide whether to reopen" not in _record(sign_in(Client(), world.involved), world)


def test_the_chronology_and_the_file_show_closures_and_reopenings(world, csc_child):
    closure = case_close(
        child=world.child,
        by=world.csc_officer,
        reason=ClosureReason.TURNED_18,
        now=timezone.now() - timedelta(days=5),
    )
    case_reopen(closure=closure, by=world.team_manager, reason=ReopenReason.CLOSED_IN_ERROR)
    entries = [
        e for e in sections.registry.chronology(world.child, world.owner) if e.kind == "Case"
    ]
    assert [e.event for e in entries] == [
        "Case closed by children's social care",
        "Case reopened by children's social care",
    ]
    assert entries[0].summary == "Turned 18: transferred to adult services"
    assert entries[1].by == "Tom Manager"
    (pdf,) = [
        s
        for s in sections.registry.render_pdf_list(world.child, world.owner)
        if s["template"] == "referrals/pdf/case_section.html"
    ]
    assert pdf["closures"] == [closure]


def test_the_demo_has_one_closed_case_and_loads_it_once(db):
    import io

    from django.core.management import call_command

    from tests import demo_data

    demo_data.load()
    (closure,) = CaseClosure.objects.all()
    assert closure.child.first_name == "Lily-Mae" and closure.closing_agency.is_csc
    assert closure.reason == ClosureReason.SUPPORTED_ELSEWHERE and closure.is_open_closure
    call_command("load_demo", "--quiet", stdout=io.StringIO())
    assert CaseClosure.objects.count() == 1


def test_the_case_section_costs_the_same_for_1_or_4_closures(world, csc_child, csc_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def closed_and_reopened(days_ago: int) -> None:
        closure = case_close(
            child=world.child,
            by=world.csc_officer,
            reason=ClosureReason.OTHER,
            note="Agreed with the family.",
            now=timezone.now() - timedelta(days=days_ago),
        )
        case_reopen(
            closure=closure,
            by=world.team_manager,
            reason=ReopenReason.NEW_INFORMATION,
            now=timezone.now() - timedelta(days=days_ago - 1),
        )

    def queries() -> int:
        case_close(child=world.child, by=world.csc_officer, reason=RISK_REDUCED)
        send(make_draft(by=world.owner, child=world.child), world.owner)  # a prompt to show
        with CaptureQueriesContext(connection) as captured:
            page = _record(csc_client, world)
        assert "Decide whether to reopen the case" in page
        CaseClosure.objects.filter(reopened_at__isnull=True).update(
            reopened_at=timezone.now(),
            reopened_by=world.csc_officer,
            reopening_agency=world.csc,
            reopen_reason=ReopenReason.NEW_REFERRAL,
        )
        return len(captured.captured_queries)

    closed_and_reopened(40)
    few = queries()
    for days_ago in (30, 20, 10):
        closed_and_reopened(days_ago)
    assert queries() == few


def test_the_record_page_reads_the_cases_closures_once_for_both_sections(
    world, csc_child, owner_client
):
    """The case section and the assessments section (no reassessment due while closed) both
    show the closure: one read of the closures serves both."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _assessed(world)
    case_close(child=world.child, by=world.csc_officer, reason=RISK_REDUCED, note="Agreed.")
    with CaptureQueriesContext(connection) as captured:
        page = _record(owner_client, world)
    assert 'id="case-closed"' in page
    assert "No reassessment is due while the case is closed." in page
    closure_reads = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith('SELECT "referrals_caseclosure"."id"')
    ]
    assert len(closure_reads) == 1, closure_reads


def test_the_childs_file_shows_the_closure_and_the_reopening(world, csc_child, owner_client):
    from tests.core.test_pdf_whole_file import file_url
    from tests.pdf_helpers import fetch_pdf, pdf_text

    closure = case_close(
        child=world.child,
        by=world.csc_officer,
        reason=ClosureReason.MOVED,
        note="Transferred to Southmere.",
        now=timezone.now() - timedelta(days=5),
    )
    case_reopen(closure=closure, by=world.team_manager, reason=ReopenReason.RETURNED)
    text = " ".join(pdf_text(fetch_pdf(owner_client, file_url(world.child)).content).split())
    assert "CSE case: closures and reopenings" in text
    assert "Moved to another local authority: case transferred" in text
    assert "Transferred to Southmere." in text
    assert "The child has come back to the area" in text
    chronology = text[text.index("Chronology") : text.index("CSE case: closures")]
    assert "Case closed by children's social care" in chronology
    assert "Case reopened by children's social care" in chronology


def test_who_viewed_or_changed_the_record_tells_of_the_closing_and_reopening(
    world, csc_child, csc_client
):
    closure = case_close(
        child=world.child,
        by=world.csc_officer,
        reason=RISK_REDUCED,
        now=timezone.now() - timedelta(days=1),
    )
    case_reopen(closure=closure, by=world.team_manager, reason=ReopenReason.NEW_REFERRAL)
    page = csc_client.get(reverse("children:audit", kwargs={"child_pk": world.child.pk}))
    text = page.content.decode().replace("&#x27;", "'")
    assert "Case closed: Risk reduced: no further action agreed by the strategy meeting" in text
    assert "Case reopened: A new referral raised concerns about the child" in text
