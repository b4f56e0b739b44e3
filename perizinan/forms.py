from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from binjai_portal.core.forms import BoundedDateField
from binjai_portal.core.regions import village_list
from binjai_portal.core.uploads import SafeFileField

from .models import IKM_ELEMENTS, Application
from .schema import schema_form_fields


class ApplicationForm(forms.Form):
    """The applicant's form: who applies, the type's own fields, location and documents."""

    applicant_kind = forms.ChoiceField(
        label=_("Mengajukan sebagai"),
        choices=Application.ApplicantKind.choices,
        widget=forms.RadioSelect,
    )
    business_name = forms.CharField(
        label=_("Nama badan usaha"),
        required=False,
        max_length=160,
        help_text=_("Hanya untuk badan usaha."),
    )
    nib = forms.RegexField(
        label=_("NIB (Nomor Induk Berusaha)"),
        required=False,
        help_text=_("Hanya untuk badan usaha: 13 angka dari OSS."),
        regex=r"^[0-9]{13}$",
        error_messages={"invalid": _("NIB 13 angka.")},
    )
    npwp = forms.RegexField(
        label=_("NPWP badan usaha"),
        required=False,
        help_text=_("Hanya untuk badan usaha."),
        regex=r"^[0-9]{15,16}$",
        error_messages={"invalid": _("NPWP 15 atau 16 angka.")},
    )

    def __init__(self, *args, application: Application, **kwargs):
        self.application = application
        pt = application.permit_type
        initial = {
            "applicant_kind": application.applicant_kind,
            "business_name": application.business_name,
            "nib": application.nib,
            "npwp": application.npwp,
            "location_address": application.location_address,
            "kelurahan": application.kelurahan_id,
            **{f"f_{k}": v for k, v in (application.data or {}).items()},
        }
        super().__init__(*args, initial=initial, **kwargs)
        for name, field in schema_form_fields(pt.fields).items():
            field.required = False  # a draft may be incomplete; checked on submission
            self.fields[name] = field
        self.fields["location_address"] = forms.CharField(
            label=_("Alamat lokasi"), required=False, max_length=255
        )
        self.fields["kelurahan"] = forms.ModelChoiceField(
            label=_("Kelurahan lokasi"),
            required=False,
            queryset=village_list().order_by("name"),
        )
        have = {d.requirement_id: d for d in application.documents.all()}
        self.document_fields = []
        for req in pt.requirements.all():
            doc = have.get(req.pk)
            help_text = (
                _("Sudah diunggah: %(name)s. Unggah lagi untuk mengganti.")
                % {"name": doc.upload.original_name}
                if doc
                else ""
            )
            if doc and doc.verdict == "revise":
                help_text = _("Perlu diperbaiki: %(note)s") % {"note": doc.note}
            label = req.name + ("" if req.mandatory else str(_(" (tidak wajib)")))
            name = f"doc_{req.pk}"
            self.fields[name] = SafeFileField(
                kinds=req.kind_tuple, label=label, required=False, help_text=help_text
            )
            self.document_fields.append(name)

    BUSINESS_FIELDS = ("business_name", "nib", "npwp")

    def clean(self):
        data = super().clean()
        if data.get("applicant_kind") == Application.ApplicantKind.PERSON:
            # Hidden for a personal applicant: whatever was typed there is dropped, and a
            # malformed NIB typed before switching is not held against them.
            for name in self.BUSINESS_FIELDS:
                self.errors.pop(name, None)
                data[name] = ""
        if data.get("applicant_kind") == Application.ApplicantKind.BUSINESS:
            if not data.get("business_name"):
                self.add_error("business_name", _("Wajib diisi untuk badan usaha."))
            if not data.get("nib"):
                self.add_error("nib", _("Wajib diisi untuk badan usaha."))
        return data

    def type_data(self) -> dict:
        from .schema import to_json_value

        return {
            k[2:]: to_json_value(v)
            for k, v in self.cleaned_data.items()
            if k.startswith("f_") and v not in (None, "")
        }

    def details(self) -> dict:
        keys = ("applicant_kind", "business_name", "nib", "npwp", "location_address", "kelurahan")
        return {k: self.cleaned_data.get(k) or ("" if k != "kelurahan" else None) for k in keys}

    def documents(self) -> dict:
        return {
            int(name[4:]): self.cleaned_data[name]
            for name in self.document_fields
            if self.cleaned_data.get(name)
        }


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Catatan"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RevisionForm(forms.Form):
    note = forms.CharField(
        label=_("Catatan umum"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, documents=(), **kwargs):
        super().__init__(*args, **kwargs)
        for doc in documents:
            self.fields[f"doc_{doc.pk}"] = forms.CharField(
                label=_("Catatan untuk %(name)s") % {"name": doc.requirement.name},
                required=False,
                max_length=300,
            )

    def notes(self) -> dict[int, str]:
        return {int(k[4:]): v for k, v in self.cleaned_data.items() if k.startswith("doc_") and v}


class ScheduleForm(forms.Form):
    survey_date = BoundedDateField(
        label=_("Tanggal survei"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, surveyors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["surveyor"] = forms.ModelChoiceField(label=_("Surveyor"), queryset=surveyors)


class SurveyReportForm(forms.Form):
    findings = forms.CharField(
        label=_("Hasil survei"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    photo_1 = SafeFileField(kinds=("image",), label=_("Foto lokasi 1"), required=False)
    photo_2 = SafeFileField(kinds=("image",), label=_("Foto lokasi 2"), required=False)


class RecommendForm(forms.Form):
    recommendation = forms.CharField(
        label=_("Rekomendasi teknis"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    minutes = forms.CharField(
        label=_("Berita acara rapat teknis"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Keputusan"),
        widget=forms.RadioSelect,
        choices=[("approve", _("Setujui")), ("reject", _("Tolak"))],
    )
    reason = forms.CharField(
        label=_("Alasan (wajib bila ditolak)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SatisfactionForm(forms.Form):
    SCALE = [
        (1, _("1 — Tidak baik")),
        (2, _("2 — Kurang baik")),
        (3, _("3 — Baik")),
        (4, _("4 — Sangat baik")),
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in IKM_ELEMENTS:
            self.fields[key] = forms.TypedChoiceField(
                label=label, choices=self.SCALE, coerce=int, widget=forms.RadioSelect
            )
        self.fields["comment"] = forms.CharField(
            label=_("Saran"),
            required=False,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 3}),
        )


class TrackForm(forms.Form):
    number = forms.CharField(
        label=_("Nomor registrasi"), max_length=15, help_text=_("Contoh: IZN-2026-000123")
    )
    check = forms.RegexField(
        label=_("4 angka terakhir nomor HP pemohon"),
        regex=r"^[0-9]{4}$",
        max_length=4,
        error_messages={"invalid": _("Isi 4 angka.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class VerifyNumberForm(forms.Form):
    nomor = forms.CharField(
        label=_("Nomor izin"), max_length=40, help_text=_("Contoh: PBG/IZN-2026-000123")
    )


class VerifyFileForm(forms.Form):
    berkas = forms.FileField(
        label=_("Berkas PDF sertifikat"),
        help_text=_("Berkas dibandingkan byte demi byte dengan yang diterbitkan; tidak disimpan."),
    )
