"""Billing's personal data: who owes or paid a levy (kode bayar, receipts)."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from binjai_portal.core import privacy

from . import workflows as wf
from .models import Bill

BILL_DAYS = 10 * 365

privacy.declare(
    privacy.Processing(
        app="billing",
        key="bills",
        label=_("Tagihan dan pembayaran retribusi"),
        data=(
            _("nama wajib retribusi"),
            _("akun pembayar"),
            _("jumlah, saluran dan waktu bayar"),
            _("nomor tanda bukti"),
        ),
        purpose=_("Menagih dan menerima retribusi daerah, dan merekonsiliasi dengan bank."),
        basis=privacy.Basis.LEGAL_OBLIGATION,
        recipients=_("Wajib retribusi; bendahara penerimaan; bank persepsi (prosesor)"),
        retention=_("10 tahun setelah diterbitkan, lalu nama wajib retribusi dihapus"),
        retention_days=BILL_DAYS,
        retention_source=privacy.DEMO_POLICY,
        specific=True,  # data keuangan pribadi (Pasal 4 ayat 2 huruf f)
        erasable=False,
        keep_reason=_("Bukti penerimaan daerah wajib disimpan sebagai arsip keuangan."),
        models=("billing.Bill", "billing.Payment"),
    )
)


@privacy.exporter("billing")
def export(user) -> list[privacy.Section]:
    rows = tuple(
        {
            gettext("Kode bayar"): b.code,
            gettext("Uraian"): b.description,
            gettext("Untuk"): b.subject_label,
            gettext("Nama wajib retribusi"): b.payer_name,
            gettext("Jumlah (Rp)"): str(b.amount),
            gettext("Status"): b.status,
            gettext("Diterbitkan"): privacy.when(b.issued_at),
            gettext("Dibayar"): privacy.when(b.paid_at),
            gettext("Nomor tanda bukti"): b.receipt_number,
        }
        for b in Bill.objects.filter(payer=user).order_by("-issued_at")
    )
    return [privacy.Section("billing", gettext("Tagihan retribusi"), rows)]


@privacy.retention("billing", "bills")
def purge(now: datetime.datetime) -> int:
    """Settled bills past the period keep their amounts (the region's revenue record)
    but no longer name the payer."""
    cutoff = now - datetime.timedelta(days=BILL_DAYS)
    expired = Bill.objects.filter(issued_at__lt=cutoff).exclude(status=wf.ISSUED)
    return expired.exclude(payer_name="").update(payer_name="")
