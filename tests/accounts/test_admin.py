import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from binjai_portal.core.models import Delivery, Notification
from conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_admin_sends_a_test_notification_to_a_citizen(client, citizen, make_staff,
                                                      django_capture_on_commit_callbacks):
    admin = make_staff("administrator", full_name="Admin Uji")
    admin.is_superuser = True
    admin.save(update_fields=["is_superuser"])
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("admin:accounts_user_changelist"), {
            "action": "send_test_notification", "_selected_action": [citizen.pk]})
    assert response.status_code == 302
    notification = Notification.objects.get(recipient=citizen)
    assert "Admin Uji" in notification.body
    assert set(Delivery.objects.filter(notification=notification)
               .values_list("channel", flat=True)) == {"email", "sms"}
    assert len(callbacks) == 1  # delivery queued only once the change commits


def test_admin_user_list_masks_nik_for_staff_without_the_permission(client, citizen, make_staff):
    viewer = make_staff("pimpinan")
    viewer.user_permissions.add(*Group.objects.get(name="administrator").permissions.filter(
        codename__in=["view_user"]))
    client.force_login(viewer)
    page = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert citizen.masked_nik in page
    assert citizen.nik not in page


def test_admin_login_takes_email_but_only_for_staff(client, citizen, make_staff):
    staff = make_staff("administrator", email="admin.panjang.sekali@binjaikota.example.org")
    response = client.post(reverse("admin:login"), {
        "username": citizen.email, "password": PASSWORD, "next": "/admin/"})
    assert "bukan akun petugas" in response.content.decode()
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("admin:login"), {
        "username": staff.email, "password": PASSWORD, "next": "/admin/"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(staff.pk)
