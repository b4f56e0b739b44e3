from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from binjai_portal.accounts.demo import DEMO_PASSWORD, DEMO_USERS
from binjai_portal.accounts.models import Unit
from binjai_portal.accounts.roles import ROLES
from binjai_portal.core.models import Region

User = get_user_model()
pytestmark = pytest.mark.django_db
README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


def counts():
    return (Region.objects.count(), Unit.objects.count(), User.objects.count())


def test_seed_demo_is_idempotent_and_gives_every_role_a_login_listed_in_the_readme(client):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    first = counts()
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert counts() == first

    for row in DEMO_USERS:  # the logins the README promises
        user = User.objects.get(full_name=row[1], is_demo=True)
        assert user.nik in README, f"README lacks the demo login of {user.full_name}"
    for role in ROLES:
        user = User.objects.filter(groups__name=role.slug, is_demo=True).first()
        assert user is not None, role.slug
        assert user.nik in README, f"README lacks the demo login of {role.slug}"
        for identifier in (user.nik, "0" + user.phone[3:]):
            client.post(
                reverse("accounts:login"), {"username": identifier, "password": DEMO_PASSWORD}
            )
            assert client.session.get("_auth_user_id") == str(user.pk)
            client.logout()
        if role.unit_kind:
            assert user.unit.kind == role.unit_kind
    assert DEMO_PASSWORD in README
