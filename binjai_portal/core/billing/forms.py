from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from binjai_portal.core.forms import BoundedDateField


class CashForm(forms.Form):
    receipt_number = forms.CharField(
        label=_("Nomor tanda bukti kasir"), max_length=60, help_text=_("Contoh: KW/2026/00123")
    )
    note = forms.CharField(
        label=_("Catatan"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class CorrectForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Jumlah yang benar (Rp)"),
        min_value=Decimal("1"),
        max_digits=14,
        decimal_places=0,
    )
    reason = forms.CharField(
        label=_("Alasan koreksi"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class DayForm(forms.Form):
    tanggal = BoundedDateField(
        label=_("Tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
