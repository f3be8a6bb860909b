"""The screening as a GOV.UK task list (issue 7): the start page, the nine SAFEGUARD headings
as tasks with their status and the progress, one page per heading with save and continue,
and the screener's list of drafts."""

from __future__ import annotations

import re
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from cse_portal.models import AccessLog
from screening import services
from screening.models import Answer, Screening
from tests.conftest import sign_in
from tests.factories import OfficerFactory, make_child
from tests.screening.factories import answers, make_screening
from tests.screening.helpers import at_once, section_data, section_url, url

HEADING_CODES = ["S", "A1", "F", "E", "G", "U", "A2", "R", "D"]


def new_url(child) -> str:
    return reverse("screening:new", kwargs={"child_pk": child.pk})


def start(client: Client, child, key: uuid.UUID | None = None):
    return client.post(new_url(child), {"start": "", "creation_key": key or uuid.uuid4()})


def statuses(html: str) -> dict[str, str]:
    """Heading letter and title → the status shown beside it in the task list."""
    found = {}
    for item in re.findall(r'<li class="govuk-task-list__item.*?</li>', html, re.S):
        name = re.search(r'govuk-task-list__link"[^>]*>([^<]+)</a>', item)
        status = re.search(r'govuk-task-list__status[^"]*"[^>]*>\s*(.*?)\s*</div>', item, re.S)
        if name and status:
            found[name.group(1)] = re.sub(r"<[^>]+>", "", status.group(1)).strip()
    return found


def test_the_start_page_starts_an_empty_draft_and_shows_its_task_list(
    owner_client, world, catalogue
) -> None:
    page = owner_client.get(new_url(world.child))
    assert 'name="creation_key"' in page.content.decode()
    assert "Start screening" in page.content.decode()

    response = start(owner_client, world.child)

    screening = Screening.objects.get(child=world.child)
    assert response["Location"] == url("detail", screening)
    assert screening.is_draft and not screening.answers.exists()
    html = owner_client.get(url("detail", screening)).content.decode()
    assert "govuk-task-list" in html
    assert "You have completed 0 of 9 sections." in html
    assert set(statuses(html).values()) == {"Not yet started"}
    assert len(statuses(html)) == 9


def test_a_double_click_on_start_makes_one_draft(owner_client, world, catalogue) -> None:
    key = uuid.uuid4()
    first, second = start(owner_client, world.child, key), start(owner_client, world.child, key)
    screening = Screening.objects.get(child=world.child)
    assert first["Location"] == second["Location"] == url("detail", screening)
    assert screening.creation_key == key


def test_a_start_form_used_for_another_child_is_refused_with_a_clear_page(
    owner_client, world, catalogue
) -> None:
    key = uuid.uuid4()
    start(owner_client, world.child, key)
    other = make_child(by=world.owner, first_name="Robin")
    response = start(owner_client, other, key)
    assert response.status_code == 200
    assert "This form has already been used" in response.content.decode()
    assert not Screening.objects.filter(child=other).exists()


@pytest.mark.django_db(transaction=True)
def test_parallel_posts_of_one_start_form_make_one_draft_and_no_error(world, catalogue) -> None:
    key = uuid.uuid4()
    clients = [sign_in(Client(), world.owner) for _ in range(4)]
    responses = at_once(lambda i: start(clients[i], world.child, key), 4)
    assert [getattr(r, "status_code", r) for r in responses] == [302] * 4
    screening = Screening.objects.get(child=world.child)
    assert {r["Location"] for r in responses} == {url("detail", screening)}


