"""`manage.py generate_volume`: a small data set that the pages render, the same for the same
seed, whose rows hold the models' rules and whose access follows involvement."""

from __future__ import annotations

import io

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from cse_portal import volume
from cse_portal.models import AccessLog, Agency, Child, Involvement, Officer
from referrals.models import PersonLink, Referral, ReferralDecision
from screening.models import Screening
from strategy_meetings.models import Action, Meeting
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db

CHILDREN = 50

# What the seed must reproduce exactly: a digest of each table's rows, in key order.
_DIGESTS = {
    "cse_portal_child": "id, first_name, last_name, date_of_birth, owning_agency_id, created_at",
    "cse_portal_involvement": "child_id, agency_id, reason, granted_at",
    "cse_portal_childgroupobjectpermission": "group_id, permission_id, content_object_id",
    "screening_screening": "id, child_id, suggestion, conclusion, submitted_at",
    "screening_screeninganswer": "screening_id, indicator_id, answer",
    "referrals_referral": "id, child_id, screening_id, received_at, submission_key",
    "referrals_referraldecision": "referral_id, outcome, decided_at",
    "referrals_personlink": "person_id, child_id",
    "strategy_meetings_meeting": "id, child_id, starts_at",
    "strategy_meetings_action": "meeting_id, what, owner_officer_id, due",
    "cse_portal_accesslog": "at, officer_id, child_id, action",
}


def generate(seed: int = 7) -> str:
    out = io.StringIO()
    call_command("generate_volume", children=CHILDREN, seed=seed, stdout=out)
    return out.getvalue()


def digests() -> dict[str, str]:
    found = {}
    with connection.cursor() as cursor:
        for table, columns in _DIGESTS.items():
            cursor.execute(
                f"SELECT md5(string_agg(row({columns})::text, '|' ORDER BY {columns})) FROM {table}"
            )
            found[table] = cursor.fetchone()[0]
    return found


@pytest.fixture
def generated() -> str:
    return generate()


def test_it_generates_every_kind_of_row_and_says_the_triggers_were_bypassed(generated):
    assert "session_replication_role = replica" in generated
    assert Child.objects.count() == CHILDREN
    assert Agency.objects.count() == 100
    assert Officer.objects.count() == 600
    for model in (Involvement, Screening, Referral, ReferralDecision, Meeting, Action, PersonLink):
        assert model.objects.exists(), model
    assert AccessLog.objects.count() > CHILDREN * 5
    every_model = {
        m._meta.label: 0 for m in apps.get_models() if m._meta.managed and not m._meta.proxy
    }
    every_model.pop("pghistory.Events", None)
    assert volume.check_foreign_keys(volume.VolumeContext(0, None, None, counts=every_model)) == []


def test_every_child_has_one_to_three_agencies_each_with_the_three_permissions(generated):
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT i.child_id, count(DISTINCT i.agency_id),
                      count(DISTINCT (g.group_id, g.permission_id))
            FROM cse_portal_involvement i JOIN cse_portal_agency a ON a.id = i.agency_id
            LEFT JOIN cse_portal_childgroupobjectpermission g
              ON g.content_object_id = i.child_id AND g.group_id = a.group_id
            GROUP BY i.child_id"""
        )
        rows = cursor.fetchall()
    assert len(rows) == CHILDREN
    for _child, agencies, permissions in rows:
        assert 1 <= agencies <= 3
        assert permissions == agencies * 3


def test_the_same_seed_gives_the_same_rows_and_another_seed_others():
    runs = []
    for seed in (7, 7, 8):
        with pytest.raises(_RolledBack), transaction.atomic():
            generate(seed)
            runs.append(digests())
            raise _RolledBack
    assert runs[0] == runs[1]
    assert runs[0]["cse_portal_child"] != runs[2]["cse_portal_child"]


class _RolledBack(Exception):
    pass


def test_it_refuses_a_database_that_has_children(generated):
    with pytest.raises(CommandError, match="already has children"):
        generate()


def test_the_rows_pass_the_models_own_validation(generated):
    """CHECK and UNIQUE constraints held at COPY; the models' validation (field choices,
    lengths, constraints with their messages) agrees, for every generated model."""
    labels = [
        "cse_portal.Child",
        "cse_portal.Involvement",
        "screening.Screening",
        "referrals.Referral",
        "referrals.ReferralDecision",
        "referrals.RiskAssessment",
        "referrals.MissingEpisode",
        "referrals.PersonOfConcern",
        "strategy_meetings.Meeting",
        "strategy_meetings.Invitation",
        "strategy_meetings.Action",
        "strategy_meetings.MinutesSection",
    ]
    for label in labels:
        for obj in apps.get_model(label).objects.all()[:20]:
            try:
                obj.full_clean(validate_unique=False)
            except ValidationError as error:  # pragma: no cover - the message is the point
                pytest.fail(f"{label} {obj.pk}: {error}")


def test_the_names_are_invented():
    """Names come from invented syllables: every generated name is made of them."""
    generate()
    starts = tuple(volume._FIRST_A)
    for first, last in Child.objects.filter(is_identified=True).values_list(
        "first_name", "last_name"
    ):
        assert first.startswith(starts)
        assert last.startswith(tuple(volume._LAST_A))


def _visible_child_and_officers() -> tuple[Child, Officer, Officer]:
    child = Child.objects.filter(strategy_meetings__isnull=False).first() or Child.objects.first()
    involved = set(child.involvements.values_list("agency_id", flat=True))
    inside = Officer.objects.filter(agency_id__in=involved).order_by("id").first()
    outside = Officer.objects.exclude(agency_id__in=involved).order_by("id").first()
    return child, inside, outside


def test_the_pages_render_and_access_follows_involvement(generated):
    child, inside, outside = _visible_child_and_officers()
    client = sign_in(Client(), inside)
    for url in (reverse("children:list"), child.get_absolute_url()):
        assert client.get(url).status_code == 200, url
    assert sign_in(Client(), outside).get(child.get_absolute_url()).status_code == 404
    csc = Officer.objects.filter(agency__kind="csc", role="social_worker").first()
    assert sign_in(Client(), csc).get(reverse("referrals:tray")).status_code == 200
    meeting = Meeting.objects.select_related("chair").first()
    minutes = reverse(
        "strategy_meetings:minutes", kwargs={"child_pk": meeting.child_id, "pk": meeting.pk}
    )
    assert sign_in(Client(), meeting.chair).get(minutes).status_code == 200


def test_history_and_freeze_triggers_work_again_after_the_load(generated):
    """The bypass is for the bulk load only: afterwards a submitted screening is frozen."""
    from django.db import DatabaseError

    screening = Screening.objects.filter(status="submitted").first()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE screening_screening SET conclusion_reason = 'changed' WHERE id = %s",
            [screening.pk],
        )
    with connection.cursor() as cursor:
        cursor.execute("SHOW session_replication_role")
        assert cursor.fetchone()[0] == "origin"
