"""Each local authority's assessment tool: chosen by an administrator in the admin, with
history; without a choice, the newest SERA."""

from __future__ import annotations

import json

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from cse_portal.models import Officer
from referrals.assessment_tools import TOOLS_DIR, load_tool, tool_for
from referrals.models import (
    AssessmentTool,
    AuthorityAssessmentTool,
    ToolDomain,
    ToolIndicator,
    ToolOutcome,
    ToolRecencyBand,
)
from tests.conftest import sign_in
from tests.factories import OfficerFactory

pytestmark = pytest.mark.django_db

MODELS = (AssessmentTool, ToolRecencyBand, ToolOutcome, ToolDomain, ToolIndicator)


@pytest.fixture
def sysadmin(db: None) -> Officer:
    return OfficerFactory(
        username="sysadmin",
        agency=None,
        role=Officer.Role.SYSTEM_ADMINISTRATOR,
        is_staff=True,
        is_superuser=True,
    )


@pytest.fixture
def sysadmin_client(sysadmin) -> Client:
    return sign_in(Client(), sysadmin)


def sera_version_2() -> AssessmentTool:
    data = json.loads((TOOLS_DIR / "sera_v1.json").read_text())
    data["version"] = 2
    return load_tool(data, models=MODELS)[0]


def test_an_authority_without_a_choice_uses_the_newest_sera(world):
    assert tool_for(world.north) == AssessmentTool.objects.get(code="sera", version=1)
    newer = sera_version_2()
    assert tool_for(world.north) == newer
    assert tool_for(None) == newer


def test_an_authority_uses_the_tool_chosen_for_it_and_others_keep_the_default(world):
    seraf = AssessmentTool.objects.get(code="seraf")
    AuthorityAssessmentTool.objects.create(
        local_authority=world.north, tool=seraf, chosen_by=world.team_manager
    )
    assert tool_for(world.north) == seraf
    assert tool_for(world.south).code == "sera"


def test_an_administrator_chooses_the_tool_in_the_admin_and_the_history_names_them(
    world, sysadmin, sysadmin_client
):
    seraf = AssessmentTool.objects.get(code="seraf")
    add = reverse("admin:referrals_authorityassessmenttool_add")
    response = sysadmin_client.post(add, {"local_authority": world.north.pk, "tool": seraf.pk})
    assert response.status_code == 302, response.content.decode()[:2000]
    choice = AuthorityAssessmentTool.objects.get(local_authority=world.north)
    assert (choice.tool, choice.chosen_by) == (seraf, sysadmin)
    assert tool_for(world.north) == seraf

    sera = AssessmentTool.objects.get(code="sera")
    change = reverse("admin:referrals_authorityassessmenttool_change", args=[choice.pk])
    response = sysadmin_client.post(change, {"tool": sera.pk})
    assert response.status_code == 302
    assert tool_for(world.north) == sera

    events = apps.get_model("referrals", "AuthorityAssessmentToolEvent").objects.order_by("pgh_id")
    assert [(e.pgh_label, e.tool_id) for e in events] == [
        ("insert", seraf.pk),
        ("update", sera.pk),
    ]
    assert all(e.pgh_context.metadata["user"] == sysadmin.pk for e in events)


def test_an_authority_has_one_choice(world, sysadmin_client):
    AuthorityAssessmentTool.objects.create(
        local_authority=world.north,
        tool=AssessmentTool.objects.get(code="seraf"),
        chosen_by=world.team_manager,
    )
    add = reverse("admin:referrals_authorityassessmenttool_add")
    sera = AssessmentTool.objects.get(code="sera")
    response = sysadmin_client.post(add, {"local_authority": world.north.pk, "tool": sera.pk})
    assert response.status_code == 200  # the form again, with the error
    assert AuthorityAssessmentTool.objects.get(local_authority=world.north).tool.code == "seraf"


def test_the_tools_are_listed_read_only_in_the_admin(sysadmin_client):
    sera = AssessmentTool.objects.get(code="sera")
    changelist = sysadmin_client.get(reverse("admin:referrals_assessmenttool_changelist"))
    assert changelist.status_code == 200
    assert "Sexual Exploitation Risk Assessment (SERA)" in changelist.content.decode()
    page = sysadmin_client.get(reverse("admin:referrals_assessmenttool_change", args=[sera.pk]))
    assert page.status_code == 200
    assert "Entrenched in one, or a number of, abusive relationships" in page.content.decode()
    add = sysadmin_client.get(reverse("admin:referrals_assessmenttool_add"))
    assert add.status_code == 403
