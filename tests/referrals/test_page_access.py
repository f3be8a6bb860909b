"""Every referral page: 404 for an uninvolved officer, sign-in for an anonymous visitor."""

from __future__ import annotations

import pytest
from django.urls import reverse

from referrals.urls import urlpatterns
from tests.referrals.pages import url
from tests.referrals.route_kwargs import BUILDERS


def _referral_routes():
    return [*sorted(BUILDERS), "referrals:start"]


@pytest.mark.guidance("G36")
@pytest.mark.parametrize("name", _referral_routes())
def test_an_uninvolved_officer_gets_404_on_every_referral_url(uninvolved_client, world, name):
    extra = BUILDERS.get(name, lambda w: {})(world)
    target = reverse(name, kwargs={"child_pk": world.child.pk, **extra})
    assert uninvolved_client.get(target).status_code == 404
    assert uninvolved_client.post(target, {"anything": "x"}).status_code in {404, 405}


def test_every_referral_route_with_a_child_has_a_kwargs_builder():
    names = {f"referrals:{p.name}" for p in urlpatterns if "child_pk" in str(p.pattern)}
    assert names - {"referrals:start"} == set(BUILDERS)


def test_anonymous_visitors_are_sent_to_sign_in(anonymous_client, world, sent):
    for target in [
        url("detail", sent),
        reverse("referrals:tray"),
        reverse("referrals:sent"),
        reverse("referrals:start_unidentified"),
    ]:
        response = anonymous_client.get(target)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:sign_in"))
