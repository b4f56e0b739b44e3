"""The privacy notice reads in English when its version has an English text, and in
Indonesian (the text of record) otherwise."""

import pytest
from django.urls import reverse

from binjai_portal.core.privacy import demo, services
from binjai_portal.core.privacy.models import PrivacyNotice

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _indonesian_afterwards():
    yield
    from django.utils import translation

    translation.activate("id")


def _page(client, language):
    client.cookies["django_language"] = language
    return client.get(reverse("privacy:notice"), HTTP_ACCEPT_LANGUAGE=language)


def test_the_notice_page_shows_english_when_given_and_indonesian_otherwise(client):
    PrivacyNotice.objects.all().delete()
    services.notice_publish(actor=None, title="Pemberitahuan", body="Teks Indonesia.")
    page = _page(client, "en").content.decode()
    assert "Teks Indonesia." in page  # fallback
    services.notice_publish(
        actor=None,
        title="Pemberitahuan v2",
        body="Teks Indonesia dua.",
        title_en="Notice v2",
        body_en="English text two.",
    )
    assert "English text two." in _page(client, "en").content.decode()
    page = _page(client, "id").content.decode()
    assert "Teks Indonesia dua." in page and "English text two." not in page
    notice = PrivacyNotice.objects.get(version=2)
    assert (notice.title_ind, notice.body_ind) == ("Pemberitahuan v2", "Teks Indonesia dua.")


def test_the_demo_notice_has_an_english_text():
    PrivacyNotice.objects.all().delete()
    demo.seed(lambda *_: None)
    notice = PrivacyNotice.objects.get(version=1)
    assert notice.body_en.startswith("DEMO: this text is an example")
    assert notice.body_ind.startswith("DEMO: teks ini contoh")