@pytest.mark.django_db(transaction=True)
def test_a_start_that_loses_the_race_returns_the_draft_the_other_started(world, catalogue) -> None:
    """Two connections: the first inserts and holds its transaction open; the second, whose
    look-up found nothing, waits on the unique key, is refused, and returns the first's."""
    import threading
    import time

    from django.db import connection, transaction

    key, inserted, results = uuid.uuid4(), threading.Event(), {}

    def first() -> None:
        try:
            with transaction.atomic():
                results["first"] = services.screening_create(
                    child=world.child, by=world.owner, creation_key=key
                ).pk
                inserted.set()
                time.sleep(1)  # the second is now waiting on the unique index
        finally:
            connection.close()

    def second() -> None:
        try:
            inserted.wait(10)
            results["second"] = services.screening_create(
                child=world.child, by=world.owner, creation_key=key
            ).pk
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert results["first"] == results["second"]
    assert Screening.objects.filter(child=world.child).count() == 1


def test_the_task_list_shows_each_headings_status_and_the_progress(
    owner_client, world, catalogue
) -> None:
    given = {code: services.AnswerInput(answer=a.answer) for code, a in answers().items()}
    only = {c: given[c] for c in given if c.startswith(("S-", "D-"))}
    only["F-01"] = services.AnswerInput(answer=Answer.PRESENT)  # F: one of eight answered
    only["E-01"] = services.AnswerInput(answer="", note="Asked the family; waiting to hear.")
    screening = services.screening_create(child=world.child, by=world.owner, answers=only)

    html = owner_client.get(url("detail", screening)).content.decode()

    assert "You have completed 2 of 9 sections." in html
    shown = statuses(html)
    assert shown["S — Sexual health and behaviour"] == "Completed"
    assert shown["D — Distrust of authority figures"] == "Completed"
    assert shown["F — Family-related abuse and/or problems at home"] == "In progress"
    assert shown["E — Emotional and physical condition"] == "In progress"  # a note, no answer
    assert shown["G — Gangs, older age groups and involvement in crime"] == "Not yet started"
    assert "Cannot start yet" in html
    assert url("submit", screening) not in html


def test_once_every_heading_is_completed_the_check_page_is_offered(
    owner_client, world, catalogue
) -> None:
    screening = make_screening(child=world.child, by=world.owner)
    html = owner_client.get(url("detail", screening)).content.decode()
    assert "You have completed 9 of 9 sections." in html
    assert f'href="{url("submit", screening)}"' in html


def test_a_headings_page_asks_only_that_headings_indicators(owner_client, world, catalogue) -> None:
    screening = make_screening(child=world.child, by=world.owner)
    html = owner_client.get(section_url(screening, "a1")).content.decode()
    assert "A — Absent from school or repeatedly running away</h1>" in html
    assert "Section 2 of 9" in html
    asked = set(re.findall(r'name="answer_([a-z0-9_]+)"', html))
    assert asked == {"a1_01", "a1_02"}
    assert 'name="section" value="a1"' in html


def test_save_and_continue_goes_from_each_heading_to_the_next_then_to_check_answers(
    owner_client, world, catalogue
) -> None:
    start(owner_client, world.child)
    screening = Screening.objects.get(child=world.child)
    for here, after in zip(HEADING_CODES, [*HEADING_CODES[1:], None], strict=True):
        screening.refresh_from_db()
        response = owner_client.post(url("edit", screening), section_data(screening, here))
        expected = section_url(screening, after.lower()) if after else url("submit", screening)
        assert response["Location"] == expected
    assert screening.answers.exclude(answer="").count() == catalogue.indicators.count()


def test_save_and_come_back_later_goes_to_the_task_list(owner_client, world, catalogue) -> None:
    start(owner_client, world.child)
    screening = Screening.objects.get(child=world.child)
    response = owner_client.post(
        url("edit", screening), section_data(screening, "R", button="save_draft")
    )
    assert response["Location"] == url("detail", screening)


def test_a_headings_page_saves_its_indicators_and_leaves_the_others_alone(
    owner_client, world, catalogue
) -> None:
    screening = make_screening(child=world.child, by=world.owner, present=("F-03",))
    data = section_data(screening, "R", answers={"R-01": Answer.PRESENT})
    owner_client.post(url("edit", screening), data)
    recorded = dict(screening.answers.values_list("indicator__code", "answer"))
    assert recorded["R-01"] == Answer.PRESENT
    assert recorded["F-03"] == Answer.PRESENT  # another heading, untouched
    assert len(recorded) == catalogue.indicators.count()


