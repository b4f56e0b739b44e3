"""Personas for the role × state tables of tests/<app>/test_rules.py.

A persona is named as the tables read: "anonim", "warga", "superuser", a city-wide role
("tapd") or a unit-bound role with its unit's code ("petugas_opd@dpupr"). They are
built with the same fixtures as every other test (conftest.make_citizen/make_staff).
Use it in a test module with `persona = personas.persona` (a fixture function).
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

ANON, CITIZEN, SUPERUSER = "anonim", "warga", "superuser"


@pytest.fixture
def persona(make_citizen, make_staff):
    def build(name: str):
        if name == ANON:
            return AnonymousUser()
        if name == CITIZEN:
            return make_citizen()
        if name == SUPERUSER:
            user = make_citizen()
            user.is_superuser = user.is_staff = True
            user.save(update_fields=["is_superuser", "is_staff"])
            return user
        role, _sep, unit = name.partition("@")
        return make_staff(role, unit or None)

    return build
