"""factory_boy factories for the shared model. Children are made through the real service,
so every factory-made child has its involvement and permissions like a real one."""

from __future__ import annotations

from typing import Any

import factory
from django.contrib.auth.hashers import make_password

from cse_portal import services
from cse_portal.models import Agency, Child, Gender, LocalAuthority, Officer

TEST_PASSWORD = "correct-horse-battery-staple"
# Hashing with the real hasher is slow; hash once and reuse the hash.
_PASSWORD_HASH: dict[str, str] = {}


def _hashed(password: str) -> str:
    if password not in _PASSWORD_HASH:
        _PASSWORD_HASH[password] = make_password(password)
    return _PASSWORD_HASH[password]


class LocalAuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalAuthority
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Testshire Council {n}")
    code = factory.Sequence(lambda n: f"testshire-{n}")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Test Agency {n}")
    kind = Agency.Kind.EDUCATION
    local_authority = factory.SubFactory(LocalAuthorityFactory)


class OfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Officer
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"officer{n}")
    first_name = factory.Sequence(lambda n: f"Testfirst{n}")
    last_name = "Officer"
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.test")
    agency = factory.SubFactory(AgencyFactory)
    role = Officer.Role.PRACTITIONER
    password = factory.LazyFunction(lambda: _hashed(TEST_PASSWORD))


def make_child(*, by: Officer, **fields: Any) -> Child:
    """A child recorded by `by` through the real service (owning agency involved)."""
    data: dict[str, Any] = {
        "first_name": "Sam",
        "last_name": "Testchild",
        "gender": Gender.MALE,
        "home_authority": by.agency.local_authority if by.agency else None,
    }
    data.update(fields)
    return services.child_create(by=by, data=data)
