# ruff: noqa: S608 -- the SQL is joined from this module's constant fragments only;
# every value is a named parameter passed to the driver.
"""The floors of "Your work" (`home`), the lead officer's caseload and themes: the best
hand-written SQL for the same rows, run through a raw cursor (scripts/bench_pages.py uses them).

Every statement reads the officer's agency's children as the access door does — guardian's
`view_child` rows of the agency's group, an index-only scan — and each list of "Your work" is
one statement: its first rows and, by a window, how many there are in all (the page spends a
count and a slice on each). The parameters are named: `group`, `permission` (the `view_child`
permission's id), `officer`, `agency`, `authority`, and the moments the pages compute.
"""

from __future__ import annotations

from typing import Any

PER_PAGE = 25  # as scripts/bench_pages.py and the caseload page

_VISIBLE = """SELECT g.content_object_id FROM cse_portal_childgroupobjectpermission g
    WHERE g.group_id = %(group)s AND g.permission_id = %(permission)s"""

# "Your work" of a CSC social worker: every list the page shows, its first 8 rows and its
# count (count(*) OVER () before the LIMIT), each list in one statement.
WORK_SQL = [
    # Referrals to answer: the agency's submitted referrals without a decision, due first.
    f"""SELECT r.id, r.decision_due, c.first_name, c.last_name, k.id, count(*) OVER ()
       FROM referrals_referral r JOIN cse_portal_child c ON c.id = r.child_id
       LEFT JOIN referrals_referraldecision d ON d.referral_id = r.id
       LEFT JOIN referrals_referralacknowledgement k ON k.referral_id = r.id
       WHERE r.to_agency_id = %(agency)s AND r.status = 'submitted' AND d.id IS NULL
         AND r.child_id IN ({_VISIBLE})
       ORDER BY r.decision_due, r.id LIMIT 8""",
    # The officer's open actions of final minutes due within a week (the latest update's
    # status, else the action's).
    f"""SELECT a.id, a.due, c.first_name, c.last_name, count(*) OVER ()
       FROM strategy_meetings_action a JOIN strategy_meetings_meeting m ON m.id = a.meeting_id
       JOIN cse_portal_child c ON c.id = m.child_id
       LEFT JOIN LATERAL (SELECT u.status FROM strategy_meetings_actionupdate u
         WHERE u.action_id = a.id ORDER BY u.at DESC, u.id DESC LIMIT 1) u ON true
       WHERE a.owner_officer_id = %(officer)s AND m.status = 'final'
         AND a.due <= %(week_ahead)s AND m.child_id IN ({_VISIBLE})
         AND COALESCE(u.status, a.status) NOT IN ('done', 'no_longer_needed')
       ORDER BY a.due, a.id LIMIT 8""",
    # Meetings to come that the officer chairs, takes the minutes of or is invited to.
    f"""SELECT m.id, m.starts_at, c.first_name, c.last_name, count(*) OVER ()
       FROM strategy_meetings_meeting m JOIN cse_portal_child c ON c.id = m.child_id
       WHERE m.status = 'draft' AND m.starts_at >= %(today_start)s
         AND (m.chair_id = %(officer)s OR m.minute_taker_id = %(officer)s
              OR EXISTS (SELECT 1 FROM strategy_meetings_invitation i WHERE i.meeting_id = m.id
                         AND i.officer_id = %(officer)s AND i.status = 'invited'))
         AND m.child_id IN ({_VISIBLE})
       ORDER BY m.starts_at, m.id LIMIT 8""",
    # Action plans the officer attended and has not signed up to in their current version.
    f"""SELECT i.id, m.starts_at, c.first_name, c.last_name, count(*) OVER ()
       FROM strategy_meetings_invitation i JOIN strategy_meetings_meeting m ON m.id = i.meeting_id
       JOIN strategy_meetings_actionplan p ON p.meeting_id = m.id
       JOIN cse_portal_child c ON c.id = m.child_id
       WHERE i.officer_id = %(officer)s AND i.attendance = 'attended' AND m.status = 'draft'
         AND m.child_id IN ({_VISIBLE})
         AND NOT EXISTS (SELECT 1 FROM strategy_meetings_signup s
                         WHERE s.invitation_id = i.id AND s.plan_version = p.version)
       ORDER BY m.starts_at, i.id LIMIT 8""",
    # Return interviews due: returned missing episodes of the agency's children.
    f"""SELECT e.id, e.return_interview_due, c.first_name, c.last_name, count(*) OVER ()
       FROM referrals_missingepisode e JOIN cse_portal_child c ON c.id = e.child_id
       WHERE e.status = 'returned' AND e.child_id IN ({_VISIBLE})
       ORDER BY e.return_interview_due, e.id LIMIT 8""",
    # The officer's latest finalised assessment of a child, due for review (G16), while the
    # child's case is open (no closure not reopened); the three months run from the
    # assessment or from the case's latest reopening when later (referrals/work.py).
    f"""SELECT x.id, k.clock_from, c.first_name, c.last_name, o.label, count(*) OVER ()
       FROM referrals_riskassessment x JOIN cse_portal_child c ON c.id = x.child_id
       LEFT JOIN referrals_tooloutcome o ON o.id = x.judged_outcome_id
       CROSS JOIN LATERAL (SELECT GREATEST(x.finalised_at, (SELECT z.reopened_at
           FROM referrals_caseclosure z WHERE z.child_id = x.child_id
             AND z.reopened_at IS NOT NULL ORDER BY z.reopened_at DESC LIMIT 1)) AS clock_from) k
       WHERE x.created_by_id = %(officer)s AND x.status = 'finalised'
         AND x.finalised_at < %(review_before)s AND x.child_id IN ({_VISIBLE})
         AND NOT EXISTS (SELECT 1 FROM referrals_riskassessment y WHERE y.child_id = x.child_id
                         AND y.status = 'finalised' AND y.finalised_at > x.finalised_at)
         AND NOT EXISTS (SELECT 1 FROM referrals_caseclosure z WHERE z.child_id = x.child_id
                         AND z.reopened_at IS NULL)
         AND k.clock_from < %(review_before)s
       ORDER BY k.clock_from, x.id LIMIT 8""",
    # Information the officer was asked for, for an assessment, not given yet.
    f"""SELECT t.id, t.due, c.first_name, c.last_name, count(*) OVER ()
       FROM referrals_assessmentinformationtask t
       JOIN referrals_riskassessment x ON x.id = t.assessment_id
       JOIN cse_portal_child c ON c.id = x.child_id
       WHERE t.responsible_officer_id = %(officer)s AND t.done_at IS NULL
         AND x.child_id IN ({_VISIBLE})
       ORDER BY t.due, t.id LIMIT 8""",
    # The officer's "discuss" screenings waiting for the lead officer's advice.
    f"""SELECT s.id, s.submitted_at, c.first_name, c.last_name, count(*) OVER ()
       FROM screening_screening s JOIN cse_portal_child c ON c.id = s.child_id
       WHERE s.submitted_by_id = %(officer)s AND s.status = 'submitted'
         AND s.conclusion = 'discuss' AND s.child_id IN ({_VISIBLE})
         AND NOT EXISTS (SELECT 1 FROM screening_screeningadvice v WHERE v.screening_id = s.id)
       ORDER BY s.submitted_at, s.id LIMIT 8""",
    # The unread notifications' count (the page's badge).
    """SELECT count(*) FROM cse_portal_notification n
       WHERE n.recipient_id = %(officer)s AND n.read_at IS NULL""",
]


