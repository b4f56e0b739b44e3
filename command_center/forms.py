from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from binjai_portal.core import kpi
from binjai_portal.core.forms import BoundedDateField

MAX_DAYS = 731
FIRST_FISCAL_YEAR = 2017  # the e-government suite's launch


class FiltersForm(forms.Form):
    PERIODS = (
        ("7", _("7 hari terakhir")),
        ("30", _("30 hari terakhir")),
        ("month", _("Bulan ini")),
        ("year", _("Tahun ini")),
        ("custom", _("Tanggal pilihan")),
    )
    # The default of filters() below, shown as chosen on the page before any choice.
    periode = forms.ChoiceField(label=_("Periode"), choices=PERIODS, required=False, initial="30")
    mulai = BoundedDateField(
        label=_("Dari tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    sampai = BoundedDateField(
        label=_("Sampai tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    kecamatan = forms.ChoiceField(label=_("Kecamatan"), required=False)
    opd = forms.ChoiceField(label=_("Perangkat daerah"), required=False)
    tahun_anggaran = forms.TypedChoiceField(
        label=_("Tahun anggaran"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, kecamatan=(), agencies=(), today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kecamatan"].choices = [("", _("Semua kecamatan")), *kecamatan]
        self.fields["opd"].choices = [("", _("Semua perangkat daerah")), *agencies]
        # The budget being drawn up (next year) down to the first year of the portal.
        year = (today or timezone.localdate()).year
        self.fields["tahun_anggaran"].choices = [
            ("", _("Terbaru")),
            *((str(y), str(y)) for y in range(year + 1, FIRST_FISCAL_YEAR - 1, -1)),
        ]

    def clean(self):
        data = super().clean()
        if data.get("periode") == "custom":
            start, end = data.get("mulai"), data.get("sampai")
            if not start or not end:
                raise forms.ValidationError(_("Isi tanggal awal dan akhir periode."))
            if end < start:
                raise forms.ValidationError(_("Tanggal akhir harus sesudah tanggal awal."))
            if (end - start).days >= MAX_DAYS:
                raise forms.ValidationError(_("Periode paling panjang dua tahun."))
        return data

    def filters(self, today: datetime.date | None = None) -> kpi.Filters:
        """The filters from valid input; the default (last 30 days) otherwise."""
        today = today or timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        choice = data.get("periode") or "30"
        if choice == "custom":
            period = kpi.Period(data["mulai"], data["sampai"])
        elif choice == "month":
            period = kpi.Period(today.replace(day=1), today)
        elif choice == "year":
            period = kpi.Period(today.replace(month=1, day=1), today)
        else:
            period = kpi.Period(today - datetime.timedelta(days=int(choice) - 1), today)
        return kpi.Filters(
            period,
            data.get("kecamatan") or None,
            data.get("opd") or None,
            data.get("tahun_anggaran") or None,
        )


class AlertActionForm(forms.Form):
    """Which step was posted (name="action"): anything else is refused before it runs."""

    action = forms.ChoiceField(choices=(("acknowledge", "acknowledge"), ("close", "close")))


class AlertNoteForm(forms.Form):
    """A step's note (core/_actions.html renders one form per step)."""

    note = forms.CharField(
        label=_("Catatan"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AlertCloseForm(AlertNoteForm):
    # The workflow refuses an empty note with its own message; the field says so first.
    note = forms.CharField(
        label=_("Catatan"),
        required=False,
        max_length=2000,
        help_text=_("Wajib diisi saat menutup peringatan."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class OpenDataForm(forms.Form):
    tahun = forms.IntegerField(label=_("Tahun"), required=False, min_value=2017, max_value=2100)
    bulan = forms.TypedChoiceField(
        label=_("Bulan"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Setahun penuh")), *((str(m), name) for m, name in MONTHS.items())],
    )

    def clean_tahun(self):
        year = self.cleaned_data.get("tahun")
        if year and year > timezone.localdate().year:
            raise forms.ValidationError(_("Data tahun itu belum ada."))
        return year

    def period(self, today: datetime.date | None = None) -> kpi.Period:
        today = today or timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        year = data.get("tahun") or today.year
        month = data.get("bulan")
        if month:
            start = datetime.date(year, month, 1)
            nxt = datetime.date(year + (month == 12), month % 12 + 1, 1)
            end = nxt - datetime.timedelta(days=1)
        else:
            start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        if start > today:
            start = end = today
        return kpi.Period(start, min(end, today))
