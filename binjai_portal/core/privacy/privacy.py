"""The core's own processing (notifications, uploads) and this app's records."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from binjai_portal.core.models import Delivery, Notification

from .models import AccessLog, Consent, RightsRequest
from .registry import Basis, Processing, Section, declare, exporter, retention

ACCESS_LOG_DAYS = 5 * 365
NOTIFICATION_DAYS = 2 * 365

declare(
    Processing(
        app="core",
        key="notifications",
        label=_l("Notifikasi dan salinan e-mail/SMS"),
        data=(_l("judul dan isi pesan"), _l("alamat e-mail / nomor HP tujuan")),
        purpose=_l("Memberi tahu warga dan petugas tentang layanan yang mereka jalani."),
        basis=Basis.PUBLIC_TASK,
        recipients=_l("Penerima sendiri"),
        retention=_l("2 tahun"),
        retention_days=NOTIFICATION_DAYS,
    )
)
declare(
    Processing(
        app="core",
        key="uploads",
        label=_l("Berkas unggahan"),
        data=(_l("foto dan dokumen yang diunggah"),),
        purpose=_l("Bukti pengaduan, usulan dan persyaratan izin."),
        basis=Basis.PUBLIC_TASK,
        recipients=_l("Menurut kebijakan keperluan berkas (pemilik dan petugas yang menangani)"),
        retention=_l("Mengikuti data layanan yang memakainya"),
    )
)
declare(
    Processing(
        app="privacy",
        key="consents",
        label=_l("Catatan persetujuan"),
        data=(_l("versi pemberitahuan yang disetujui"), _l("waktu setuju/tarik")),
        purpose=_l("Membuktikan persetujuan yang sah (Pasal 22 dan 24)."),
        basis=Basis.LEGAL_OBLIGATION,
        recipients=_l("Warga sendiri; Pejabat PDP"),
        retention=_l("Selama akun ada"),
        erasable=False,
        keep_reason=_l("Bukti persetujuan wajib disimpan pengendali (Pasal 24)."),
    )
)
declare(
    Processing(
        app="privacy",
        key="access_log",
        label=_l("Log akses data pribadi"),
        data=(_l("siapa melihat data siapa, kapan, alasan"),),
        purpose=_l("Mencegah dan menelusuri akses yang tidak sah (Pasal 39)."),
        basis=Basis.LEGAL_OBLIGATION,
        recipients=_l("Warga (tentang dirinya); Pejabat PDP"),
        retention=_l("5 tahun"),
        retention_days=ACCESS_LOG_DAYS,
        erasable=False,
        keep_reason=_l("Rekam jejak pemrosesan wajib disimpan (Pasal 31)."),
    )
)
declare(
    Processing(
        app="privacy",
        key="requests",
        label=_l("Permintaan hak subjek data"),
        data=(_l("isi permintaan perbaikan/penghapusan"), _l("jawaban")),
        purpose=_l("Memenuhi hak subjek data dalam batas waktu undang-undang."),
        basis=Basis.LEGAL_OBLIGATION,
        recipients=_l("Warga sendiri; Pejabat PDP"),
        retention=_l("5 tahun"),
        erasable=False,
        keep_reason=_l("Bukti pemenuhan hak wajib disimpan."),
    )
)


@exporter("core")
def export_core(user) -> list[Section]:
    rows = tuple(
        {_("Waktu"): n.created_at.isoformat(), _("Judul"): n.title, _("Isi"): n.body}
        for n in Notification.objects.filter(recipient=user).order_by("-created_at")[:500]
    )
    return [Section("core", _("Notifikasi"), rows)]


@exporter("privacy")
def export_privacy(user) -> list[Section]:
    consents = tuple(
        {
            _("Versi"): c.notice.version,
            _("Disetujui"): c.accepted_at.isoformat(),
            _("Ditarik"): c.withdrawn_at.isoformat() if c.withdrawn_at else "",
        }
        for c in Consent.objects.filter(user=user).select_related("notice")
    )
    requests = tuple(
        {
            _("Nomor"): r.reference,
            _("Jenis"): r.get_kind_display(),
            _("Status"): r.status,
            _("Jawaban"): r.answer,
        }
        for r in RightsRequest.objects.filter(requester=user)
    )
    log = tuple(
        {
            _("Waktu"): e.created_at.isoformat(),
            _("Jenis"): e.get_kind_display(),
            _("Oleh"): e.viewer.unit.name if e.viewer and e.viewer.unit_id else _("Petugas"),
            _("Alasan"): e.reason,
        }
        for e in AccessLog.objects.filter(subject_id=user.pk).select_related("viewer__unit")
    )
    return [
        Section("privacy", _("Persetujuan"), consents),
        Section("privacy", _("Permintaan hak"), requests),
        Section("privacy", _("Siapa melihat data saya"), log),
    ]


@retention("core", "notifications")
def purge_notifications(now: datetime.datetime) -> int:
    before = now - datetime.timedelta(days=NOTIFICATION_DAYS)
    Delivery.objects.filter(notification__isnull=True, created_at__lt=before).delete()
    deleted, _rows = Notification.objects.filter(created_at__lt=before).delete()
    return deleted


@retention("privacy", "access_log")
def purge_access_log(now: datetime.datetime) -> int:
    from .services import access_log_purge

    return access_log_purge(before=now - datetime.timedelta(days=ACCESS_LOG_DAYS))