def work_rows(cursor: Any, params: dict[str, object]) -> int:
    """How many rows the lists of "Your work" hold in all: the sum of their counts (each
    statement's last column, by its window), the unread notifications left out."""
    total = 0
    for sql in WORK_SQL[:-1]:
        cursor.execute(sql, params)
        row = cursor.fetchone()
        total += int(row[-1]) if row else 0
    return total


def _scope(csc: bool) -> str:
    """The lead officer's children: the agency's, and for CSC those of its authority."""
    if not csc:
        return _VISIBLE
    return f"""SELECT c.id FROM cse_portal_child c WHERE c.id IN ({_VISIBLE})
        AND (c.home_authority_id = %(authority)s OR c.host_authority_id = %(authority)s)"""


_AGE = """CASE WHEN c.date_of_birth IS NOT NULL
      THEN EXTRACT(YEAR FROM AGE(%(today)s::date, c.date_of_birth))::integer
    WHEN c.approximate_age IS NOT NULL THEN c.approximate_age + GREATEST(0,
      (%(today)s::date - COALESCE(c.approximate_age_recorded_on, (c.created_at AT TIME ZONE 'UTC')::date))
      / 365) END"""


def caseload_sql(csc: bool) -> list[str]:
    """The count, then the first page of 25 children by name with every column the apps
    register (age, latest screening, latest level, latest referral and its state, the next
    meeting, the next review, overdue actions, missing episodes), each column read for the
    25 children only (LATERAL after the LIMIT)."""
    scope = _scope(csc)
    count = f"SELECT count(*) FROM ({scope}) s"
    page = f"""WITH p AS (SELECT c.* FROM cse_portal_child c WHERE c.id IN ({scope})
          ORDER BY c.last_name, c.first_name, c.id LIMIT {PER_PAGE})
       SELECT c.*, la.name, {_AGE} AS age, s.conclusion, s.submitted_at, x.code, x.label,
         x.rank, x.finalised_at, r.id, r.state, r.outcome, m.starts_at, v.review_date,
         (SELECT count(*) FROM strategy_meetings_action a
            JOIN strategy_meetings_meeting am ON am.id = a.meeting_id
            LEFT JOIN LATERAL (SELECT u.status FROM strategy_meetings_actionupdate u
              WHERE u.action_id = a.id ORDER BY u.at DESC, u.id DESC LIMIT 1) u ON true
            WHERE am.child_id = c.id AND am.status = 'final' AND a.owner_agency_id = %(agency)s
              AND a.due < %(today)s
              AND COALESCE(u.status, a.status) NOT IN ('done', 'no_longer_needed'))
           AS overdue_actions,
         (SELECT count(*) FROM referrals_missingepisode e WHERE e.child_id = c.id
            AND e.reported_missing_at >= %(since_90)s) AS missing_90,
         (SELECT count(*) FROM referrals_missingepisode e WHERE e.child_id = c.id
            AND e.status = 'missing') AS missing_now
       FROM p c JOIN cse_portal_localauthority la ON la.id = c.home_authority_id
       LEFT JOIN LATERAL (SELECT conclusion, submitted_at FROM screening_screening
         WHERE child_id = c.id AND status = 'submitted'
         ORDER BY submitted_at DESC, id DESC LIMIT 1) s ON true
       LEFT JOIN LATERAL (SELECT o.code, o.label, o.rank, a.finalised_at
         FROM referrals_riskassessment a LEFT JOIN referrals_tooloutcome o ON o.id = a.judged_outcome_id
         WHERE a.child_id = c.id AND a.status = 'finalised'
         ORDER BY a.finalised_at DESC, a.id DESC LIMIT 1) x ON true
       LEFT JOIN LATERAL (SELECT f.id, d.outcome, CASE WHEN d.id IS NOT NULL THEN 'decided'
           WHEN f.decision_due < %(now)s THEN 'decision_overdue'
           WHEN k.id IS NOT NULL THEN 'awaiting_decision' ELSE 'awaiting_acknowledgement' END
           AS state
         FROM referrals_referral f LEFT JOIN referrals_referraldecision d ON d.referral_id = f.id
         LEFT JOIN referrals_referralacknowledgement k ON k.referral_id = f.id
         WHERE f.child_id = c.id AND f.status = 'submitted'
         ORDER BY f.received_at DESC, f.id DESC LIMIT 1) r ON true
       LEFT JOIN LATERAL (SELECT starts_at FROM strategy_meetings_meeting
         WHERE child_id = c.id AND status = 'draft' AND starts_at >= %(now)s
         ORDER BY starts_at LIMIT 1) m ON true
       LEFT JOIN LATERAL (SELECT ap.review_date FROM strategy_meetings_actionplan ap
         JOIN strategy_meetings_meeting pm ON pm.id = ap.meeting_id
         WHERE pm.child_id = c.id AND pm.status = 'final' AND ap.review_date IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM strategy_meetings_meeting n WHERE n.review_of_id = pm.id)
         ORDER BY ap.review_date LIMIT 1) v ON true
       ORDER BY c.last_name, c.first_name, c.id"""
    return [count, page]


