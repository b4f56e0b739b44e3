"""The core's own processing (notifications, uploads) and this app's records."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from binjai_portal.core.models import Delivery, Notification

from .models import AccessLog, Consent, Incident, RightsRequest
from .registry import (
    DEMO_POLICY,
    Basis,
    Processing,
    Section,
    allow,
    declare,
    exporter,
    not_personal,
    retention,
    when,
)

# Demo policy periods (DEMO_POLICY) until the data protection officer decides.
ACCESS_LOG_DAYS = 5 * 365
NOTIFICATION_DAYS = 2 * 365
OUTBOX_DAYS = 90
REQUEST_DAYS = 5 * 365
INCIDENT_DAYS = 5 * 365

declare(
    Processing(
        app="core",
        key="notifications",
        label=_("Notifikasi dan salinan e-mail/SMS"),
        data=(_("judul dan isi pesan"), _("alamat e-mail / nomor HP tujuan")),
        purpose=_("Memberi tahu warga dan petugas tentang layanan yang mereka jalani."),
        basis=Basis.PUBLIC_TASK,
        recipients=_("Penerima sendiri"),
        retention=_("2 tahun"),
        retention_days=NOTIFICATION_DAYS,
        retention_source=DEMO_POLICY,
        models=("core.Notification",),
    )
)
declare(
    Processing(
        app="core",
        key="outbox",
        label=_("Antrean kirim e-mail dan SMS (outbox)"),
        data=(
            _("alamat e-mail / nomor HP tujuan"),
            _("subjek dan isi pesan"),
            _("alamat IP peminta"),
        ),
        purpose=_(
            "Mengirim pesan tepat sekali, membatasi pesan ke satu nomor, dan menelusuri "
            "kegagalan kirim."
        ),
        basis=Basis.PUBLIC_TASK,
        recipients=_("Sistem; server e-mail dan gateway SMS (prosesor)"),
        retention=_("90 hari setelah dibuat, lalu alamat, isi dan IP dihapus"),
        retention_days=OUTBOX_DAYS,
        retention_source=DEMO_POLICY,
        models=("core.Delivery",),
    )
)
declare(
    Processing(
        app="core",
        key="uploads",
        label=_("Berkas unggahan"),
        data=(_("foto dan dokumen yang diunggah"),),
        purpose=_("Bukti pengaduan, usulan dan persyaratan izin."),
        basis=Basis.PUBLIC_TASK,
        recipients=_("Menurut kebijakan keperluan berkas (pemilik dan petugas yang menangani)"),
        retention=_("Mengikuti data layanan yang memakainya"),
        retention_source=_("mengikuti kategori data layanan yang memakainya"),
        models=("core.Upload",),
    )
)
declare(
    Processing(
        app="privacy",
        key="consents",
        label=_("Catatan persetujuan"),
        data=(_("versi pemberitahuan yang disetujui"), _("waktu setuju/tarik")),
        purpose=_("Membuktikan persetujuan yang sah (Pasal 22 dan 24)."),
        basis=Basis.LEGAL_OBLIGATION,
        recipients=_("Warga sendiri; Pejabat PDP"),
        retention=_("Selama akun ada"),
        retention_source=_("UU 27/2022 Pasal 24 (pengendali wajib menunjukkan bukti persetujuan)"),
        erasable=False,
        keep_reason=_("Bukti persetujuan wajib disimpan pengendali (Pasal 24)."),
        models=("privacy.Consent",),
    )
)
declare(
    Processing(
        app="privacy",
        key="access_log",
        label=_("Log akses data pribadi"),
        data=(_("siapa melihat data siapa, kapan, alasan"),),
        purpose=_("Mencegah dan menelusuri akses yang tidak sah (Pasal 39)."),
        basis=Basis.LEGAL_OBLIGATION,
        recipients=_("Warga (tentang dirinya); Pejabat PDP"),
        retention=_("5 tahun"),
        retention_days=ACCESS_LOG_DAYS,
        retention_source=DEMO_POLICY,
        erasable=False,
        keep_reason=_("Rekam jejak pemrosesan wajib disimpan (Pasal 31)."),
        models=("privacy.AccessLog",),
    )
)
declare(
    Processing(
        app="privacy",
        key="requests",
        label=_("Permintaan hak subjek data"),
        data=(_("isi permintaan perbaikan/penghapusan"), _("jawaban")),
        purpose=_("Memenuhi hak subjek data dalam batas waktu undang-undang."),
        basis=Basis.LEGAL_OBLIGATION,
        recipients=_("Warga sendiri; Pejabat PDP"),
        retention=_("5 tahun setelah dijawab"),
        retention_days=REQUEST_DAYS,
        retention_source=DEMO_POLICY,
        erasable=False,
        keep_reason=_("Bukti pemenuhan hak wajib disimpan."),
        models=("privacy.RightsRequest",),
    )
)
declare(
    Processing(
        app="privacy",
        key="incidents",
        label=_("Register insiden kegagalan pelindungan data"),
        data=(_("subjek terdampak"), _("data yang terungkap"), _("isi pemberitahuan")),
        purpose=_("Menangani dan memberitahukan kegagalan pelindungan data (Pasal 46)."),
        basis=Basis.LEGAL_OBLIGATION,
        recipients=_("Pejabat PDP"),
        retention=_("5 tahun setelah insiden ditutup, lalu daftar subjek terdampak dihapus"),
        retention_days=INCIDENT_DAYS,
        retention_source=DEMO_POLICY,
        erasable=False,
        keep_reason=_("Bukti penanganan kegagalan pelindungan data wajib disimpan (Pasal 46)."),
        models=("privacy.Incident",),
    )
)
not_personal(model="accounts.Unit", reason="Alamat dan telepon kantor perangkat daerah")

allow(
    url_name="privacy:my-data-json",
    reason="Salinan data pribadi untuk subjeknya sendiri (Pasal 7 dan 13)",
)


@exporter("core")
def export_core(user) -> list[Section]:
    rows = tuple(
        {
            gettext("Waktu"): when(n.created_at),
            gettext("Judul"): n.title,
            gettext("Isi"): n.body,
        }
        for n in Notification.objects.filter(recipient=user).order_by("-created_at")[:500]
    )
    return [Section("core", gettext("Notifikasi"), rows)]


@exporter("privacy")
def export_privacy(user) -> list[Section]:
    consents = tuple(
        {
            gettext("Versi"): c.notice.version,
            gettext("Disetujui"): when(c.accepted_at),
            gettext("Ditarik"): when(c.withdrawn_at),
        }
        for c in Consent.objects.filter(user=user).select_related("notice")
    )
    requests = tuple(
        {
            gettext("Nomor"): r.reference,
            gettext("Jenis"): r.get_kind_display(),
            gettext("Status"): r.status,
            gettext("Jawaban"): r.answer,
        }
        for r in RightsRequest.objects.filter(requester=user)
    )
    log = tuple(
        {
            gettext("Waktu"): when(e.created_at),
            gettext("Jenis"): e.get_kind_display(),
            gettext("Oleh"): e.viewer.unit.name
            if e.viewer and e.viewer.unit_id
            else gettext("Petugas"),
            gettext("Alasan"): e.reason,
        }
        for e in AccessLog.objects.filter(subject_id=user.pk).select_related("viewer__unit")
    )
    return [
        Section("privacy", gettext("Persetujuan"), consents),
        Section("privacy", gettext("Permintaan hak"), requests),
        Section("privacy", gettext("Siapa melihat data saya"), log),
    ]


@retention("core", "notifications")
def purge_notifications(now: datetime.datetime) -> int:
    before = now - datetime.timedelta(days=NOTIFICATION_DAYS)
    Delivery.objects.filter(notification__isnull=True, created_at__lt=before).delete()
    deleted, _rows = Notification.objects.filter(created_at__lt=before).delete()
    return deleted


@retention("core", "outbox")
def purge_outbox(now: datetime.datetime) -> int:
    """Settled deliveries past the period keep their counts (status, channel, time) but
    lose the address, the text and the requester's IP."""
    before = now - datetime.timedelta(days=OUTBOX_DAYS)
    expired = Delivery.objects.filter(created_at__lt=before).exclude(status=Delivery.Status.PENDING)
    expired = expired.exclude(address="", subject="", body="", client_ip__isnull=True)
    return expired.update(address="", subject="", body="", client_ip=None)


@retention("privacy", "requests")
def purge_requests(now: datetime.datetime) -> int:
    """Answered rights requests past the period lose what they said (the reference, kind,
    status and dates stay as the proof the right was answered)."""
    before = now - datetime.timedelta(days=REQUEST_DAYS)
    expired = RightsRequest.objects.filter(answered_at__lt=before).exclude(
        about="", details="", answer=""
    )
    return expired.update(about="", details="", answer="")


@retention("privacy", "incidents")
def purge_incidents(now: datetime.datetime) -> int:
    before = now - datetime.timedelta(days=INCIDENT_DAYS)
    done = 0
    for incident in Incident.objects.filter(status="closed", created_at__lt=before):
        if incident.affected.exists():
            incident.affected.clear()
            done += 1
    return done


@retention("privacy", "access_log")
def purge_access_log(now: datetime.datetime) -> int:
    from .services import access_log_purge

    return access_log_purge(before=now - datetime.timedelta(days=ACCESS_LOG_DAYS))
