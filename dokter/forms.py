from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .models import Booking


class BookingForm(forms.Form):
    patient = forms.ChoiceField(label=_("Pasien"), widget=forms.RadioSelect)
    session = forms.ChoiceField(
        label=_("Tanggal dan sesi"),
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Pilih sesi yang masih tersedia.")},
    )
    payment = forms.ChoiceField(
        label=_("Pembayaran"),
        choices=Booking.Payment.choices,
        widget=forms.RadioSelect,
        initial=Booking.Payment.BPJS,
    )
    bpjs_number = forms.RegexField(
        label=_("Nomor kartu BPJS"),
        regex=r"^[0-9]{13}$",
        required=False,
        help_text=_("13 angka, wajib bila memakai BPJS."),
        error_messages={"invalid": _("Nomor kartu BPJS terdiri dari 13 angka.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    complaint = forms.CharField(
        label=_("Keluhan"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Hanya dilihat oleh Anda dan petugas fasilitas."),
    )

    def __init__(self, *args, persons, options, **kwargs):
        super().__init__(*args, **kwargs)
        self.persons = {self._key(p): p for p in persons}
        self.fields["patient"].choices = [
            (self._key(p), p.full_name + ("" if i else str(_(" (saya sendiri)"))))
            for i, p in enumerate(persons)
        ]
        self.fields["patient"].initial = self._key(persons[0])
        self.options = {o.value: o for o in options if o.open}
        self.full = {o.value for o in options if o.reason == "full"}
        self.fields["session"].choices = [
            (
                o.value,
                _("%(date)s, pukul %(time)s — sisa %(n)s kuota")
                % {
                    "date": date_format(o.date, "l, j F Y"),
                    "time": o.schedule.label,
                    "n": o.remaining,
                },
            )
            for o in options
            if o.open
        ]

    @staticmethod
    def _key(person) -> str:
        return f"{'d' if type(person).__name__ == 'Dependant' else 'u'}{person.pk}"

    def clean(self):
        data = super().clean()
        if self.data.get(self.add_prefix("session")) in self.full:
            # Filled up since the page was shown: say so rather than "choose another".
            self.errors["session"] = self.error_class(
                [_("Kuota sesi ini sudah penuh. Silakan pilih sesi atau hari lain.")]
            )
        if (
            data.get("payment") == Booking.Payment.BPJS
            and not data.get("bpjs_number")
            and "bpjs_number" not in self.errors  # an invalid number has its own message
        ):
            self.add_error("bpjs_number", _("Isi nomor kartu BPJS untuk pembayaran BPJS."))
        if "patient" in data:
            data["patient"] = self.persons[data["patient"]]
        if "session" in data:
            data["session"] = self.options[data["session"]]
        return data


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Kode booking"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    priority = forms.ChoiceField(
        label=_("Prioritas"), choices=Booking.Priority.choices, required=False
    )
    priority_note = forms.CharField(label=_("Alasan prioritas"), max_length=200, required=False)


class OnsiteForm(forms.Form):
    patient_name = forms.CharField(label=_("Nama pasien"), max_length=150)
    payment = forms.ChoiceField(label=_("Pembayaran"), choices=Booking.Payment.choices)
    bpjs_number = forms.RegexField(
        label=_("Nomor kartu BPJS"),
        regex=r"^[0-9]{13}$",
        required=False,
        error_messages={"invalid": _("Nomor kartu BPJS terdiri dari 13 angka.")},
    )
    complaint = forms.CharField(label=_("Keluhan"), max_length=1000, required=False)
    priority = forms.ChoiceField(
        label=_("Prioritas"), choices=Booking.Priority.choices, required=False
    )
    priority_note = forms.CharField(label=_("Alasan prioritas"), max_length=200, required=False)


class TransferForm(forms.Form):
    to_poli = forms.ModelChoiceField(label=_("Rujuk ke"), queryset=None)

    def __init__(self, *args, polis, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_poli"].queryset = polis


class RatingForm(forms.Form):
    """Stars and an optional comment for a finished visit (once per entry)."""

    STARS = [
        (1, _("1 bintang: sangat kurang")),
        (2, _("2 bintang: kurang")),
        (3, _("3 bintang: cukup")),
        (4, _("4 bintang: baik")),
        (5, _("5 bintang: sangat baik")),
    ]

    stars = forms.TypedChoiceField(
        label=_("Nilai layanan"),
        choices=STARS,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Pilih jumlah bintang."),
            "invalid_choice": _("Pilih jumlah bintang."),
        },
    )
    comment = forms.CharField(
        label=_("Komentar (tidak wajib)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
