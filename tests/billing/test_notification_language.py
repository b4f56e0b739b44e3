"""Bill notifications reach each payer in their own language (issue 14)."""

import pytest

from binjai_portal.core.billing import services
from tests.billing import factories
from tests.untranslated import read_as

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _english(user):
    user.language = "en"
    user.save(update_fields=["language"])
    return user


def test_bill_issued_in_english_for_an_english_reader_and_indonesian_otherwise(make_citizen):
    en, id_ = _english(make_citizen()), make_citizen()
    factories.bill(en, subject_id="1")
    factories.bill(id_, subject_id="2")
    title, body, mails = read_as(en)
    assert title.startswith("Levy bill Uji 1") and body.startswith("Billing code ")
    assert mails and mails[0].subject.endswith(title) and body in mails[0].body
    title, body, mails = read_as(id_)
    assert title.startswith("Tagihan retribusi Uji 2") and "Kode bayar" in body
    assert mails and "Tagihan retribusi" in mails[0].subject


def test_payment_received_in_the_readers_language(make_citizen):
    en = _english(make_citizen())
    bill = factories.bill(en, subject_id="3")
    services._notify_paid(bill)
    title, _body, mails = read_as(en, title__startswith="Pembayaran")
    assert title == "Payment received: Uji 3"
    assert "Payment received: Uji 3" in mails[0].subject
