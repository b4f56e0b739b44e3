"""Account notifications reach each owner in their own language (issue 14)."""

import pytest
from django.urls import reverse
from django.utils.translation import override

from binjai_portal.accounts import services
from tests.untranslated import read_as

pytestmark = pytest.mark.django_db


def test_registration_attempt_in_the_owners_language(make_citizen):
    en, id_ = make_citizen(), make_citizen()
    en.language = "en"
    en.save(update_fields=["language"])
    with override("id"):  # the stranger browses in Indonesian
        services._notify_registration_attempt(
            {
                en: services._holders(nik=en.nik, phone=en.phone, email=None)[en],
                id_: services._holders(nik=id_.nik, phone="x", email=None)[id_],
            }
        )
    title, body, _mails = read_as(en)
    assert title == "Someone tried to register with your details"
    assert "NIK, mobile number" in body
    title, body, _mails = read_as(id_)
    assert title == "Ada yang mencoba mendaftar dengan data Anda"
    assert "dengan NIK yang sudah terdaftar" in body


def test_admin_test_notification_in_the_recipients_language(
    client, make_citizen, make_staff, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    en = make_citizen()
    en.language = "en"
    en.save(update_fields=["language"])
    admin = make_staff("administrator", full_name="Admin Uji")
    admin.is_superuser = True
    admin.save(update_fields=["is_superuser"])
    client.force_login(admin)
    client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "send_test_notification", "_selected_action": [en.pk]},
    )
    title, body, mails = read_as(en)
    assert title == "Test notification from the portal admin"
    assert "Admin Uji" in body and "Ini pesan" not in body
    assert mails and "Test notification from the portal admin" in mails[0].subject
