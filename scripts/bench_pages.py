"""The pages scripts/bench.py measures, who looks at them, and each page's floor: the best
hand-written SQL for the same rows (what the database must do at the least for the page).

The officers are those of the first generated area: a police practitioner (the children list,
the child's record), a CSC social worker (the tray, "Your work"), the CSC and the police CSE
leads (caseload and themes: a CSC lead's scope is the CSC's children of its authority, a
police lead's the police agency's), and the CSC child protection coordinator who chairs the
child's meeting (the minutes). The floors of "Your work", caseload and themes are in
scripts/bench_floors.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bench import Page
from bench_floors import WORK_SQL, caseload_sql, themes_sql, work_rows
from django.test import Client

PER_PAGE = 25
_CHILD_COLUMNS = "c.*, la.name, a.name"


def _visible_page_sql(where: str = "") -> str:
    return f"""SELECT {_CHILD_COLUMNS}
        FROM cse_portal_childgroupobjectpermission g
        JOIN cse_portal_child c ON c.id = g.content_object_id
        JOIN cse_portal_localauthority la ON la.id = c.home_authority_id
        JOIN cse_portal_agency a ON a.id = c.owning_agency_id
        WHERE g.group_id = %s AND g.permission_id = %s {where}
        ORDER BY c.last_name, c.first_name, c.created_at LIMIT {PER_PAGE} OFFSET %s"""  # noqa: S608


def _count_sql(where: str = "") -> str:
    join = "JOIN cse_portal_child c ON c.id = g.content_object_id" if where else ""
    return f"""SELECT count(*) FROM cse_portal_childgroupobjectpermission g {join}
        WHERE g.group_id = %s AND g.permission_id = %s {where}"""  # noqa: S608


_SEARCH_WHERE = (
    "AND (UPPER(c.first_name) LIKE UPPER(%s) OR UPPER(c.last_name) LIKE UPPER(%s)"
    " OR UPPER(c.known_as) LIKE UPPER(%s))"
)


def list_floor(group: int, permission: int, offset: int, word: str = "") -> Callable[[Any], object]:
    def floor(cursor: Any) -> None:
        if word:
            like = f"%{word}%"
            cursor.execute(_count_sql(_SEARCH_WHERE), [group, permission, like, like, like])
            cursor.fetchall()
            cursor.execute(
                _visible_page_sql(_SEARCH_WHERE), [group, permission, like, like, like, offset]
            )
        else:
            cursor.execute(_count_sql(), [group, permission])
            cursor.fetchall()
            cursor.execute(_visible_page_sql(), [group, permission, offset])
        cursor.fetchall()

    return floor


_RECORD_SQL = [
    """SELECT c.*, h.*, o.* FROM cse_portal_child c
       JOIN cse_portal_localauthority h ON h.id = c.home_authority_id
       JOIN cse_portal_agency o ON o.id = c.owning_agency_id
       WHERE c.id = %(child)s AND EXISTS (SELECT 1 FROM cse_portal_childgroupobjectpermission g
         WHERE g.content_object_id = c.id AND g.group_id = %(group)s
           AND g.permission_id = %(permission)s)""",
    """SELECT i.*, a.name FROM cse_portal_involvement i JOIN cse_portal_agency a ON a.id = i.agency_id
       WHERE i.child_id = %(child)s ORDER BY i.granted_at""",
    """SELECT s.* FROM screening_screening s WHERE s.child_id = %(child)s
       ORDER BY s.created_at DESC""",
    """SELECT r.*, k.*, d.* FROM referrals_referral r
       LEFT JOIN referrals_referralacknowledgement k ON k.referral_id = r.id
       LEFT JOIN referrals_referraldecision d ON d.referral_id = r.id
       WHERE r.child_id = %(child)s ORDER BY r.created_at DESC""",
    """SELECT x.*, o.label FROM referrals_riskassessment x
       LEFT JOIN referrals_tooloutcome o ON o.id = x.judged_outcome_id
       WHERE x.child_id = %(child)s ORDER BY x.created_at DESC""",
    """SELECT m.* FROM referrals_missingepisode m WHERE m.child_id = %(child)s
       ORDER BY m.reported_missing_at DESC""",
    """SELECT m.* FROM strategy_meetings_meeting m WHERE m.child_id = %(child)s
       ORDER BY m.starts_at DESC""",
    """SELECT l.*, p.* FROM referrals_personlink l
       JOIN referrals_personofconcern p ON p.id = l.person_id WHERE l.child_id = %(child)s""",
]

_TRAY_SQL = [
    """SELECT r.*, c.first_name, c.last_name, k.id FROM referrals_referral r
       JOIN cse_portal_child c ON c.id = r.child_id
       LEFT JOIN referrals_referralacknowledgement k ON k.referral_id = r.id
       WHERE r.to_agency_id = %(agency)s AND r.status = 'submitted'
         AND NOT EXISTS (SELECT 1 FROM referrals_referraldecision d WHERE d.referral_id = r.id)
       ORDER BY r.decision_due < now() DESC, r.decision_due, r.id""",
    # The decision's agency is the referral's receiving CSC (the trigger decision_rules): the
    # agency's latest decisions are read in order from the index decision_agency_latest.
    """SELECT count(*) FROM referrals_referraldecision d
       JOIN referrals_referral r ON r.id = d.referral_id WHERE r.to_agency_id = %(agency)s
         AND d.agency_id = r.to_agency_id""",
    """SELECT r.*, d.*, c.first_name, c.last_name FROM referrals_referraldecision d
       JOIN referrals_referral r ON r.id = d.referral_id JOIN cse_portal_child c ON c.id = r.child_id
       WHERE r.to_agency_id = %(agency)s AND d.agency_id = r.to_agency_id
       ORDER BY d.decided_at DESC, r.id DESC LIMIT 25""",
]

_MINUTES_SQL = [
    """SELECT m.*, c.* FROM strategy_meetings_meeting m JOIN cse_portal_child c ON c.id = m.child_id
       WHERE m.id = %(meeting)s""",
    """SELECT s.* FROM strategy_meetings_minutessection s WHERE s.meeting_id = %(meeting)s
       ORDER BY s.position""",
    """SELECT i.*, o.first_name, o.last_name, a.name FROM strategy_meetings_invitation i
       LEFT JOIN cse_portal_officer o ON o.id = i.officer_id
       JOIN cse_portal_agency a ON a.id = i.agency_id WHERE i.meeting_id = %(meeting)s""",
]


def sql_floor(statements: list[str], params: dict[str, object]) -> Callable[[Any], object]:
    def floor(cursor: Any) -> None:
        for sql in statements:
            cursor.execute(sql, params)
            cursor.fetchall()

    return floor


def pages(
    signed_in: Callable[[str], Client],
    url_or_none: Callable[..., str | None],
    scalar: Callable[[str, list[object]], Any],
) -> list[Page]:
    from django.db import connection

    from cse_portal.models import Agency, Officer
    from cse_portal.views import SEARCH_SESSION_KEY

    permission = scalar("SELECT id FROM auth_permission WHERE codename = 'view_child'", [])
    police_id, child, meeting = _child_with_meeting(permission)
    police = Agency.objects.get(pk=police_id)
    csc = Agency.objects.filter(kind="csc", local_authority=police.local_authority).first()
    assert csc is not None, "the volume data set has no children's social care"
    group = police.group_id
    visible = scalar(_count_sql(), [group, permission])
    last_page = max(1, -(-visible // PER_PAGE))
    practitioner = Officer.objects.filter(agency=police, is_cse_lead=False).order_by("id").first()
    lead = Officer.objects.get(agency=police, is_cse_lead=True)
    worker = Officer.objects.filter(agency=csc, role="social_worker").order_by("id").first()
    officer = signed_in(practitioner.username)
    searcher = signed_in(practitioner.username)
    word = _common_surname(scalar, group, permission)
    session = searcher.session
    session[SEARCH_SESSION_KEY] = word
    session.save()
    found = scalar(_count_sql(_SEARCH_WHERE), [group, permission, *[f"%{word}%"] * 3])
    chair = scalar("SELECT chair_id FROM strategy_meetings_meeting WHERE id = %s", [meeting])
    chair_name = Officer.objects.get(pk=chair).username
    record_params = {"child": child, "group": group, "permission": permission}
    record_rows = sum(_rows_of(scalar, sql, record_params) for sql in _RECORD_SQL)
    tray_params = {"agency": csc.pk}
    tray_rows = _rows_of(scalar, _TRAY_SQL[0], tray_params) + scalar(
        _TRAY_SQL[1].replace("%(agency)s", "%s"), [csc.pk]
    )
    minutes_params = {"meeting": meeting}
    minutes_rows = sum(_rows_of(scalar, sql, minutes_params) for sql in _MINUTES_SQL)
    csc_lead = Officer.objects.get(agency=csc, is_cse_lead=True)
    work_params = _work_params(worker, csc, permission)
    with connection.cursor() as cursor:
        work_count = work_rows(cursor, work_params)
    caseload_url, themes_url = url_or_none("caseload"), url_or_none("themes")
    leads = [("CSC", csc_lead, True), ("police", lead, False)]
    lead_pages = [
        page
        for kind, officer_, is_csc in leads
        for page in _lead_pages(
            kind, officer_, is_csc, permission, signed_in, caseload_url, themes_url
        )
    ]
    children_url = url_or_none("children:list")
    minutes_url = url_or_none("strategy_meetings:minutes", child_pk=child, pk=meeting)
    return [
        Page("Children list, first page", children_url, officer, visible,
             list_floor(group, permission, 0)),
        Page("Children list, last page", f"{children_url}?page={last_page}", officer, visible,
             list_floor(group, permission, (last_page - 1) * PER_PAGE)),
        Page(f"Children list, search '{word}'", children_url, searcher, found,
             list_floor(group, permission, 0, word)),
        Page("Child's record", url_or_none("children:detail", child_pk=child), officer,
             record_rows, sql_floor(_RECORD_SQL, record_params)),
        Page("CSC tray", url_or_none("referrals:tray"), signed_in(worker.username), tray_rows,
             sql_floor(_TRAY_SQL, tray_params)),
        Page("Your work (home), CSC", url_or_none("home"), signed_in(worker.username),
             work_count, sql_floor(WORK_SQL, work_params)),
        *lead_pages,
        Page("Meeting minutes", minutes_url, signed_in(chair_name), minutes_rows,
             sql_floor(_MINUTES_SQL, minutes_params)),
    ]  # fmt: skip


def _work_params(worker: Any, csc: Any, permission: int) -> dict[str, object]:
    """The moments "Your work" computes: a week ahead, the start of today, and the last
    moment an assessment may have been finalised to be due for review within a fortnight."""
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from referrals.work import REASSESS_EVERY_MONTHS, REVIEW_WARNING, add_months

    today = timezone.localdate()
    london = timezone.get_current_timezone()
    review_on = add_months(today + REVIEW_WARNING, -REASSESS_EVERY_MONTHS)
    return {
        "group": csc.group_id, "permission": permission, "agency": csc.pk, "officer": worker.pk,
        "week_ahead": today + timedelta(days=7),
        "today_start": datetime.combine(today, time.min, tzinfo=london),
        "review_before": datetime.combine(review_on + timedelta(days=1), time.min, tzinfo=london),
    }  # fmt: skip


def _lead_pages(
    kind: str, lead: Any, csc: bool, permission: int, signed_in: Callable[[str], Client],
    caseload_url: str | None, themes_url: str | None,
) -> list[Page]:  # fmt: skip
    """The caseload and the themes of one lead officer (the themes' default period: the
    twelve months to today)."""
    from datetime import timedelta

    from django.utils import timezone

    from cse_portal.themes import Period
    from referrals.caseload import MISSING_DAYS

    agency = lead.agency
    period = Period.last_twelve_months(timezone.localdate())
    now = timezone.now()
    params = {
        "group": agency.group_id, "permission": permission, "agency": agency.pk,
        "authority": agency.local_authority_id, "today": timezone.localdate(), "now": now,
        "since_90": now - timedelta(days=MISSING_DAYS),
        "start": period.start_at, "end": period.end_at,
    }  # fmt: skip
    caseload, themes = caseload_sql(csc), themes_sql(csc)
    client = signed_in(lead.username)

    def summaries() -> str:
        """Work out the agency's themes summary as the scheduler does (manage.py
        refresh_themes), so that the page is measured as production serves it."""
        import time as clock

        from django.conf import settings

        from cse_portal import themes_summary
        from cse_portal.scope import scope_of_agency

        minutes = settings.CSE_THEMES_REFRESH_MINUTES
        if not minutes:
            return "no summaries (CSE_THEMES_REFRESH_MINUTES=0): the page counts afresh"
        started = clock.perf_counter()
        themes_summary.compute(scope_of_agency(agency), period)
        return (
            f"summary worked out beforehand in {clock.perf_counter() - started:.1f} s "
            f"(as refresh_themes does on its schedule); never older than {minutes} min"
        )

    return [
        Page(f"Lead officer's caseload, {kind}", caseload_url, client,
             _named_scalar(caseload[0], params), sql_floor(caseload, params)),
        Page(f"Lead officer's themes, {kind}", themes_url, client,
             _named_scalar(themes[1], params), sql_floor(themes, params), prepare=summaries),
    ]  # fmt: skip


def _named_scalar(sql: str, params: dict[str, object]) -> Any:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def _rows_of(scalar: Callable[[str, list[object]], Any], sql: str, params: dict) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({sql}) q", params)  # noqa: S608
        return int(cursor.fetchone()[0])


def _common_surname(scalar: Callable[[str, list[object]], Any], group: int, permission: int) -> str:
    return str(
        scalar(
            """SELECT c.last_name FROM cse_portal_childgroupobjectpermission g
            JOIN cse_portal_child c ON c.id = g.content_object_id
            WHERE g.group_id = %s AND g.permission_id = %s AND c.last_name <> ''
            GROUP BY c.last_name ORDER BY count(*) DESC, c.last_name LIMIT 1""",
            [group, permission],
        )
    )


def _child_with_meeting(permission: int) -> tuple[int, Any, int]:
    """A police agency, the child it sees with the most behind the record (a strategy meeting,
    then the most missing episodes), and the meeting."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT a.id, m.child_id, m.id FROM strategy_meetings_meeting m
            JOIN cse_portal_childgroupobjectpermission g ON g.content_object_id = m.child_id
            JOIN cse_portal_agency a ON a.group_id = g.group_id
            WHERE a.kind = 'police' AND g.permission_id = %s
            ORDER BY a.id,
                     (SELECT count(*) FROM referrals_missingepisode e WHERE e.child_id = m.child_id)
                     DESC, m.id LIMIT 1""",
            [permission],
        )
        row = cursor.fetchone()
    assert row is not None, "no strategy meeting about a child a police agency sees"
    return row[0], row[1], row[2]
