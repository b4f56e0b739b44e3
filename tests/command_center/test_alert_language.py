"""Alerts are kept as message keys and read in each reader's language (issue 14)."""

import pytest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from binjai_portal.core.kpi import AlertCause
from binjai_portal.core.notifications import Text
from command_center import services
from tests.untranslated import read_as

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _indonesian_afterwards():
    yield
    from django.utils import translation

    translation.activate("id")


def _raise():
    return services.alert_raise(
        cause=AlertCause(
            key="uji:lang",
            title=Text(_("Pengaduan lewat batas waktu: %(n)s (%(c)s)"), n="ADU-1", c="Jalan"),
            body=Text(_("Silakan menuju %(poli)s."), poli="Poli Umum"),
        ),
        app="masyarakat",
        rule="uji",
    )


def test_alert_stored_in_indonesian_and_read_in_english(regions):
    alert = _raise()
    alert.refresh_from_db()
    assert alert.title == "Pengaduan lewat batas waktu: ADU-1 (Jalan)"
    assert alert.title_in("en") == "Complaints past the deadline: ADU-1 (Jalan)"
    assert alert.body_in("en") == "Please go to Poli Umum."


def test_alert_notifications_and_mail_in_each_leaders_language(make_staff, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    en = make_staff("pimpinan", full_name="Ratna Pimpinan")
    en.language = "en"
    en.save(update_fields=["language"])
    id_ = make_staff("pimpinan", full_name="Budi Pimpinan")
    _raise()
    title, body, mails = read_as(en)
    assert title == "Alert: Complaints past the deadline: ADU-1 (Jalan)"
    assert body == "Please go to Poli Umum." and title in mails[0].subject
    title, body, mails = read_as(id_)
    assert title == "Peringatan: Pengaduan lewat batas waktu: ADU-1 (Jalan)"
    assert body == "Silakan menuju Poli Umum." and title in mails[0].subject


def test_alert_list_and_page_in_english_show_english_titles(client, leader):
    alert = _raise()
    client.force_login(leader)
    page = client.get(reverse("command_center:alert-list")).content.decode()
    assert "Pengaduan lewat batas waktu: ADU-1" in page
    client.cookies["django_language"] = "en"
    page = client.get(reverse("command_center:alert-list")).content.decode()
    assert "Complaints past the deadline: ADU-1 (Jalan)" in page
    assert "Pengaduan lewat batas waktu" not in page
    page = client.get(alert.get_absolute_url()).content.decode()
    assert "Complaints past the deadline: ADU-1 (Jalan)" in page and "Please go to" in page


def test_an_older_alert_without_keys_shows_its_stored_text(regions):
    alert = services.alert_raise(
        cause=AlertCause(key="uji:old", title="Judul lama"), app="masyarakat", rule="uji"
    )
    assert alert.title_text is None and alert.title_in("en") == "Judul lama"
