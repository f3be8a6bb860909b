"""Screening a child: the form, drafts, the check-and-submit page and the screening page."""

from __future__ import annotations

import re
import uuid

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.urls import reverse

from cse_portal.models import AccessLog
from screening.models import Answer, Conclusion, Screening, Suggestion
from tests.screening.factories import make_screening
from tests.screening.helpers import form_data


def new_url(child) -> str:
    return reverse("screening:new", kwargs={"child_pk": child.pk})


def url(name: str, screening: Screening) -> str:
    return reverse(f"screening:{name}", kwargs={"child_pk": screening.child_id, "pk": screening.pk})


def section_url(screening: Screening, slug: str) -> str:
    return f"{url('edit', screening)}?section={slug}"


@pytest.mark.guidance("G01")
def test_every_answer_value_is_recorded_with_its_note(owner_client, world, catalogue) -> None:
    data = form_data(
        catalogue,
        answers={"S-01": Answer.PRESENT, "S-02": Answer.NOT_PRESENT, "A1-01": Answer.NOT_KNOWN},
        notes={
            "S-01": "Clinic visit in March.",
            "S-02": "Nothing seen at school.",
            "A1-01": "Attendance records not yet seen.",
        },
    )
    response = owner_client.post(new_url(world.child), data)

    screening = Screening.objects.get(child=world.child)
    assert response.status_code == 302
    assert response["Location"] == url("detail", screening)
    recorded = {a.indicator.code: (a.answer, a.note) for a in screening.answers.all()}
    assert recorded["S-01"] == ("present", "Clinic visit in March.")
    assert recorded["S-02"] == ("not_present", "Nothing seen at school.")
    assert recorded["A1-01"] == ("not_known", "Attendance records not yet seen.")
    assert len(recorded) == 37
    assert screening.status == Screening.Status.DRAFT
    assert screening.agency == world.school and screening.created_by == world.owner


@pytest.mark.guidance("G01")
def test_the_form_groups_every_indicator_under_its_safeguard_heading(
    owner_client, world, catalogue
) -> None:
    # The start page names the headings; the draft it starts has one page per heading
    # (issue 7), which together ask every indicator.
    pages = [owner_client.get(new_url(world.child)).content.decode()]
    owner_client.post(new_url(world.child), {"start": "", "creation_key": uuid.uuid4()})
    draft = Screening.objects.get(child=world.child)
    for heading in catalogue.headings.all():
        pages.append(owner_client.get(section_url(draft, heading.code.lower())).content.decode())
    html = "".join(pages)
    for heading in catalogue.headings.all():
        assert f"{heading.letter} — {heading.title}" in html
    for indicator in catalogue.indicators.all():
        assert f'name="answer_{indicator.form_key}"' in html
        assert f'name="note_{indicator.form_key}"' in html
    assert html.count('value="not_known"') == 37


def test_a_draft_keeps_its_answers_when_the_screener_comes_back(
    owner_client, world, catalogue
) -> None:
    data = form_data(
        catalogue, default="", answers={"F-03": Answer.PRESENT}, notes={"F-03": "Sofa surfing."}
    )
    owner_client.post(new_url(world.child), data)
    screening = Screening.objects.get(child=world.child)

    # The page of heading F (issue 7: one page per heading; the draft's own page is its
    # task list).
    html = owner_client.get(section_url(screening, "f")).content.decode()
    assert re.search(r'id="id_answer_f_03_1"\s+value="present"\s+checked="checked"', html)
    assert "Sofa surfing." in html
    assert f'action="{url("edit", screening)}"' in html  # the draft's page posts to edit
    form = owner_client.get(section_url(screening, "f")).context["form"]
    assert form.initial["answer_f_03"] == "present"
    assert form.initial["note_f_03"] == "Sofa surfing."


def test_save_and_continue_goes_to_the_check_page(owner_client, world, catalogue) -> None:
    response = owner_client.post(new_url(world.child), form_data(catalogue, button="continue"))
    screening = Screening.objects.get(child=world.child)
    assert response["Location"] == url("submit", screening)


@pytest.mark.guidance("G40")
def test_check_page_shows_the_tools_suggestion_beside_the_screeners_conclusion(
    owner_client, world, catalogue
) -> None:
    screening = make_screening(child=world.child, by=world.owner, present=("F-03", "F-04"))
    html = owner_client.get(url("submit", screening)).content.decode()
    assert "The tool suggests" in html
    assert "Your conclusion" in html
    assert "High risk of sexual exploitation" in html
    assert "start an investigation to determine the risk now" in html
    assert "does not replace professional judgement" in html
    assert "A lack of disclosure or evidence does not mean there is no risk" in html


