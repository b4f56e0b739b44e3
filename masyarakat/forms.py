from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from binjai_portal.accounts.models import Unit
from binjai_portal.core.forms import BoundedDateField
from binjai_portal.core.models import Region
from binjai_portal.core.regions import village_list
from binjai_portal.core.uploads import SafeFileField
from binjai_portal.core.widgets import FastSelect

from .models import Category, Ticket
from .services import MAX_PHOTOS


class MultiFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiPhotoField(SafeFileField):
    """Up to MAX_PHOTOS images, each cleaned by the shared upload checks."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultiFileInput(attrs={"multiple": True}))
        super().__init__(kinds=("image",), **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        files = [f for f in files if f]
        if len(files) > MAX_PHOTOS:
            raise forms.ValidationError(_("Paling banyak %(n)d foto.") % {"n": MAX_PHOTOS})
        return [super(MultiPhotoField, self).clean(f, initial) for f in files]


class TicketForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Kategori"),
        queryset=Category.objects.filter(is_active=True),
        empty_label=_("— pilih kategori —"),
        to_field_name="code",
    )
    title = forms.CharField(label=_("Judul singkat"), max_length=150)
    description = forms.CharField(
        label=_("Uraian masalah"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5})
    )
    kelurahan = forms.ModelChoiceField(
        label=_("Kelurahan"),
        queryset=Region.objects.none(),
        empty_label=_("— pilih kelurahan —"),
        to_field_name="code",
    )
    address = forms.CharField(label=_("Alamat atau patokan lokasi"), max_length=255, required=False)
    lat = forms.DecimalField(
        label=_("Lintang"),
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=Decimal(-90),
        max_value=Decimal(90),
        widget=forms.HiddenInput,
    )
    lng = forms.DecimalField(
        label=_("Bujur"),
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=Decimal(-180),
        max_value=Decimal(180),
        widget=forms.HiddenInput,
    )
    photos = MultiPhotoField(
        label=_("Foto (paling banyak 3)"),
        required=False,
        help_text=_("JPEG, PNG atau WebP. Data lokasi di foto dihapus."),
    )
    show_name = forms.BooleanField(label=_("Tampilkan nama saya di halaman publik"), required=False)
    confidential = forms.BooleanField(
        label=_("Laporan rahasia (misalnya dugaan pungli atau pelanggaran petugas)"),
        required=False,
        help_text=_(
            "Laporan rahasia tidak tampil di halaman publik; identitas Anda hanya "
            "terlihat oleh moderator."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kelurahan"].queryset = village_list()

    def clean(self):
        data = super().clean()
        if (data.get("lat") is None) != (data.get("lng") is None):
            raise forms.ValidationError(_("Titik peta tidak lengkap; pilih ulang di peta."))
        return data


class AnonymousTicketForm(TicketForm):
    """A report without an account: no name to show; confidential stays a choice."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["show_name"]
        self.fields["confidential"].help_text = _(
            "Laporan rahasia tidak tampil di halaman publik. Laporan tanpa akun tidak "
            "menyimpan identitas Anda sama sekali, rahasia atau tidak."
        )


class FollowForm(forms.Form):
    number = forms.CharField(
        label=_("Nomor tiket"), max_length=20, help_text=_("Misalnya ADU-2026-000123")
    )
    secret = forms.CharField(
        label=_("Sandi pantau"),
        max_length=60,
        help_text=_("Sandi yang Anda terima saat mengirim laporan, misalnya abcd-efgh-…"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Catatan"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RequiredNoteForm(forms.Form):
    note = forms.CharField(
        label=_("Alasan atau catatan"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AssignForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=_("OPD penanggung jawab"), queryset=Unit.objects.filter(kind="opd", is_active=True)
    )
    note = forms.CharField(
        label=_("Catatan"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MergeForm(forms.Form):
    into = forms.CharField(
        label=_("Nomor tiket tujuan"), max_length=20, help_text=_("Misalnya ADU-2026-000123")
    )
    note = forms.CharField(
        label=_("Catatan"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_into(self):
        number = self.cleaned_data["into"].strip().upper()
        ticket = Ticket.objects.filter(number=number).first()
        if ticket is None:
            raise forms.ValidationError(_("Tiket tidak ditemukan."))
        return ticket


class ResolveForm(forms.Form):
    note = forms.CharField(
        label=_("Tanggapan penyelesaian"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    photo = SafeFileField(label=_("Foto hasil (opsional)"), kinds=("image",), required=False)


class StarRating(forms.RadioSelect):
    """Five labelled stars: a radio group (fieldset and legend) whose options read
    "1 bintang: Sangat tidak puas" ... "5 bintang: Sangat puas" to a screen reader and
    show as stars; keyboard arrows move between them as in any radio group."""

    template_name = "masyarakat/widgets/stars.html"


RATING_LABELS = (
    (1, _("Sangat tidak puas")),
    (2, _("Tidak puas")),
    (3, _("Cukup")),
    (4, _("Puas")),
    (5, _("Sangat puas")),
)


class CloseForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Penilaian"),
        coerce=int,
        widget=StarRating,
        choices=[(i, label) for i, label in RATING_LABELS],
    )
    note = forms.CharField(
        label=_("Komentar (opsional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Pesan"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class FeedFilterForm(forms.Form):
    """Public feed filters; bad values are ignored field by field, never a 500."""

    q = forms.CharField(label=_("Cari judul atau nomor"), required=False, max_length=100)
    # FastSelect: Django renders each <option> through a template of its own.
    category = forms.ChoiceField(label=_("Kategori"), required=False, widget=FastSelect)
    kecamatan = forms.ChoiceField(label=_("Kecamatan"), required=False, widget=FastSelect)
    status = forms.ChoiceField(label=_("Status"), required=False, widget=FastSelect)
    start = BoundedDateField(
        label=_("Dari tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = BoundedDateField(
        label=_("Sampai tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, categories=(), kecamatan=(), **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("Semua"))]
        self.fields["category"].choices = everything + list(categories)  # (code, name)
        self.fields["kecamatan"].choices = everything + list(kecamatan)
        self.fields["status"].choices = (
            everything
            + [("open", _("Masih terbuka")), ("closed", _("Sudah selesai"))]
            + [(v, label) for v, label in Ticket.Status.choices if v not in Ticket.HIDDEN_STATES]
        )
