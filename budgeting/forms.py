from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from binjai_portal.core.formatting import rupiah
from binjai_portal.core.forms import BoundedDateField
from binjai_portal.core.models import Region
from binjai_portal.core.uploads import SafeFileField

from .models import Activity, Nomenclature

FACTORS = 3
NONSTANDARD = "non-standar"
NONSTANDARD_FIELDS = ("description", "specification", "unit", "nonstandard_price", "justification")


class ActivityForm(forms.Form):
    sub_kegiatan = forms.ModelChoiceField(
        label=_("Sub kegiatan"), queryset=Nomenclature.objects.none()
    )
    output_target = forms.DecimalField(
        label=_("Target keluaran"), min_value=Decimal(0), max_digits=14, decimal_places=2
    )
    funding_source = forms.ChoiceField(label=_("Sumber dana"), choices=Activity.Funding.choices)
    kelurahan = forms.ModelChoiceField(
        label=_("Lokasi (kelurahan)"),
        required=False,
        queryset=Region.objects.none(),
        empty_label=_("Seluruh kota"),
    )

    def __init__(self, *args, sub_kegiatan_qs, kelurahan_qs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sub_kegiatan"].queryset = sub_kegiatan_qs
        self.fields["kelurahan"].queryset = kelurahan_qs


class LineForm(forms.Form):
    """A line priced from the list (pick an item) or, with a justification, outside it.

    There is no price field for a standard item: the service takes the locked price.
    """

    account = forms.ChoiceField(label=_("Kode rekening"))
    price_item = forms.ChoiceField(label=_("Item harga standar"), required=False)
    qty1 = forms.CharField(label=_("Koefisien 1"), max_length=20)
    unit1 = forms.CharField(label=_("Satuan 1"), max_length=20)
    qty2 = forms.CharField(label=_("Koefisien 2"), max_length=20, required=False)
    unit2 = forms.CharField(label=_("Satuan 2"), max_length=20, required=False)
    qty3 = forms.CharField(label=_("Koefisien 3"), max_length=20, required=False)
    unit3 = forms.CharField(label=_("Satuan 3"), max_length=20, required=False)
    description = forms.CharField(
        label=_("Uraian (item non-standar)"), max_length=255, required=False
    )
    specification = forms.CharField(
        label=_("Spesifikasi (item non-standar)"), max_length=255, required=False
    )
    unit = forms.CharField(
        label=_("Satuan harga (item non-standar)"), max_length=30, required=False
    )
    nonstandard_price = forms.CharField(
        label=_("Harga satuan (item non-standar, Rp)"), max_length=24, required=False
    )
    justification = forms.CharField(
        label=_("Justifikasi item non-standar"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, accounts, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].choices = [("", "—")] + [(a.pk, str(a)) for a in accounts]
        self.fields["price_item"].choices = (
            [("", _("— pilih item dari daftar harga —"))]
            + [
                (
                    i.pk,
                    f"{i.code} {i.name} {i.specification} — {rupiah(i.price)}/{i.unit}",
                )
                for i in items
            ]
            + [(NONSTANDARD, _("Item di luar daftar (non-standar, perlu persetujuan TAPD)"))]
        )
        # static/budgeting/line_form.js shows these only when "non-standar" is chosen
        self.fields["price_item"].widget.attrs["data-nonstandard-toggle"] = NONSTANDARD
        for name in NONSTANDARD_FIELDS:
            self.fields[name].widget.attrs["data-nonstandard"] = "1"

    def clean_price_item(self):
        value = self.cleaned_data.get("price_item") or ""
        if value == "":
            raise forms.ValidationError(
                _("Pilih item dari daftar harga, atau pilih item di luar daftar (non-standar).")
            )
        return "" if value == NONSTANDARD else value

    def factors(self) -> list[tuple[str, str]]:
        d = self.cleaned_data
        return [(d.get(f"qty{i}", ""), d.get(f"unit{i}", "")) for i in range(1, FACTORS + 1)]

    @classmethod
    def initial_for(cls, line) -> dict:
        data = {
            "account": line.account_id,
            "price_item": line.price_item_id or NONSTANDARD,
            "description": line.description if not line.price_item_id else "",
            "specification": line.specification if not line.price_item_id else "",
            "unit": line.unit if not line.price_item_id else "",
            "nonstandard_price": "" if line.price_item_id else str(line.unit_price),
            "justification": line.justification,
        }
        for i, f in enumerate(line.factors[:FACTORS], start=1):
            data[f"qty{i}"], data[f"unit{i}"] = f["qty"], f["unit"]
        return data


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Catatan"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RealisationForm(forms.Form):
    month = forms.TypedChoiceField(
        label=_("Bulan"), coerce=int, choices=[(m, m) for m in range(1, 13)]
    )
    amount = forms.CharField(label=_("Realisasi (Rp)"), max_length=24)


class FundForm(forms.Form):
    proposal = forms.ChoiceField(label=_("Usulan musrenbang yang diterima"))

    def __init__(self, *args, proposals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposal"].choices = [
            (p.pk, f"{p.reference} {p.title} ({p.kelurahan})") for p in proposals
        ]


class CompletionForm(forms.Form):
    """The agency marks its work for a funded proposal completed."""

    completed_on = BoundedDateField(
        label=_("Tanggal selesai"), widget=forms.DateInput(attrs={"type": "date"})
    )
    photo = SafeFileField(label=_("Foto hasil pekerjaan"), kinds=("image",))
    note = forms.CharField(
        label=_("Catatan penyelesaian"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ImportForm(forms.Form):
    KINDS = (
        ("accounts", _("Kode rekening (tingkat 4–6)")),
        ("nomenclature", _("Program, kegiatan, sub kegiatan")),
    )
    kind = forms.ChoiceField(label=_("Jenis data"), choices=KINDS)
    file = forms.FileField(label=_("Berkas CSV atau Excel (.xlsx)"))


class PriceImportForm(forms.Form):
    file = forms.FileField(label=_("Berkas CSV atau Excel (.xlsx)"))


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan perubahan"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


MAX_UPLOAD = 10 * 1024 * 1024
