"""Demo privacy notice (marked demo: its text is not a legal review)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model

from .models import PrivacyNotice

DEMO_BODY = (
    "DEMO: teks ini contoh, belum ditelaah bagian hukum.\n\n"
    "Pemerintah {region} sebagai pengendali data pribadi memproses data Anda untuk "
    "menyelenggarakan layanan e-Musrenbang, e-Masyarakat, e-Dokter, e-Perizinan dan "
    "e-Budgeting (UU 27/2022 Pasal 20 ayat 2 huruf e), dan dengan persetujuan Anda untuk "
    "mengirim pemberitahuan lewat e-mail dan SMS/WhatsApp (huruf a).\n\n"
    "Daftar lengkap data, tujuan, dasar hukum, penerima dan masa simpannya ada di halaman "
    "Data saya. Anda berhak mengakses, memperbaiki, meminta penghapusan, dan menarik "
    "persetujuan; permintaan dijawab paling lambat 3 x 24 jam."
)

DEMO_BODY_EN = (
    "DEMO: this text is an example, not yet reviewed by the legal division.\n\n"
    "The Government of {region}, as the controller of personal data, processes your data "
    "to provide the e-Musrenbang, e-Masyarakat, e-Dokter, e-Perizinan and e-Budgeting "
    "services (Law 27/2022 Article 20(2)(e)), and with your consent to send notifications "
    "by e-mail and SMS/WhatsApp (point a).\n\n"
    "The full list of data, purposes, legal bases, recipients and retention periods is on "
    "the My data page. You have the right to access, correct and request erasure of your "
    "data, and to withdraw consent; requests are answered within 3 x 24 hours."
)


def seed(log) -> None:
    from .models import Consent

    if PrivacyNotice.objects.exists():
        return
    notice = PrivacyNotice.objects.create(
        version=1,
        title=f"Pemberitahuan Privasi Portal {settings.SITE_NAME}",
        body=DEMO_BODY.format(region=settings.REGION_NAME),
        title_en=f"Privacy Notice of the {settings.SITE_NAME} Portal",
        body_en=DEMO_BODY_EN.format(region=settings.REGION_NAME),
        is_demo=True,
    )
    demo_citizens = get_user_model().objects.filter(is_demo=True, is_staff=False)
    Consent.objects.bulk_create(
        [Consent(user=u, notice=notice, source=Consent.Source.REGISTRATION) for u in demo_citizens],
        ignore_conflicts=True,
    )
    log(f"privacy: notice v1 (demo), {demo_citizens.count()} demo consents")


def seed_english(log) -> None:
    """English for a demo notice seeded before it had one (a database of an older demo)."""
    done = PrivacyNotice.objects.filter(version=1, is_demo=True, body_en__isnull=True).update(
        title_en=f"Privacy Notice of the {settings.SITE_NAME} Portal",
        body_en=DEMO_BODY_EN.format(region=settings.REGION_NAME),
    )
    log(f"privacy: English text for {done} demo notice")
