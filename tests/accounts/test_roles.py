import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from binjai_portal.accounts.roles import ROLES, roles_sync


def role_state():
    return {
        g.name: sorted(f"{p.content_type.app_label}.{p.codename}" for p in g.permissions.all())
        for g in Group.objects.prefetch_related("permissions__content_type")
    }


@pytest.mark.django_db
def test_every_role_is_a_group_with_exactly_its_permissions():
    state = role_state()
    for role in ROLES:
        assert state[role.slug] == sorted(role.permissions)


@pytest.mark.django_db
def test_sync_is_idempotent():
    before = role_state()
    roles_sync()
    assert role_state() == before


@pytest.mark.django_db(transaction=True)
def test_roles_come_back_after_a_database_flush():
    before = role_state()
    call_command("flush", "--noinput", verbosity=0)
    assert role_state() == before
