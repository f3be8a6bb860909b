"""The site's URLs, with a stand-in for `referrals:start` while the referrals app has none,
so the hand-over from a screening that concludes "refer" can be tested (G06)."""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import URLResolver, include, path

from cse_portal.urls import urlpatterns as site_patterns
from referrals import urls as referral_urls

if any(getattr(p, "name", None) == "start" for p in referral_urls.urlpatterns):
    urlpatterns = list(site_patterns)
else:

    def _start(request, child_pk):  # type: ignore[no-untyped-def]
        return HttpResponse("referral start")

    urlpatterns = [
        p for p in site_patterns if not (isinstance(p, URLResolver) and p.namespace == "referrals")
    ] + [
        path(
            "",
            include(
                (
                    [path("children/<uuid:child_pk>/referrals/new/", _start, name="start")],
                    "referrals",
                )
            ),
        )
    ]