@pytest.mark.guidance("G40")
def test_screening_page_shows_suggestion_and_conclusion_side_by_side(
    involved_client, world, catalogue
) -> None:
    screening = make_screening(
        child=world.child,
        by=world.owner,
        present=("E-01",),
        submit=True,
        conclusion=Conclusion.DISCUSS,
    )
    html = involved_client.get(url("detail", screening)).content.decode()
    suggests, concludes = html.index("The tool suggests"), html.index("Screener's conclusion")
    assert suggests < concludes
    assert "Potential victim of sexual exploitation" in html[suggests:concludes]
    assert "Concern: discuss with my agency&#x27;s CSE lead officer" in html[concludes:]
    assert "does not replace professional judgement" in html


@pytest.mark.guidance("G05")
def test_a_conclusion_that_differs_from_the_suggestion_needs_a_reason(
    owner_client, world, catalogue
) -> None:
    screening = make_screening(child=world.child, by=world.owner, present=("F-03", "F-04"))
    response = owner_client.post(
        url("submit", screening),
        {"conclusion": Conclusion.NO_CONCERN, "version": screening.version},
    )
    assert response.status_code == 200
    assert "Give the reason your conclusion differs from the tool" in response.content.decode()
    screening.refresh_from_db()
    assert screening.is_draft

    response = owner_client.post(
        url("submit", screening),
        {
            "conclusion": Conclusion.NO_CONCERN,
            "conclusion_reason": "Both placements ended last year; the child now lives with family.",
            "version": screening.version,
        },
    )
    assert response.status_code == 302
    screening.refresh_from_db()
    assert screening.is_submitted
    assert screening.suggestion == Suggestion.HIGH_RISK
    assert screening.conclusion == Conclusion.NO_CONCERN
    assert screening.submitted_by == world.owner


@pytest.mark.guidance("G05")
def test_a_conclusion_that_follows_the_suggestion_needs_no_reason(
    owner_client, world, catalogue
) -> None:
    screening = make_screening(child=world.child, by=world.owner)
    response = owner_client.post(
        url("submit", screening),
        {"conclusion": Conclusion.NO_CONCERN, "version": screening.version},
    )
    assert response["Location"] == url("detail", screening)
    screening.refresh_from_db()
    assert (screening.suggestion, screening.conclusion) == (Suggestion.NONE, Conclusion.NO_CONCERN)


@pytest.mark.guidance("G05")
def test_the_database_refuses_a_differing_conclusion_without_a_reason(world, catalogue) -> None:
    screening = make_screening(child=world.child, by=world.owner)
    with pytest.raises(IntegrityError), transaction.atomic():
        Screening.objects.filter(pk=screening.pk).update(
            status="submitted",
            suggestion=Suggestion.HIGH_RISK,
            conclusion=Conclusion.NO_CONCERN,
            submitted_by=world.owner,
            submitted_at=screening.created_at,
        )


def test_a_screening_with_unanswered_indicators_cannot_be_submitted(
    owner_client, world, catalogue
) -> None:
    owner_client.post(new_url(world.child), form_data(catalogue, answers={"S-01": ""}))
    screening = Screening.objects.get(child=world.child)
    page = owner_client.get(url("submit", screening)).content.decode()
    assert "1 indicator has no answer" in page
    response = owner_client.post(
        url("submit", screening),
        {"conclusion": Conclusion.NO_CONCERN, "version": screening.version},
    )
    assert response.status_code == 200
    assert "1 indicators have no answer" in response.content.decode()
    screening.refresh_from_db()
    assert screening.is_draft


@pytest.mark.guidance("G06")
@pytest.mark.urls("tests.screening.urls_with_referral_start")
def test_concluding_refer_redirects_to_the_cse1_referral_with_the_screening(
    owner_client, world, catalogue
) -> None:
    screening = make_screening(child=world.child, by=world.owner, present=("F-03", "F-04"))
    response = owner_client.post(
        url("submit", screening), {"conclusion": Conclusion.REFER, "version": screening.version}
    )
    expected = reverse("referrals:start", kwargs={"child_pk": world.child.pk})
    assert response.status_code == 302
    assert response["Location"] == f"{expected}?screening={screening.pk}"
    screening.refresh_from_db()
    assert screening.is_submitted and screening.conclusion == Conclusion.REFER


def test_a_submitted_screening_cannot_be_updated_in_the_database(world, catalogue) -> None:
    screening = make_screening(child=world.child, by=world.owner, submit=True)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE screening_screening SET conclusion = 'refer' WHERE id = %s", [screening.pk]
        )
    answer = screening.answers.first()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE screening_screeninganswer SET answer = 'present', note = 'x' WHERE id = %s",
            [answer.pk],
        )
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM screening_screeninganswer WHERE screening_id = %s", [screening.pk]
        )
    screening.refresh_from_db()
    assert screening.conclusion == Conclusion.NO_CONCERN


def test_a_submitted_screening_offers_no_edit_form(owner_client, world, catalogue) -> None:
    screening = make_screening(child=world.child, by=world.owner, submit=True)
    response = owner_client.post(
        url("edit", screening), form_data(catalogue, default=Answer.PRESENT)
    )
    assert response.status_code == 302
    assert not screening.answers.filter(answer=Answer.PRESENT).exists()