def themes_sql(csc: bool) -> list[str]:
    """Every theme's figures over the scope's children involved with the agency in the period
    (twelve months to today): new children by month, headings and indicators present in
    the period's screenings (and by month), the latest judged level of each child assessed in the period, finalised assessments
    by month, missing episodes a child (and by month), persons and places across children,
    and gender, age band, ethnicity and looked-after status in one scan (GROUPING SETS)."""
    period = f"""SELECT s.id FROM ({_scope(csc)}) s(id) WHERE EXISTS (SELECT 1
        FROM cse_portal_involvement i WHERE i.child_id = s.id AND i.agency_id = %(agency)s
        AND i.granted_at < %(end)s AND (i.ended_at IS NULL OR i.ended_at >= %(start)s))"""
    present = f"""FROM screening_screeninganswer a JOIN screening_screening s ON s.id = a.screening_id
        WHERE a.answer = 'present' AND s.status = 'submitted' AND s.submitted_at >= %(start)s
        AND s.submitted_at < %(end)s AND s.child_id IN ({period})"""
    within = "{0} >= %(start)s AND {0} < %(end)s"
    return [
        f"""SELECT date_trunc('month', f.first AT TIME ZONE 'Europe/London'), count(*)
            FROM (SELECT min(i.granted_at) AS first FROM cse_portal_involvement i
                  WHERE i.agency_id = %(agency)s AND i.child_id IN ({period})
                  GROUP BY i.child_id) f
            WHERE {within.format("f.first")} GROUP BY 1""",
        f"SELECT count(*) FROM ({period}) p",
        f"""SELECT h.code, h.letter, h.title, count(DISTINCT s.child_id) {present.replace(
            "WHERE", "JOIN screening_indicator ind ON ind.id = a.indicator_id "
            "JOIN screening_heading h ON h.id = ind.heading_id WHERE", 1)} GROUP BY 1, 2, 3""",
        f"""SELECT date_trunc('month', s.submitted_at AT TIME ZONE 'Europe/London'),
            count(DISTINCT s.child_id) {present} GROUP BY 1""",
        f"""SELECT ind.code, ind.text, count(DISTINCT s.child_id) {present.replace(
            "WHERE", "JOIN screening_indicator ind ON ind.id = a.indicator_id WHERE", 1)}
            GROUP BY 1, 2 ORDER BY 3 DESC, 1 LIMIT 15""",
        f"""SELECT o.code, count(*) FROM (SELECT DISTINCT ON (x.child_id) x.judged_outcome_id
              FROM referrals_riskassessment x WHERE x.status = 'finalised'
              AND {within.format("x.finalised_at")} AND x.child_id IN ({period})
              ORDER BY x.child_id, x.finalised_at DESC, x.id DESC) l
            LEFT JOIN referrals_tooloutcome o ON o.id = l.judged_outcome_id GROUP BY 1""",
        f"""SELECT date_trunc('month', x.finalised_at AT TIME ZONE 'Europe/London'), count(*)
            FROM referrals_riskassessment x WHERE x.status = 'finalised'
            AND {within.format("x.finalised_at")} AND x.child_id IN ({period}) GROUP BY 1""",
        f"""SELECT date_trunc('month', e.reported_missing_at AT TIME ZONE 'Europe/London'),
              e.child_id, count(*) FROM referrals_missingepisode e
            WHERE {within.format("e.reported_missing_at")} AND e.child_id IN ({period})
            GROUP BY ROLLUP (2, 1)""",
        f"""SELECT l.person_id, count(DISTINCT l.child_id) FROM referrals_personlink l
            WHERE l.child_id IN ({period}) GROUP BY 1 HAVING count(DISTINCT l.child_id) >= 2""",
        f"""SELECT lower(trim(COALESCE(NULLIF(trim(p.name), ''), p.address))),
              count(DISTINCT r.child_id)
            FROM referrals_referralplace p JOIN referrals_referral r ON r.id = p.referral_id
            WHERE r.status = 'submitted' AND r.child_id IN ({period})
            GROUP BY 1 HAVING count(DISTINCT r.child_id) >= 2""",
        f"""SELECT c.gender, c.ethnicity, c.looked_after_status, {_AGE} AS age, count(*)
            FROM cse_portal_child c WHERE c.id IN ({period})
            GROUP BY GROUPING SETS ((c.gender), (c.ethnicity), (c.looked_after_status), (4))""",
    ]  # fmt: skip


__all__ = ["WORK_SQL", "caseload_sql", "themes_sql", "work_rows"]
