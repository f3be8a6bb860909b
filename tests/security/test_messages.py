"""Flash messages name children ("Ali Rahman has been added"): they are kept in the session on
the server, never in a cookie (Django's default cookie storage is signed, not encrypted: anyone
holding the browser could read the name)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from tests.core.test_child_record import _payload

pytestmark = pytest.mark.django_db


def test_flash_messages_are_stored_in_the_session():
    assert settings.MESSAGE_STORAGE == "django.contrib.messages.storage.session.SessionStorage"


def test_a_message_naming_a_child_travels_in_no_cookie(owner_client, world):
    response = owner_client.post(reverse("children:add"), _payload(world))
    assert response.status_code == 302
    assert "messages" not in response.cookies
    assert set(response.cookies) <= {settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME}

    page = owner_client.get(response.url)
    assert "Ali Rahman has been added." in page.content.decode()
    assert "messages" not in page.cookies
    # Shown once, then gone from the session.
    assert "has been added" not in owner_client.get(response.url).content.decode()
