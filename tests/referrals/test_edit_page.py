"""The page of a draft's details: odd or too long input kept and shown safely."""

from __future__ import annotations

from tests.referrals.pages import DETAILS_POST, text, url


def test_odd_input_is_kept_and_shown_safely_never_a_500(owner_client, world, draft):
    nasty = "<script>alert(1)</script> Zoë 🙂 \u202e مرحبا " + "x" * 9_000
    response = owner_client.post(
        url("edit", draft),
        {
            **DETAILS_POST,
            "version": draft.version,
            "basis_of_concern": nasty,
            "other_agencies": "<b>bold</b>",
        },
    )
    assert response.status_code == 302
    page = owner_client.get(url("detail", draft)).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page and "Zoë 🙂" in page


def test_text_that_is_too_long_gets_a_message_and_is_kept(owner_client, world, draft):
    too_long = "word " * 3_000
    response = owner_client.post(
        url("edit", draft),
        {
            **DETAILS_POST,
            "version": draft.version,
            "basis_of_concern": too_long,
        },
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in text(response)
    assert "Keep this answer to 10,000 characters or fewer" in text(response)
    assert "word word word" in text(response)
