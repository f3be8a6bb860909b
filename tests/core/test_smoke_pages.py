import pytest


@pytest.mark.parametrize("name", ["children:list", "children:add"])
def test_signed_in_pages_render(owner_client, name):
    from django.urls import reverse

    response = owner_client.get(reverse(name))
    assert response.status_code == 200


def test_child_pages_render_for_owner(owner_client, world):
    from django.urls import reverse

    for name in ["children:detail", "children:edit", "children:share"]:
        response = owner_client.get(reverse(name, kwargs={"child_pk": world.child.pk}))
        assert response.status_code == 200, name
        assert "Jamie" in response.content.decode()
