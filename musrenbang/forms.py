from __future__ import annotations

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from binjai_portal.accounts.models import Unit
from binjai_portal.core.forms import BoundedDateField
from binjai_portal.core.nomenclature import bidang_list
from binjai_portal.core.regions import village_list
from binjai_portal.core.uploads import clean_upload
from binjai_portal.core.widgets import FastSelect

from .models import Forum, Proposal, Status
from .selectors import proposal_filter_choices
from .services import MAX_PHOTOS


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to MAX_PHOTOS images, each checked and re-encoded by the shared upload rules."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget",
            MultipleFileInput(
                attrs={"accept": "image/jpeg,image/png,image/webp", "multiple": True}
            ),
        )
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        files = [f for f in files if f]
        if not files:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if len(files) > MAX_PHOTOS:
            raise ValidationError(_("Paling banyak %(n)s foto.") % {"n": MAX_PHOTOS})
        return [clean_upload(f, kinds=("image",)) for f in files]


class ProposalForm(forms.ModelForm):
    photos_new = PhotosField(
        label=_("Foto lokasi (boleh lebih dari satu, paling banyak 5)"),
        required=False,
        help_text=_("JPEG, PNG atau WebP. Data lokasi di dalam foto dihapus otomatis."),
    )

    class Meta:
        model = Proposal
        fields = [
            "title",
            "problem",
            "activity",
            "category",
            "suggested_agency",
            "kelurahan",
            "rt",
            "rw",
            "address",
            "latitude",
            "longitude",
            "volume",
            "volume_unit",
            "estimated_cost",
            "beneficiaries",
            "show_proposer_name",
        ]
        widgets = {
            "problem": forms.Textarea(attrs={"rows": 3}),
            "activity": forms.Textarea(attrs={"rows": 3}),
            "title": forms.TextInput(
                attrs={
                    "hx-get": "",
                    "hx-trigger": "keyup changed delay:400ms",
                    "hx-target": "#similar",
                    "hx-include": "[name=kelurahan]",
                    "autocomplete": "off",
                }
            ),
        }
        help_texts = {
            "latitude": _("Opsional. Contoh: 3.600000"),
            "longitude": _("Opsional. Contoh: 98.485000"),
            "estimated_cost": _("Dalam rupiah, tanpa titik. Contoh: 150000000"),
        }

    def __init__(self, *args, similar_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = bidang_list()
        self.fields["suggested_agency"].queryset = Unit.objects.filter(
            kind=Unit.Kind.OPD, is_active=True
        ).order_by("name")
        self.fields["kelurahan"].queryset = village_list()
        self.fields["kelurahan"].label_from_instance = lambda r: (
            f"{r.name} — {r.parent.name}" if r.parent_id else r.name
        )
        self.fields["title"].widget.attrs["hx-get"] = similar_url

    def data_for_service(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "photos_new"}


class DecisionForm(forms.Form):
    """An officer's step with a note; the step's name is posted beside it (action=...)."""

    note = forms.CharField(
        label=_("Catatan (opsional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )

    def __init__(self, *args, note_required: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if note_required:  # the service refuses an empty one and says why
            self.fields["note"].label = _("Alasan (wajib)")


class MergeForm(forms.Form):
    into = forms.CharField(label=_("Nomor usulan tujuan (mis. 2027-00042)"), max_length=12)
    note = forms.CharField(
        label=_("Alasan (wajib)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AcceptForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=_("Perangkat daerah pelaksana"), queryset=Unit.objects.filter(kind=Unit.Kind.OPD)
    )
    program = forms.CharField(label=_("Program RKPD"), max_length=200)
    note = forms.CharField(
        label=_("Catatan (opsional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class FundForm(forms.Form):
    budget_reference = forms.CharField(label=_("Referensi anggaran (DPA)"), max_length=100)


class FlagForm(forms.Form):
    reason = forms.CharField(label=_("Alasan laporan"), max_length=300)


class ModerateForm(forms.Form):
    restore = forms.TypedChoiceField(
        label=_("Keputusan"),
        coerce=lambda v: v == "1",
        choices=[("1", _("Tampilkan kembali")), ("0", _("Tetap sembunyikan"))],
    )
    note = forms.CharField(label=_("Catatan untuk pengusul"), required=False, max_length=1000)


class ForumForm(forms.ModelForm):
    class Meta:
        model = Forum
        fields = ["held_on", "place", "participant_count", "participants", "chair_name", "notes"]
        field_classes = {"held_on": BoundedDateField}
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "participants": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }


class RankForm(forms.Form):
    proposal = forms.IntegerField()
    rank = forms.IntegerField(min_value=1, max_value=10000)


class ProposalFilter(django_filters.FilterSet):
    """The public list's filter. Choices come from selectors.proposal_filter_choices()
    (cached) and render with FastSelect, the fields through rendering.filter_form_html():
    the form was 44 % of the page."""

    q = django_filters.CharFilter(label=_("Cari"), method="search")
    cycle = django_filters.ChoiceFilter(
        label=_("Tahun rencana"),
        field_name="cycle",
        empty_label=_("Semua tahun"),
        widget=FastSelect,
    )
    kecamatan = django_filters.ChoiceFilter(
        label=_("Kecamatan"),
        field_name="kelurahan__parent",
        empty_label=_("Semua kecamatan"),
        widget=FastSelect,
    )
    kelurahan = django_filters.ChoiceFilter(
        label=_("Kelurahan"),
        field_name="kelurahan",
        empty_label=_("Semua kelurahan"),
        widget=FastSelect,
    )
    category = django_filters.ChoiceFilter(
        label=_("Bidang"), field_name="category", empty_label=_("Semua bidang"), widget=FastSelect
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[c for c in Status.choices if c[0] != Status.DRAFT],
        empty_label=_("Semua status"),
        widget=FastSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.choices = proposal_filter_choices()
        for name, choices in self.choices.items():
            self.filters[name].extra["choices"] = choices

    class Meta:
        model = Proposal
        fields = ["q", "cycle", "kecamatan", "kelurahan", "category", "status"]

    def search(self, queryset, name, value):
        from django.db.models import Q

        value = value.strip()[:100]
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value) | Q(reference__iexact=value) | Q(activity__icontains=value)
        )