def test_edit_without_a_heading_shows_the_first_heading_not_yet_completed(
    owner_client, world, catalogue
) -> None:
    given = {c: a for c, a in answers().items() if c.startswith(("S-", "A1-"))}
    screening = services.screening_create(child=world.child, by=world.owner, answers=given)
    html = owner_client.get(url("edit", screening)).content.decode()
    assert "F — Family-related abuse and/or problems at home</h1>" in html


def test_an_unknown_heading_answers_404(owner_client, world, catalogue) -> None:
    screening = make_screening(child=world.child, by=world.owner)
    assert owner_client.get(section_url(screening, "zz")).status_code == 404


def test_a_stale_headings_page_is_refused_and_what_was_typed_is_kept(
    owner_client, lead_client, world, catalogue
) -> None:
    screening = make_screening(child=world.child, by=world.owner)
    stale = section_data(screening, "U", answers={"U-01": Answer.PRESENT})
    lead_client.post(url("edit", screening), section_data(screening, "S"))
    response = owner_client.post(url("edit", screening), stale)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Someone else in your agency saved this screening" in html
    assert "U — Use of technology and sexual bullying</h1>" in html
    assert re.search(r'id="id_answer_u_01_1"\s+value="present"\s+checked="checked"', html)
    assert not screening.answers.filter(answer=Answer.PRESENT).exists()


@pytest.mark.guidance("G37")
def test_every_page_of_a_draft_is_in_the_access_log_even_when_shown_again_with_errors(
    owner_client, world, catalogue
) -> None:
    screening = make_screening(child=world.child, by=world.owner)
    too_long = section_data(screening, "S")
    too_long["note_s_01"] = "x" * 20_000
    before = AccessLog.objects.count()
    owner_client.get(url("detail", screening))
    owner_client.get(section_url(screening, "s"))
    assert owner_client.post(url("edit", screening), too_long).status_code == 200
    assert owner_client.post(url("submit", screening), {"conclusion": "x"}).status_code == 200
    assert owner_client.post(new_url(world.child), {"note_s_01": "x" * 20_000}).status_code == 200
    rows = list(AccessLog.objects.order_by("id")[before:])
    assert [(r.action, r.child, r.object_type, r.object_id) for r in rows] == [
        (AccessLog.Action.VIEW, world.child, "screening", str(screening.pk)),
        (AccessLog.Action.VIEW, world.child, "screening (section S)", str(screening.pk)),
        (AccessLog.Action.VIEW, world.child, "screening (section S)", str(screening.pk)),
        (AccessLog.Action.VIEW, world.child, "screening (check answers)", str(screening.pk)),
        (AccessLog.Action.VIEW, world.child, "screening (start)", ""),
    ]


def test_the_screeners_drafts_are_listed_for_them_and_no_one_else(world, catalogue) -> None:
    mine = make_screening(child=world.child, by=world.owner)
    colleague = OfficerFactory(agency=world.school)
    make_screening(child=world.child, by=colleague)  # a colleague's draft
    make_screening(child=world.child, by=world.owner, submit=True)  # submitted
    make_screening(child=world.child, by=world.involved)  # another agency's

    response = sign_in(Client(), world.owner).get(reverse("screening:drafts"))

    assert list(response.context["screenings"]) == [mine]
    html = response.content.decode()
    assert f"37 of {catalogue.indicators.count()} indicators answered" in html
    assert url("detail", mine) in html
    row = AccessLog.objects.filter(officer=world.owner).latest("id")
    assert (row.action, row.child) == (AccessLog.Action.LIST, None)


def test_the_task_list_and_the_childs_record_lead_to_the_drafts(
    owner_client, world, catalogue
) -> None:
    screening = make_screening(child=world.child, by=world.owner)
    drafts = reverse("screening:drafts")
    assert drafts in owner_client.get(url("detail", screening)).content.decode()
    assert drafts in owner_client.get(world.child.get_absolute_url()).content.decode()