def test_a_second_save_of_the_same_draft_version_is_refused_and_kept_on_screen(
    owner_client, lead_client, world, catalogue
) -> None:
    screening = make_screening(child=world.child, by=world.owner)
    version = screening.version
    first = form_data(catalogue, answers={"S-01": Answer.PRESENT}, version=version)
    second = form_data(
        catalogue,
        answers={"S-02": Answer.PRESENT},
        notes={"S-02": "Seen by the lead."},
        version=version,
    )

    assert owner_client.post(url("edit", screening), first).status_code == 302
    response = lead_client.post(url("edit", screening), second)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else in your agency saved this screening" in html
    assert "Seen by the lead." in html  # nothing the second officer typed is lost
    present = set(
        screening.answers.filter(answer=Answer.PRESENT).values_list("indicator__code", flat=True)
    )
    assert present == {"S-01"}


def test_a_submit_based_on_a_stale_draft_is_refused(
    owner_client, lead_client, world, catalogue
) -> None:
    screening = make_screening(child=world.child, by=world.owner)
    stale = screening.version
    lead_client.post(
        url("edit", screening),
        form_data(
            catalogue, answers={"F-03": Answer.PRESENT, "F-04": Answer.PRESENT}, version=stale
        ),
    )
    response = owner_client.post(
        url("submit", screening),
        {
            "conclusion": Conclusion.NO_CONCERN,
            "conclusion_reason": "Known to us.",
            "version": stale,
        },
    )
    assert response.status_code == 200
    assert "Someone else in your agency saved this screening" in response.content.decode()
    screening.refresh_from_db()
    assert screening.is_draft


def test_a_draft_is_hidden_from_other_involved_agencies(involved_client, world, catalogue) -> None:
    draft = make_screening(child=world.child, by=world.owner)
    for name in ("detail", "edit", "submit"):
        assert involved_client.get(url(name, draft)).status_code == 404
    assert involved_client.post(url("edit", draft), form_data(catalogue)).status_code == 404
    child_page = involved_client.get(world.child.get_absolute_url()).content.decode()
    assert url("detail", draft) not in child_page


def test_a_draft_is_hidden_from_uninvolved_agencies(uninvolved_client, world, catalogue) -> None:
    draft = make_screening(child=world.child, by=world.owner)
    submitted = make_screening(child=world.child, by=world.owner, submit=True)
    for screening in (draft, submitted):
        assert uninvolved_client.get(url("detail", screening)).status_code == 404
    assert uninvolved_client.get(new_url(world.child)).status_code == 404


def test_a_screening_is_not_found_under_another_childs_address(
    owner_client, world, catalogue
) -> None:
    from tests.factories import make_child

    other = make_child(by=world.owner, first_name="Robin")
    screening = make_screening(child=world.child, by=world.owner, submit=True)
    wrong = reverse("screening:detail", kwargs={"child_pk": other.pk, "pk": screening.pk})
    assert owner_client.get(wrong).status_code == 404


def test_submitted_screenings_are_seen_by_every_involved_agency(
    involved_client, world, catalogue
) -> None:
    submitted = make_screening(child=world.child, by=world.owner, submit=True)
    assert involved_client.get(url("detail", submitted)).status_code == 200
    child_page = involved_client.get(world.child.get_absolute_url()).content.decode()
    assert url("detail", submitted) in child_page


def test_the_childs_record_lists_screenings_and_offers_to_screen(
    owner_client, world, catalogue
) -> None:
    draft = make_screening(child=world.child, by=world.owner)
    html = owner_client.get(world.child.get_absolute_url()).content.decode()
    assert "Screen this child" in html
    assert new_url(world.child) in html
    assert url("detail", draft) in html


@pytest.mark.guidance("G37")
def test_each_view_of_a_screening_is_in_the_access_log(
    owner_client, involved_client, world, catalogue
) -> None:
    draft = make_screening(child=world.child, by=world.owner)
    submitted = make_screening(child=world.child, by=world.owner, submit=True)
    before = AccessLog.objects.count()
    owner_client.get(url("detail", draft))
    owner_client.get(url("edit", draft))
    owner_client.get(url("submit", draft))
    involved_client.get(url("detail", submitted))
    rows = list(AccessLog.objects.order_by("id")[before:])
    assert [(r.officer, r.action, r.child, r.object_id) for r in rows] == [
        (world.owner, AccessLog.Action.VIEW, world.child, str(draft.pk)),
        (world.owner, AccessLog.Action.VIEW, world.child, str(draft.pk)),
        (world.owner, AccessLog.Action.VIEW, world.child, str(draft.pk)),
        (world.involved, AccessLog.Action.VIEW, world.child, str(submitted.pk)),
    ]
    assert rows[3].agency == world.police
