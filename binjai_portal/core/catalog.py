"""The portal's services as shown in the header, the home page and each landing page.

Only URL names here: the shared apps never import a service app.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _

# Read when shown, not at import: the name follows the region's settings.
_command_center_name = lazy(lambda: settings.COMMAND_CENTER_NAME, str)


@dataclass(frozen=True)
class Service:
    slug: str
    url_name: str
    title: str | Promise
    short: Promise
    summary: Promise
    icon: str  # Bootstrap Icons name
    audience: Promise


SERVICES: tuple[Service, ...] = (
    Service(
        slug="musrenbang",
        url_name="musrenbang:index",
        title="e-Musrenbang",
        short=_("Usulan pembangunan"),
        summary=_(
            "Usulkan kegiatan pembangunan di kelurahan Anda dan ikuti perjalanannya "
            "dari musyawarah kelurahan sampai masuk RKPD dan anggaran kota."
        ),
        icon="signpost-split",
        audience=_("Warga, petugas kelurahan dan kecamatan, Bappeda"),
    ),
    Service(
        slug="masyarakat",
        url_name="masyarakat:index",
        title="e-Masyarakat",
        short=_("Pengaduan warga"),
        summary=_(
            "Laporkan jalan rusak, lampu jalan mati, drainase tersumbat atau pungutan liar; "
            "laporan diteruskan ke perangkat daerah yang berwenang dengan batas waktu."
        ),
        icon="megaphone",
        audience=_("Warga, perangkat daerah, moderator"),
    ),
    Service(
        slug="dokter",
        url_name="dokter:index",
        title="e-Dokter",
        short=_("Antrean puskesmas"),
        summary=_(
            "Ambil nomor antrean puskesmas atau RSUD dari ponsel untuk Anda dan keluarga, "
            "lihat berapa orang di depan Anda, dan datang saat giliran hampir tiba."
        ),
        icon="heart-pulse",
        audience=_("Warga dan keluarga, petugas fasilitas kesehatan"),
    ),
    Service(
        slug="perizinan",
        url_name="perizinan:index",
        title="e-Perizinan",
        short=_("Perizinan daring"),
        summary=_(
            "Ajukan izin dan nonizin secara daring, pantau posisi berkas Anda, dan terima "
            "sertifikat ber-QR yang dapat diverifikasi siapa saja."
        ),
        icon="file-earmark-check",
        audience=_("Warga dan pelaku usaha, DPMPTSP"),
    ),
    Service(
        slug="budgeting",
        url_name="budgeting:index",
        title="e-Budgeting",
        short=_("Perencanaan anggaran"),
        summary=_(
            "Penyusunan APBD dari standar harga yang dikunci, dalam pagu, melalui penelaahan "
            "TAPD, dengan ringkasan terbuka untuk publik."
        ),
        icon="cash-coin",
        audience=_("Perangkat daerah, TAPD, publik"),
    ),
    Service(
        slug="command_center",
        url_name="command_center:index",
        title=_command_center_name(),
        short=_("Pusat pemantauan"),
        summary=_(
            "Dasbor pimpinan atas kelima layanan: antrean, pengaduan terlambat, izin "
            "melewati standar, dan serapan anggaran."
        ),
        icon="display",
        audience=_("Pimpinan dan pejabat"),
    ),
)


def service_by_slug(slug: str) -> Service:
    return next(s for s in SERVICES if s.slug == slug)
