import rules
from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import ApiToken, Facility, FacilityClosure, Poli, Practitioner, Schedule


class PoliInline(admin.TabularInline):
    model = Poli
    extra = 0
    fields = ("name", "code", "letter", "avg_service_minutes", "bookable_online", "is_active")


class PractitionerInline(admin.TabularInline):
    model = Practitioner
    extra = 0


class ClosureInline(admin.TabularInline):
    model = FacilityClosure
    extra = 0


@admin.register(Facility)
class FacilityAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "kind", "phone", "is_demo", "is_active")
    list_filter = ("kind", "is_demo", "is_active")
    search_fields = ("unit__name", "unit__code")
    autocomplete_fields = ()
    inlines = (PoliInline, PractitionerInline, ClosureInline)


class ScheduleInline(admin.TabularInline):
    model = Schedule
    extra = 0


@admin.register(Poli)
class PoliAdmin(SimpleHistoryAdmin):
    list_display = ("name", "facility", "letter", "avg_service_minutes", "is_active")
    list_filter = ("facility",)
    inlines = (ScheduleInline,)


class ApiTokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ("name", "owner", "facility")

    def clean(self):
        data = super().clean()
        owner, facility = data.get("owner"), data.get("facility")
        if owner and facility and not rules.has_perm("dokter.run_facility", owner, facility):
            raise forms.ValidationError(_("Pemilik token harus petugas fasilitas ini."))
        return data


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are issued here; the token itself is shown once, right after saving."""

    list_display = (
        "name",
        "facility",
        "owner",
        "prefix",
        "created_at",
        "last_used_at",
        "revoked_at",
    )
    list_filter = ("facility",)
    readonly_fields = ("prefix", "created_at", "last_used_at", "revoked_at")
    raw_id_fields = ("owner",)
    actions = ("revoke",)

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = ApiTokenForm
        return super().get_form(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # A token acts as its owner: issuing one for somebody else is acting as them.
        # Only a superuser may; anybody else (given the permission) issues their own.
        if db_field.name == "owner" and not request.user.is_superuser:
            kwargs["queryset"] = get_user_model().objects.filter(pk=request.user.pk)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:  # an issued token cannot be moved to another owner or facility
            return (*self.readonly_fields, "owner", "facility")
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        token, raw = services.api_token_issue(owner=obj.owner, facility=obj.facility, name=obj.name)
        obj.pk, obj.prefix, obj.digest = token.pk, token.prefix, token.digest
        obj._state.adding = False
        messages.warning(
            request,
            _("Token baru: %(token)s — salin sekarang, token ini tidak akan ditampilkan lagi.")
            % {"token": raw},
        )

    @admin.action(description=_("Cabut token terpilih"))
    def revoke(self, request, queryset):
        for token in queryset:
            services.api_token_revoke(token=token)


# ---------------------------------------------------------------- BPJS and SATUSEHAT

from django.contrib.auth.hashers import make_password  # noqa: E402

from binjai_portal.accounts.nik import mask_nik  # noqa: E402

from .models import (  # noqa: E402
    BpjsConfig,
    BpjsDoctor,
    BpjsPoli,
    JknPatient,
    SatusehatConfig,
    SatusehatId,
)


class BpjsConfigForm(forms.ModelForm):
    ws_password = forms.CharField(
        label=_("kata sandi WS baru"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_(
            "Disimpan sebagai hash; kosongkan untuk tidak mengubah. Mengubahnya mencabut "
            "token yang sudah diberikan ke Mobile JKN."
        ),
    )

    class Meta:
        model = BpjsConfig
        fields = (
            "facility",
            "acts_as",
            "ws_username",
            "cons_id",
            "secret",
            "user_key",
            "send_task_times",
            "pharmacy_poli",
            "keterangan",
        )

    def clean(self):
        data = super().clean()
        if not self.instance.pk and not data.get("ws_password"):
            self.add_error("ws_password", _("Isi kata sandi WS untuk integrasi baru."))
        acts_as, facility = data.get("acts_as"), data.get("facility")
        if acts_as and facility and not rules.has_perm("dokter.run_facility", acts_as, facility):
            self.add_error("acts_as", _("Pilih petugas fasilitas ini."))
        return data

    def save(self, commit=True):
        if self.cleaned_data.get("ws_password"):
            self.instance.ws_password_hash = make_password(self.cleaned_data["ws_password"])
        return super().save(commit)


@admin.register(BpjsConfig)
class BpjsConfigAdmin(admin.ModelAdmin):
    """A facility's BPJS credentials: the WS password only as a hash; the antreanrest
    secret is write-only in the form (never shown back)."""

    form = BpjsConfigForm
    list_display = ("facility", "ws_username", "cons_id", "send_task_times")
    raw_id_fields = ("acts_as",)
    fields = (
        "facility",
        "acts_as",
        "ws_username",
        "ws_password",
        "cons_id",
        "secret",
        "user_key",
        "send_task_times",
        "pharmacy_poli",
        "keterangan",
    )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.base_fields["secret"].widget = forms.PasswordInput(render_value=True)
        return form


@admin.register(BpjsPoli)
class BpjsPoliAdmin(admin.ModelAdmin):
    list_display = ("poli", "kodepoli")
    list_select_related = ("poli__facility__unit",)


@admin.register(BpjsDoctor)
class BpjsDoctorAdmin(admin.ModelAdmin):
    list_display = ("practitioner", "kodedokter")


@admin.register(JknPatient)
class JknPatientAdmin(admin.ModelAdmin):
    """Patients registered by Mobile JKN; NIK and card number masked, read-only."""

    list_display = ("norm", "nama", "masked_nik", "facility", "created_at")
    search_fields = ("norm", "nama")
    fields = ("facility", "norm", "nama", "masked_nik", "jeniskelamin", "tanggallahir")
    readonly_fields = fields

    @admin.display(description=_("NIK"))
    def masked_nik(self, obj):
        return mask_nik(obj.nik)

    def has_add_permission(self, request):
        return False


@admin.register(SatusehatConfig)
class SatusehatConfigAdmin(admin.ModelAdmin):
    list_display = ("facility", "organization_id", "location_id", "enabled")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.base_fields["client_secret"].widget = forms.PasswordInput(render_value=True)
        return form


@admin.register(SatusehatId)
class SatusehatIdAdmin(admin.ModelAdmin):
    list_display = ("kind", "key", "ihs_id", "updated_at")
    list_filter = ("kind",)
