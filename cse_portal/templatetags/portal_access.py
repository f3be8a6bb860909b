"""Predicates of the one access layer (cse_portal.access) for templates, so that a page asks
the same rule as the view it links to instead of writing it again (`request.user.agency...`).

    {% load portal_access %}
    {% if request.user|can_convene %}<a href="...">Convene a separate meeting</a>{% endif %}
"""

from __future__ import annotations

from django import template
from django.contrib.auth.models import AnonymousUser

from cse_portal import access
from cse_portal.models import Officer

register = template.Library()


@register.filter
def can_convene(officer: Officer | AnonymousUser) -> bool:
    return access.can_convene(officer)
