"""e-Dokter's personal data: queue bookings (health data, Pasal 4 ayat 2 huruf a)."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from binjai_portal.accounts.nik import mask_nik
from binjai_portal.core import privacy

from .models import Booking, JknPatient, JknVisit, SatusehatId

# Portal policy pending the DPO's confirmation (demo value): the queue booking is not the
# medical record (the facility keeps that, under Permenkes 24/2022 on rekam medis, in its
# own system), and no health regulation we know of sets a period for queue data; so the
# portal keeps who queued where for two years, for complaints and the BPJS reconciliation.
BOOKING_DAYS = 2 * 365
# A Mobile JKN patient (the facility's "pasien baru" registration through BPJS) with no
# visit for as long is removed; the same demo policy.
JKN_PATIENT_DAYS = 2 * 365
# The SATUSEHAT patient id cache (keyed by the NIK's SHA-256): a cache, looked up again
# when needed.
SATUSEHAT_ID_DAYS = 365

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
        retention_source=privacy.DEMO_POLICY,
        specific=True,
        erasable=False,
        keep_reason=_("Catatan pelayanan kesehatan disimpan selama masa retensinya."),
        models=("dokter.Booking",),
    )
)
privacy.declare(
    privacy.Processing(
        app="dokter",
        key="jkn",
        label=_("Pasien dan kunjungan Mobile JKN (BPJS Kesehatan)"),
        data=(
            _("NIK"),
            _("nomor kartu JKN"),
            _("nomor KK"),
            _("nama"),
            _("tanggal lahir"),
            _("jenis kelamin"),
            _("nomor HP"),
            _("alamat"),
            _("nomor rujukan"),
        ),
        purpose=_(
            "Mengambil antrean puskesmas dari aplikasi Mobile JKN dan melaporkan waktu "
            "layanan ke BPJS Kesehatan (WS Antrean)."
        ),
        basis=privacy.Basis.PUBLIC_TASK,
        recipients=_("Petugas fasilitas kesehatan; BPJS Kesehatan (pengirim data antrean)"),
        retention=_(
            "Kunjungan: 2 tahun setelah tanggal kunjungan; pasien: dihapus 2 tahun setelah "
            "kunjungan terakhir"
        ),
        retention_days=JKN_PATIENT_DAYS,
        retention_source=privacy.DEMO_POLICY,
        specific=True,
        erasable=False,
        keep_reason=_("Data pelayanan peserta JKN disimpan selama masa retensinya."),
        models=("dokter.JknPatient", "dokter.JknVisit"),
    )
)
privacy.declare(
    privacy.Processing(
        app="dokter",
        key="satusehat",
        label=_("ID pasien SATUSEHAT"),
        data=(_("ID SATUSEHAT pasien"), _("sidik (hash) NIK")),
        purpose=_("Mengirim data kunjungan ke SATUSEHAT Kementerian Kesehatan."),
        basis=privacy.Basis.LEGAL_OBLIGATION,
        recipients=_("Sistem saja; SATUSEHAT Kemenkes"),
        retention=_("1 tahun sejak terakhir dipakai (dicari lagi bila perlu)"),
        retention_days=SATUSEHAT_ID_DAYS,
        retention_source=privacy.DEMO_POLICY,
        specific=True,
        models=("dokter.SatusehatId",),
    )
)
privacy.not_personal(
    model="dokter.Facility", reason="Alamat dan telepon fasilitas kesehatan yang diumumkan"
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
    niks = [user.nik, *user.dependants.values_list("nik", flat=True)]
    patients = JknPatient.objects.filter(nik__in=niks).select_related("facility")
    jkn = tuple(
        {
            gettext("Fasilitas"): p.facility.name,
            gettext("Nomor rekam medis"): p.norm,
            gettext("NIK"): mask_nik(p.nik),
            gettext("Nomor kartu JKN"): p.nomorkartu,
            gettext("Nama"): p.nama,
            gettext("Tanggal lahir"): p.tanggallahir.isoformat() if p.tanggallahir else "",
            gettext("Nomor HP"): p.nohp,
            gettext("Alamat"): p.alamat,
        }
        for p in patients
    )
    visits = tuple(
        {
            gettext("Kode booking"): v.booking.code,
            gettext("Fasilitas"): v.booking.facility.name,
            gettext("Poli"): v.booking.poli.name,
            gettext("Tanggal"): v.booking.date.isoformat(),
            gettext("Nomor antrean"): v.booking.queue_number,
            gettext("Nama pasien"): v.booking.patient_name,
            gettext("Status"): v.booking.get_status_display(),
            gettext("Nomor rujukan"): v.nomorreferensi,
            gettext("Nomor HP"): v.nohp,
        }
        for v in JknVisit.objects.filter(patient__in=patients)
        .select_related("booking__facility", "booking__poli")
        .order_by("-booking__date")
    )
    return [
        privacy.Section("dokter", gettext("Antrean berobat (e-Dokter)"), rows),
        privacy.Section("dokter", gettext("Peserta Mobile JKN"), jkn),
        privacy.Section("dokter", gettext("Antrean dari Mobile JKN"), visits),
    ]


@privacy.retention("dokter", "bookings")
def purge(now: datetime.datetime) -> int:
    """Anonymise finished bookings past the period: the queue statistics stay."""
    cutoff = (now - datetime.timedelta(days=BOOKING_DAYS)).date()
    expired = Booking.objects.filter(date__lt=cutoff).exclude(patient_name="")
    expired = expired.exclude(status__in=Booking.ACTIVE)
    JknVisit.objects.filter(booking__in=expired).update(patient=None, nohp="", nomorreferensi="")
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


@privacy.retention("dokter", "jkn")
def purge_jkn(now: datetime.datetime) -> int:
    """Mobile JKN patients with no visit left in the period (their visits were anonymised
    with the bookings) and registered before it are deleted."""
    cutoff = now - datetime.timedelta(days=JKN_PATIENT_DAYS)
    visits = JknVisit.objects.filter(patient__isnull=True, booking__date__lt=cutoff.date())
    cleaned = visits.exclude(nohp="", nomorreferensi="").update(nohp="", nomorreferensi="")
    stale = JknPatient.objects.filter(created_at__lt=cutoff, visits__isnull=True)
    deleted, _rows = stale.delete()
    return cleaned + deleted


@privacy.retention("dokter", "satusehat")
def purge_satusehat(now: datetime.datetime) -> int:
    cutoff = now - datetime.timedelta(days=SATUSEHAT_ID_DAYS)
    deleted, _rows = SatusehatId.objects.filter(
        kind=SatusehatId.Kind.PATIENT, updated_at__lt=cutoff
    ).delete()
    return deleted
