import rules
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from binjai_portal.core.notifications import EMAIL, SMS, Text, notify
from binjai_portal.core.privacy.access import staff_viewed_nik_in_admin

from .models import Dependant, Unit, User
from .rules import SUPERUSER_ONLY_ROLES

# Rights that only a superuser may give (or take): whoever holds them can give anything.
SUPERUSER_ONLY_FIELDS = ("is_superuser", "is_staff", "user_permissions")


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
    list_display = [
        "full_name",
        "masked_nik_display",
        "phone",
        "email",
        "unit",
        "is_staff",
        "is_active",
        "is_demo",
    ]
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
                title=Text(_("Notifikasi uji dari admin portal")),
                body=Text(
                    _("Ini pesan uji dari %(admin)s. Tidak perlu dibalas."),
                    admin=request.user.full_name,
                ),
                url="/notifikasi/",
                channels=(EMAIL, SMS),
            )
        self.message_user(
            request, _("%(n)d notifikasi uji dikirim.") % {"n": queryset.count()}, messages.SUCCESS
        )

    fieldsets = (
        (None, {"fields": ("nik", "password")}),
        (
            _("Data diri"),
            {
                "fields": (
                    "full_name",
                    "birth_date",
                    "sex",
                    "phone",
                    "phone_verified_at",
                    "email",
                    "email_verified",
                    "address",
                    "kelurahan",
                    "rt",
                    "rw",
                    "language",
                )
            },
        ),
        (
            _("Peran dan unit"),
            {"fields": ("unit", "groups", "is_active", "is_staff", "is_superuser", "is_demo")},
        ),
        (_("Waktu"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("nik", "full_name", "birth_date", "sex", "password1", "password2"),
            },
        ),
    )

    @admin.display(description=_("NIK"))
    def masked_nik_display(self, obj):
        return obj.masked_nik

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The change form shows the full NIK to holders of the permission: logged (UU 27/2022).
        if request.method == "GET" and request.user.has_perm("accounts.view_full_nik"):
            staff_viewed_nik_in_admin(viewer=request.user, object_id=object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and not request.user.has_perm("accounts.view_full_nik"):
            fieldsets = ((None, {"fields": ("password",)}),) + tuple(fieldsets[1:])
        return fieldsets

    # An administrator manages the other roles and the units; superuser and staff status,
    # raw permissions and the administrator role itself are a superuser's to give, and a
    # superuser's or another administrator's account (password included) is a superuser's
    # to change. Without this an administrator posted is_superuser=on on their own page.

    def get_readonly_fields(self, request, obj=None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += SUPERUSER_ONLY_FIELDS
        return readonly

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = Group.objects.exclude(name__in=SUPERUSER_ONLY_ROLES)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or rules.has_perm("accounts.manage_account", request.user, obj)

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or rules.has_perm("accounts.delete_account", request.user, obj)

    def save_related(self, request, form, formsets, change):
        kept = []
        if change and not request.user.is_superuser:
            # The form cannot offer the administrator role to a non-superuser; keep the
            # membership an account already has (an administrator editing their own page).
            kept = list(form.instance.groups.filter(name__in=SUPERUSER_ONLY_ROLES))
        super().save_related(request, form, formsets, change)
        if kept:
            form.instance.groups.add(*kept)


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(DjangoGroupAdmin):
    """Roles are groups with permissions: changing one widens every member's rights, so
    only a superuser may (roles_sync creates them; administrators assign them)."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.has_module_permission(request)
