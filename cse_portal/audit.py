"""The access log: who viewed, exported or searched children's records, and from where.

Rows are append-only: the database refuses UPDATE and DELETE on the table (a trigger).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings

from cse_portal.models import AccessLog

if TYPE_CHECKING:
    from django.http import HttpRequest

    from cse_portal.models import Child
    from cse_portal.types import AuthenticatedRequest


def client_ip(request: HttpRequest) -> str | None:
    """The client's address; behind N trusted proxies, the Nth address from the right."""
    proxies = getattr(settings, "AXES_IPWARE_PROXY_COUNT", None) or 0
    if proxies:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [p for p in forwarded if p]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None


def log_access(
    request: AuthenticatedRequest,
    action: AccessLog.Action,
    *,
    object_type: str,
    child: Child | None = None,
    object_id: object = "",
    detail: str = "",
) -> AccessLog:
    officer = request.user
    return AccessLog.objects.create(
        officer=officer,
        agency_id=officer.agency_id,
        action=action,
        child=child,
        object_type=object_type,
        object_id=str(object_id or ""),
        detail=detail[:300],
        path=request.get_full_path()[:300],
        ip_address=client_ip(request),
    )
