"""Bad input to the screening forms: a clear GOV.UK error, nothing lost, never a 500."""

from __future__ import annotations

import pytest
from django.urls import reverse

from screening.models import Answer, Conclusion, Screening
from tests.screening.factories import make_screening
from tests.screening.helpers import form_data


def new_url(child) -> str:
    return reverse("screening:new", kwargs={"child_pk": child.pk})


def test_a_very_long_note_gets_an_error_and_keeps_everything_typed(
    owner_client, world, catalogue
) -> None:
    data = form_data(
        catalogue,
        answers={"S-01": Answer.PRESENT},
        notes={"S-01": "x" * 200_000, "S-02": "Kept note."},
    )
    response = owner_client.post(new_url(world.child), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "Enter 10,000 characters or fewer" in html
    assert "Kept note." in html
    assert response.context["form"]["answer_s_01"].value() == "present"
    assert not Screening.objects.exists()


def test_an_unknown_answer_value_is_a_form_error(owner_client, world, catalogue) -> None:
    data = form_data(catalogue, answers={"S-01": "definitely"})
    response = owner_client.post(new_url(world.child), data)
    assert response.status_code == 200
    assert "Select present, not present or not known" in response.content.decode()
    assert not Screening.objects.exists()


def test_an_answer_to_an_unknown_indicator_is_a_form_error(owner_client, world, catalogue) -> None:
    data = form_data(catalogue)
    data["answer_z_99"] = Answer.PRESENT
    response = owner_client.post(new_url(world.child), data)
    assert response.status_code == 200
    assert "not in this screening" in response.content.decode()
    assert not Screening.objects.exists()


def test_html_and_odd_unicode_in_notes_are_kept_and_shown_as_text(
    owner_client, world, catalogue
) -> None:
    fullwidth = "\uff46\uff55\uff4c\uff4c"  # "full" in full-width letters
    note = f"<script>alert('x')</script> Zoë 👩🏽‍⚕️ \u202eRTL\u202c {fullwidth} 𝔪𝔞𝔱𝔥"
    owner_client.post(new_url(world.child), form_data(catalogue, notes={"E-01": note}))
    screening = Screening.objects.get()
    assert screening.answers.get(indicator__code="E-01").note == note.strip()
    # The draft's page of heading E shows the note (issue 7: one page per heading).
    edit = reverse("screening:edit", kwargs={"child_pk": world.child.pk, "pk": screening.pk})
    html = owner_client.get(f"{edit}?section=e").content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html


def test_a_null_character_is_a_form_error_not_a_500(owner_client, world, catalogue) -> None:
    response = owner_client.post(
        new_url(world.child), form_data(catalogue, notes={"E-01": "a\x00b"})
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()


def test_an_unknown_conclusion_is_a_form_error(owner_client, world, catalogue) -> None:
    screening = make_screening(child=world.child, by=world.owner)
    url = reverse("screening:submit", kwargs={"child_pk": world.child.pk, "pk": screening.pk})
    for value in ("", "approve", "<b>"):
        response = owner_client.post(url, {"conclusion": value, "version": screening.version})
        assert response.status_code == 200
        assert "Select your conclusion" in response.content.decode()
    response = owner_client.post(
        url, {"conclusion": Conclusion.NO_CONCERN, "version": "not a number"}
    )
    assert response.status_code == 200
    screening.refresh_from_db()
    assert screening.is_draft


@pytest.mark.guidance("G38")
def test_a_replaced_term_in_a_note_is_flagged_after_the_save_which_goes_ahead(
    owner_client, world, catalogue
) -> None:
    data = form_data(catalogue, notes={"G-03": "Seen with her older boyfriend near the station."})
    response = owner_client.post(new_url(world.child), data, follow=True)
    html = response.content.decode()
    assert Screening.objects.get().answers.get(indicator__code="G-03").note.startswith("Seen with")
    assert "govuk-warning-text" in html
    assert "boyfriend" in html
    assert "adult or person who is exploiting or abusing the child" in html
    assert "Involvement with older individuals" in html  # names the note it is about


def test_every_reason_a_submission_is_refused_is_shown_at_once_and_the_reasons_kept(
    owner_client, world, catalogue
) -> None:
    owner_client.post(new_url(world.child), form_data(catalogue, answers={"S-01": ""}))
    screening = Screening.objects.get(child=world.child)
    url = reverse("screening:submit", kwargs={"child_pk": world.child.pk, "pk": screening.pk})
    response = owner_client.post(
        url, {"conclusion": "", "conclusion_reason": "Kept reasons.", "version": screening.version}
    )
    html = response.content.decode()
    summary = html[html.index("govuk-error-summary") : html.index("govuk-caption-l")]
    assert "1 indicators have no answer" in summary
    assert "Select your conclusion" in summary
    assert "Kept reasons." in html
    screening.refresh_from_db()
    assert screening.is_draft and screening.version == 1
