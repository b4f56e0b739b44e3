from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from binjai_portal.core.notifications import EMAIL, SMS, notify

from .models import Dependant, Unit, User


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "short_name", "region", "is_demo", "is_active"]
    list_filter = ["kind", "is_demo", "is_active"]
    search_fields = ["name", "short_name", "code"]
    list_select_related = ["region"]


class DependantInline(admin.TabularInline):
    model = Dependant
    extra = 0
    fields = ["full_name", "relation", "birth_date", "sex"]
    readonly_fields = fields
    can_delete = False


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["full_name"]
    list_display = ["full_name", "masked_nik_display", "phone", "email", "unit", "is_staff",
                    "is_active", "is_demo"]
    list_filter = ["is_staff", "is_active", "is_demo", "groups", "unit__kind"]
    search_fields = ["full_name", "phone", "email", "nik"]
    list_select_related = ["unit"]
    autocomplete_fields = ["kelurahan"]
    inlines = [DependantInline]
    actions = ["send_test_notification"]

    @admin.action(description=_("Kirim notifikasi uji (kotak masuk, e-mail, SMS)"))
    def send_test_notification(self, request, queryset):
        for user in queryset:
            notify(
                recipient=user,
                title=str(_("Notifikasi uji dari admin portal")),
                body=str(_("Ini pesan uji dari %(admin)s. Tidak perlu dibalas."))
                % {"admin": request.user.full_name},
                url="/notifikasi/",
                channels=(EMAIL, SMS),
            )
        self.message_user(request, _("%(n)d notifikasi uji dikirim.") % {"n": queryset.count()},
                          messages.SUCCESS)
    fieldsets = (
        (None, {"fields": ("nik", "password")}),
        (_("Data diri"), {"fields": ("full_name", "birth_date", "sex", "phone", "email",
                                     "email_verified", "address", "kelurahan", "rt", "rw",
                                     "language")}),
        (_("Peran dan unit"), {"fields": ("unit", "groups", "is_active", "is_staff",
                                          "is_superuser", "is_demo")}),
        (_("Waktu"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("nik", "full_name", "birth_date", "sex",
                                                 "password1", "password2")}),
    )

    @admin.display(description=_("NIK"))
    def masked_nik_display(self, obj):
        return obj.masked_nik

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and not request.user.has_perm("accounts.view_full_nik"):
            fieldsets = ((None, {"fields": ("password",)}),) + tuple(fieldsets[1:])
        return fieldsets
