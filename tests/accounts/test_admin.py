import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from binjai_portal.core.models import Delivery, Notification
from conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_admin_sends_a_test_notification_to_a_citizen(
    client, citizen, make_staff, django_capture_on_commit_callbacks
):
    admin = make_staff("administrator", full_name="Admin Uji")
    admin.is_superuser = True
    admin.save(update_fields=["is_superuser"])
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            reverse("admin:accounts_user_changelist"),
            {"action": "send_test_notification", "_selected_action": [citizen.pk]},
        )
    assert response.status_code == 302
    notification = Notification.objects.get(recipient=citizen)
    assert "Admin Uji" in notification.body
    assert set(
        Delivery.objects.filter(notification=notification).values_list("channel", flat=True)
    ) == {"email", "sms"}
    assert len(callbacks) == 1  # delivery queued only once the change commits


def test_admin_user_list_masks_nik_for_staff_without_the_permission(client, citizen, make_staff):
    viewer = make_staff("pimpinan")
    viewer.user_permissions.add(
        *Group.objects.get(name="administrator").permissions.filter(codename__in=["view_user"])
    )
    client.force_login(viewer)
    page = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert citizen.masked_nik in page
    assert citizen.nik not in page


def test_admin_login_takes_email_but_only_for_staff(client, citizen, make_staff):
    staff = make_staff("administrator", email="admin.panjang.sekali@binjaikota.example.org")
    response = client.post(
        reverse("admin:login"), {"username": citizen.email, "password": PASSWORD, "next": "/admin/"}
    )
    assert "bukan akun petugas" in response.content.decode()
    assert "_auth_user_id" not in client.session
    response = client.post(
        reverse("admin:login"), {"username": staff.email, "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(staff.pk)


# ---------------------------------------------------------------- no escalation


@pytest.fixture
def administrator(make_staff):
    return make_staff("administrator", full_name="Admin Kota")


@pytest.fixture
def root(make_citizen):
    user = make_citizen(full_name="Akar Super")
    user.is_superuser = user.is_staff = True
    user.save(update_fields=["is_superuser", "is_staff"])
    return user


def change_data(client, user, **changes):
    """What the admin's change form of `user` would post, with `changes` on top."""
    url = reverse("admin:accounts_user_change", args=[user.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {}
    for name in form.fields:
        bf = form[name]
        value = bf.value()
        widget = bf.field.widget
        if hasattr(widget, "widgets"):  # split date/time
            for i, part in enumerate(widget.decompress(value) if value else []):
                data[f"{name}_{i}"] = str(part) if part is not None else ""
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, list | tuple):  # only what the page offers
            offered = {str(pk) for pk in bf.field.queryset.values_list("pk", flat=True)}
            data[name] = [str(v) for v in value if str(v) in offered]
        elif value is not None:
            data[name] = str(value)
    for inline in page.context["inline_admin_formsets"]:
        mf = inline.formset.management_form
        for name in mf.fields:
            data[mf.add_prefix(name)] = str(mf[name].value())
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return url, data


def perm_ids(*codenames):
    from django.contrib.auth.models import Permission

    return [str(p.pk) for p in Permission.objects.filter(codename__in=codenames)]


def rights(user):
    user.refresh_from_db()
    return (
        user.is_superuser,
        user.is_staff,
        sorted(user.user_permissions.values_list("codename", flat=True)),
        sorted(user.groups.values_list("name", flat=True)),
    )


def test_an_administrator_cannot_make_themself_superuser(client, administrator):
    client.force_login(administrator)
    before = rights(administrator)
    url, data = change_data(
        client,
        administrator,
        is_superuser="on",
        user_permissions=perm_ids("add_user", "delete_user", "change_group"),
    )
    response = client.post(url, data)
    assert response.status_code == 302  # the rest of the page saves; the rights do not
    assert rights(administrator) == before
    assert not administrator.is_superuser


def test_an_administrator_cannot_grant_superuser_staff_permissions_or_the_admin_role(
    client, administrator, citizen
):
    client.force_login(administrator)
    admin_group = str(Group.objects.get(name="administrator").pk)
    before = rights(citizen)
    url, data = change_data(
        client, citizen, is_superuser="on", is_staff="on", user_permissions=perm_ids("change_user")
    )
    client.post(url, data)
    assert rights(citizen) == before
    url, data = change_data(client, citizen, groups=[admin_group])
    response = client.post(url, data)
    assert response.status_code == 200 and response.context["adminform"].form.errors
    assert rights(citizen) == before
    # The other roles are the administrator's to give.
    opd = str(Group.objects.get(name="petugas_opd").pk)
    url, data = change_data(client, citizen, groups=[opd])
    assert client.post(url, data).status_code == 302
    assert rights(citizen)[3] == ["petugas_opd"]


def test_an_administrator_keeps_their_own_role_when_saving_their_page(client, administrator):
    client.force_login(administrator)
    url, data = change_data(client, administrator, full_name="Admin Kota Baru")
    assert client.post(url, data).status_code == 302
    administrator.refresh_from_db()
    assert administrator.full_name == "Admin Kota Baru"
    assert administrator.has_role("administrator")


def test_an_administrator_cannot_touch_a_superuser_or_another_administrator(
    client, administrator, root, make_staff
):
    other = make_staff("administrator", full_name="Admin Lain")
    client.force_login(administrator)
    for victim in (root, other):
        hash_before = victim.password
        password_url = reverse("admin:auth_user_password_change", args=[victim.pk])
        assert client.get(password_url).status_code == 403
        response = client.post(
            password_url,
            {
                "password1": "Diambil-Alih-2026",
                "password2": "Diambil-Alih-2026",
                "usable_password": "true",
            },
        )
        assert response.status_code == 403
        url = reverse("admin:accounts_user_change", args=[victim.pk])
        response = client.post(url, {"full_name": "Diambil alih", "is_active": ""})
        assert response.status_code == 403
        victim.refresh_from_db()
        assert victim.password == hash_before and victim.is_active
        assert victim.full_name != "Diambil alih"


def test_groups_are_a_superusers_to_change(client, administrator):
    from django.contrib.auth.models import Permission

    # Even holding the group permissions (granted by mistake), a non-superuser cannot.
    administrator.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="auth", codename__endswith="_group")
    )
    client.force_login(administrator)
    group = Group.objects.get(name="petugas_opd")
    before = set(group.permissions.all())
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403
    response = client.post(
        reverse("admin:auth_group_change", args=[group.pk]),
        {"name": "petugas_opd", "permissions": [str(p.pk) for p in Permission.objects.all()]},
    )
    assert response.status_code == 403
    assert (
        client.post(
            reverse("admin:auth_group_add"),
            {"name": "semua", "permissions": perm_ids("change_user")},
        ).status_code
        == 403
    )
    assert set(group.permissions.all()) == before
    assert not Group.objects.filter(name="semua").exists()


def test_a_superuser_still_grants_every_right(client, root, administrator, citizen):
    client.force_login(root)
    admin_group = str(Group.objects.get(name="administrator").pk)
    url, data = change_data(client, citizen, is_superuser="on", is_staff="on", groups=[admin_group])
    assert client.post(url, data).status_code == 302
    assert rights(citizen) == (True, True, [], ["administrator"])
    response = client.post(
        reverse("admin:auth_user_password_change", args=[administrator.pk]),
        {
            "password1": "Sandi-Baru-2026!",
            "password2": "Sandi-Baru-2026!",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    administrator.refresh_from_db()
    assert administrator.check_password("Sandi-Baru-2026!")
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 200
