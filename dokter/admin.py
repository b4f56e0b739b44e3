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
        if owner and facility and not services.is_facility_staff(owner, facility):
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
