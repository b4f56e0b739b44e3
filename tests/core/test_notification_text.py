"""Notifications are stored as a message key and values, and read in the reader's language."""

import pytest
from django.core import mail
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from binjai_portal.core import notifications
from binjai_portal.core.models import Delivery, Notification
from binjai_portal.core.notifications import Text, notify

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _indonesian_afterwards():
    """A request in English leaves English active in this thread: restore the default."""
    yield
    from django.utils import translation

    translation.activate("id")


def test_a_text_renders_in_the_language_asked_for_with_translated_values():
    text = Text(_("%(subject)s: %(state)s"), subject="Usulan 2027-00001", state=_("Ditolak"))
    assert text.render("id") == "Usulan 2027-00001: Ditolak"
    assert text.render("en") == "Usulan 2027-00001: Rejected"


def test_lines_join_several_texts_and_skip_empty_ones():
    body = Text.lines(Text(_("Ditolak")), None, "", Text(_("Draf")))
    assert body.render("en") == "Rejected\nDraft"


def test_a_stored_text_whose_source_no_longer_formats_falls_back_to_the_stored_text():
    assert Text.render_stored({"m": "%(gone)s", "p": {"x": 1}}, "en", fallback="lama") == "lama"


def test_notify_with_text_stores_the_key_and_the_indonesian_text(citizen):
    n = notify(recipient=citizen, title=Text(_("Ditolak")), body=Text(_("Draf")), channels=())
    n.refresh_from_db()
    assert n.title == "Ditolak" and n.body == "Draf"
    assert n.title_in("en") == "Rejected" and n.body_in("en") == "Draft"


def test_old_style_plain_strings_still_work(citizen):
    n = notify(recipient=citizen, title="Judul biasa", body="Isi biasa", channels=())
    assert (n.title_in("en"), n.body_in("en")) == ("Judul biasa", "Isi biasa")


def test_inbox_shows_each_reader_their_language(client, citizen):
    notify(recipient=citizen, title=Text(_("Ditolak")), channels=())
    client.force_login(citizen)
    assert "Ditolak" in client.get("/notifikasi/").content.decode()
    client.cookies["django_language"] = "en"
    assert "Rejected" in client.get("/notifikasi/").content.decode()


def test_email_goes_out_in_the_recipients_language_whoever_caused_it(
    citizen, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "http://portal.example:8101"
    citizen.language = "en"
    citizen.save(update_fields=["language"])
    with override("id"):  # an Indonesian officer's request
        n = notify(recipient=citizen, title=Text(_("Ditolak")), body=Text(_("Draf")), url="/x/")
    delivery = Delivery.objects.get(notification=n)
    assert notifications.delivery_send(delivery_id=delivery.pk) == "sent"
    message = mail.outbox[-1]
    assert "Rejected" in message.subject
    assert "Draft" in message.body and "http://portal.example:8101/x/" in message.body
    assert Notification.objects.get(pk=n.pk).title == "Ditolak"
