"""The screening pages' query counts do not grow with their rows (advice given, answers
recorded, screenings waiting), as for the children list (tests/core/test_query_counts.py)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from screening import services
from screening.models import Answer, Conclusion, Screening
from tests.factories import make_child
from tests.screening.factories import answers, make_screening


def _queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def _url(name: str, screening: Screening) -> str:
    return reverse(f"screening:{name}", kwargs={"child_pk": screening.child_id, "pk": screening.pk})


def _discuss(child, by) -> Screening:
    return make_screening(
        child=child, by=by, present=("F-03",), submit=True, conclusion=Conclusion.DISCUSS
    )


def test_the_screening_page_costs_the_same_queries_for_1_or_6_pieces_of_advice(
    owner_client, world, catalogue
):
    screening = _discuss(world.child, world.owner)
    services.screening_advise(screening=screening, by=world.lead, text="Advice 0")
    few = _queries_for(owner_client, _url("detail", screening))
    for i in range(1, 6):
        services.screening_advise(screening=screening, by=world.lead, text=f"Advice {i}")
    many = _queries_for(owner_client, _url("detail", screening))
    assert many == few


def test_the_check_answers_page_costs_the_same_queries_for_few_or_all_answers(
    owner_client, world, catalogue
):
    screening = services.screening_create(
        child=world.child,
        by=world.owner,
        answers={"S-01": services.AnswerInput(answer=Answer.PRESENT, note="Seen in March.")},
    )
    few = _queries_for(owner_client, _url("submit", screening))
    every = {
        code: services.AnswerInput(answer=given.answer, note=f"Note on {code}")
        for code, given in answers(Answer.NOT_KNOWN, S_01=Answer.PRESENT).items()
    }
    services.screening_save_answers(
        screening=screening, by=world.owner, answers=every, expected_version=screening.version
    )
    assert screening.answers.count() == len(every)
    many = _queries_for(owner_client, _url("submit", screening))
    assert many == few


def test_the_awaiting_advice_list_costs_the_same_queries_for_2_or_10_screenings(
    lead_client, world, catalogue
):
    url = reverse("screening:awaiting_advice")
    for i in range(2):
        _discuss(make_child(by=world.owner, first_name=f"Few{i}"), world.owner)
    few = _queries_for(lead_client, url)
    for i in range(8):
        _discuss(make_child(by=world.owner, first_name=f"Many{i}"), world.owner)
    many = _queries_for(lead_client, url)
    assert len(lead_client.get(url).context["screenings"]) == 10
    assert many == few


def test_the_task_list_and_a_headings_page_cost_the_same_queries_for_few_or_all_answers(
    owner_client, world, catalogue
):
    screening = services.screening_create(
        child=world.child,
        by=world.owner,
        answers={"G-01": services.AnswerInput(answer=Answer.PRESENT, note="Seen in March.")},
    )
    pages = [_url("detail", screening), f"{_url('edit', screening)}?section=g"]
    few = [_queries_for(owner_client, page) for page in pages]
    every = {
        code: services.AnswerInput(answer=given.answer, note=f"Note on {code}")
        for code, given in answers(Answer.NOT_KNOWN, G_01=Answer.PRESENT).items()
    }
    services.screening_save_answers(
        screening=screening, by=world.owner, answers=every, expected_version=screening.version
    )
    many = [_queries_for(owner_client, page) for page in pages]
    assert many == few


def test_the_drafts_list_costs_the_same_queries_for_2_or_8_drafts(owner_client, world, catalogue):
    url = reverse("screening:drafts")
    for i in range(2):
        make_screening(child=make_child(by=world.owner, first_name=f"Few{i}"), by=world.owner)
    few = _queries_for(owner_client, url)
    for i in range(6):
        make_screening(child=make_child(by=world.owner, first_name=f"Many{i}"), by=world.owner)
    many = _queries_for(owner_client, url)
    assert len(owner_client.get(url).context["screenings"]) == 8
    assert many == few


def test_the_childs_record_costs_the_same_queries_for_3_or_9_screenings(
    owner_client, world, catalogue
):
    """The record's screenings section in every state a card shows: a draft, a submitted
    screening awaiting advice, and one with advice given (each card names its agency)."""

    def three() -> None:
        make_screening(child=world.child, by=world.owner)
        _discuss(world.child, world.owner)
        advised = _discuss(world.child, world.owner)
        services.screening_advise(screening=advised, by=world.lead, text="Advice")

    url = world.child.get_absolute_url()
    three()
    few = _queries_for(owner_client, url)
    three()
    three()
    many = _queries_for(owner_client, url)
    page = owner_client.get(url)
    assert len(page.context["sections"][0]["screenings"]) == 9
    body = page.content.decode()
    for shown in ("Draft screening", "Awaiting advice", "Advice given", str(world.owner.agency)):
        assert shown in body
    assert many == few
