"""Helpers of the referral page tests: URLs, a page's text, its hidden keys."""

from __future__ import annotations

import re

from django.urls import reverse

from tests.referrals.conftest import COMPLETE_DETAILS

L, R = "\u2018", "\u2019"  # the curly quotes of the language prompt
DETAILS_POST = {**COMPLETE_DETAILS, "creation_key": "", "version": ""}


def url(name, referral, **extra):
    return reverse(
        f"referrals:{name}", kwargs={"child_pk": referral.child_id, "pk": referral.pk, **extra}
    )


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def hidden(response, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', response.content.decode())
    assert match, f"no hidden {name}"
    return match.group(1)
