from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import RightsRequest


class _Styled(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            w = field.widget
            if isinstance(w, forms.CheckboxInput):
                w.attrs.setdefault("class", "form-check-input")
            elif isinstance(w, forms.Select):
                w.attrs.setdefault("class", "form-select")
            elif not isinstance(w, forms.HiddenInput):
                w.attrs.setdefault("class", "form-control")


class AcceptForm(forms.Form):
    agree = forms.BooleanField(
        label=_("Saya telah membaca dan menyetujui pemberitahuan privasi ini."),
        error_messages={"required": _("Centang persetujuan untuk melanjutkan.")},
    )


class RequestForm(_Styled):
    kind = forms.ChoiceField(label=_("Jenis permintaan"), choices=RightsRequest.Kind.choices)
    dependant = forms.TypedChoiceField(
        label=_("Data siapa"), coerce=int, required=False, empty_value=None
    )
    about = forms.CharField(
        label=_("Data yang dimaksud"),
        max_length=200,
        help_text=_("Misalnya: alamat di profil, nama anak, pengaduan ADU-2026-00012."),
    )
    details = forms.CharField(
        label=_("Uraian"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Untuk perbaikan, tuliskan data yang benar. Jangan tulis NIK di sini."),
    )

    def __init__(self, *args, dependants=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dependant"].widget.attrs["class"] = "form-select"
        self.fields["dependant"].choices = [("", _("Saya sendiri"))] + [
            (d.pk, d.full_name) for d in dependants
        ]


class RequestActForm(_Styled):
    action = forms.ChoiceField(
        choices=[("review", "review"), ("fulfil", "fulfil"), ("refuse", "refuse")],
        widget=forms.HiddenInput,
    )
    note = forms.CharField(
        label=_("Jawaban untuk warga"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    refusal = forms.ChoiceField(
        label=_("Alasan penolakan"), choices=RightsRequest.Refusal.choices, required=False
    )


class RevealForm(_Styled):
    reason = forms.CharField(
        label=_("Alasan membuka NIK lengkap"),
        min_length=5,
        max_length=300,
        help_text=_("Dicatat dan dapat dilihat pemilik data."),
    )


class NoticeForm(_Styled):
    title = forms.CharField(label=_("Judul"), max_length=200)
    body = forms.CharField(label=_("Isi"), widget=forms.Textarea(attrs={"rows": 10}))
    title_en = forms.CharField(label=_("Judul (bahasa Inggris)"), max_length=200, required=False)
    body_en = forms.CharField(
        label=_("Isi (bahasa Inggris)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Kosongkan bila belum ada: pembaca bahasa Inggris melihat teks Indonesia."),
    )
    summary_of_changes = forms.CharField(
        label=_("Ringkasan perubahan"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    requires_consent = forms.BooleanField(
        label=_("Minta persetujuan ulang warga"), required=False, initial=True
    )


class IncidentForm(_Styled):
    title = forms.CharField(label=_("Judul"), max_length=200)
    description = forms.CharField(
        label=_("Kronologi: kapan dan bagaimana data terungkap"), widget=forms.Textarea
    )
    data_disclosed = forms.CharField(label=_("Data pribadi yang terungkap"), max_length=2000)
    handling = forms.CharField(
        label=_("Upaya penanganan dan pemulihan"), required=False, widget=forms.Textarea
    )
    discovered_at = forms.DateTimeField(
        label=_("Diketahui pada"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    suspect_nik = forms.RegexField(
        label=_("NIK akun petugas yang disalahgunakan (bila ada)"),
        regex=r"^[0-9]{16}$",
        required=False,
        error_messages={"invalid": _("NIK terdiri dari 16 angka.")},
    )
    window_start = forms.DateTimeField(
        label=_("Awal rentang akses"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    window_end = forms.DateTimeField(
        label=_("Akhir rentang akses"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )


class IncidentNotifyForm(_Styled):
    title = forms.CharField(label=_("Judul pemberitahuan"), max_length=200)
    body = forms.CharField(label=_("Isi pemberitahuan"), widget=forms.Textarea(attrs={"rows": 8}))
