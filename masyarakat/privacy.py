"""e-Masyarakat's personal data: complaints and the identity of their reporters."""

from __future__ import annotations

import datetime

from django.db.models import F
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from binjai_portal.core import privacy
from binjai_portal.core.privacy.services import placeholder_subject

from .models import Message, Ticket

REPORTER_DAYS = 2 * 365

privacy.declare(
    privacy.Processing(
        app="masyarakat",
        key="reporters",
        label=_("Pelapor pengaduan"),
        data=(_("identitas pelapor"), _("isi pengaduan"), _("lokasi"), _("pesan")),
        purpose=_("Menangani pengaduan dan permintaan layanan sampai tuntas."),
        basis=privacy.Basis.PUBLIC_TASK,
        recipients=_(
            "Pelapor; moderator; OPD yang ditugasi (identitas pelapor rahasia hanya moderator)"
        ),
        retention=_("Identitas pelapor dianonimkan 2 tahun setelah pengaduan ditutup"),
        retention_days=REPORTER_DAYS,
        retention_source=privacy.DEMO_POLICY,
        models=("masyarakat.Ticket", "masyarakat.Message"),
        erasable=False,
        keep_reason=_("Pengaduan yang masih ditangani diperlukan untuk pelayanan publik."),
    )
)

privacy.declare(
    privacy.Processing(
        app="masyarakat",
        key="api_clients",
        label=_("Kontak pengembang aplikasi Open311"),
        data=(_("e-mail kontak pengembang"),),
        purpose=_("Menghubungi pengelola aplikasi yang memakai kunci API Open311."),
        basis=privacy.Basis.CONTRACT,
        recipients=_("Administrator portal"),
        retention=_("Selama kunci API aktif"),
        retention_source=privacy.PURPOSE_PERIOD,
        models=("masyarakat.ApiKey",),
    )
)


@privacy.exporter("masyarakat")
def export(user) -> list[privacy.Section]:
    rows = tuple(
        {
            gettext("Nomor tiket"): t.number,
            gettext("Judul"): t.title,
            gettext("Uraian"): t.description,
            gettext("Alamat/lokasi"): t.address,
            gettext("Rahasia"): gettext("ya") if t.confidential else gettext("tidak"),
            gettext("Status"): t.get_status_display(),
            gettext("Dilaporkan"): privacy.when(t.created_at),
        }
        for t in Ticket.objects.filter(reporter=user).order_by("-created_at")
    )
    messages = tuple(
        {
            gettext("Tiket"): m.ticket.number,
            gettext("Waktu"): privacy.when(m.created_at),
            gettext("Pesan"): m.body,
        }
        for m in Message.objects.filter(author=user).select_related("ticket")
    )
    return [
        privacy.Section("masyarakat", gettext("Pengaduan (e-Masyarakat)"), rows),
        privacy.Section("masyarakat", gettext("Pesan pengaduan"), messages),
    ]


@privacy.retention("masyarakat", "reporters")
def purge(now: datetime.datetime) -> int:
    """Closed complaints past the period lose their reporter's identity: the complaint
    itself stays as the agency's record, reported by nobody in particular."""
    cutoff = now - datetime.timedelta(days=REPORTER_DAYS)
    anon = placeholder_subject()
    expired = Ticket.objects.filter(status__in=Ticket.CLOSED_STATES, updated_at__lt=cutoff).exclude(
        reporter=anon
    )
    ids = list(expired.values_list("pk", flat=True))
    Message.objects.filter(ticket_id__in=ids, author_id=F("ticket__reporter_id")).update(
        author=anon
    )
    return Ticket.objects.filter(pk__in=ids).update(
        reporter=anon, show_name=False, address="", api_token=None
    )
