"""e-Dokter's personal data: queue bookings (health data, Pasal 4 ayat 2 huruf a)."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from binjai_portal.core import privacy

from .models import Booking

# Portal policy pending the DPO's confirmation (demo value): the queue booking is not the
# medical record (that is kept by the facility, Permenkes 24/2022), so the portal keeps
# who queued where for two years, for complaints and the BPJS reconciliation.
BOOKING_DAYS = 2 * 365

privacy.declare(
    privacy.Processing(
        app="dokter",
        key="bookings",
        label=_("Antrean berobat"),
        data=(
            _("nama pasien"),
            _("keluhan"),
            _("nomor kartu BPJS"),
            _("prioritas (lansia, disabilitas, hamil)"),
            _("waktu hadir dan dilayani"),
        ),
        purpose=_("Mengatur antrean puskesmas tanpa antre di tempat."),
        basis=privacy.Basis.PUBLIC_TASK,
        recipients=_("Pasien/pemesan; petugas fasilitas kesehatan tempat antrean"),
        retention=_("2 tahun setelah tanggal kunjungan, lalu dianonimkan (kebijakan demo)"),
        retention_days=BOOKING_DAYS,
        specific=True,
        erasable=False,
        keep_reason=_("Catatan pelayanan kesehatan disimpan selama masa retensinya."),
    )
)


def _mine(user):
    return Booking.objects.filter(
        Q(booked_by=user) | Q(patient_user=user) | Q(patient_dependant__guardian=user)
    )


@privacy.exporter("dokter")
def export(user) -> list[privacy.Section]:
    rows = tuple(
        {
            gettext("Kode booking"): b.code,
            gettext("Fasilitas"): b.facility.name,
            gettext("Poli"): b.poli.name,
            gettext("Tanggal"): b.date.isoformat(),
            gettext("Nomor antrean"): b.queue_number,
            gettext("Nama pasien"): b.patient_name,
            gettext("Status"): b.get_status_display(),
            gettext("Pembayaran"): b.get_payment_display(),
            gettext("Nomor kartu BPJS"): b.bpjs_number,
            gettext("Keluhan"): b.complaint,
            gettext("Prioritas"): b.get_priority_display(),
        }
        for b in _mine(user).select_related("facility", "poli").distinct().order_by("-date")
    )
    return [privacy.Section("dokter", gettext("Antrean berobat (e-Dokter)"), rows)]


@privacy.retention("dokter", "bookings")
def purge(now: datetime.datetime) -> int:
    """Anonymise finished bookings past the period: the queue statistics stay."""
    cutoff = (now - datetime.timedelta(days=BOOKING_DAYS)).date()
    expired = Booking.objects.filter(date__lt=cutoff).exclude(patient_name="")
    expired = expired.exclude(status__in=Booking.ACTIVE)
    return expired.update(
        patient_name="",
        patient_user=None,
        patient_dependant=None,
        patient_key=None,
        booked_by=None,
        bpjs_number="",
        complaint="",
        priority_note="",
    )
