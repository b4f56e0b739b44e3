from django.contrib import admin, messages
from django.utils.translation import gettext as _

from . import services
from .models import ApiKey, Category, CategoryAttribute, Ticket


class CategoryAttributeInline(admin.TabularInline):
    model = CategoryAttribute
    extra = 0


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "agency", "sla_days", "location_required", "is_active")
    list_filter = ("agency", "is_active", "location_required")
    search_fields = ("code", "name")
    inlines = [CategoryAttributeInline]


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """Keys are issued here; the key itself is shown once, right after saving."""

    list_display = ("name", "contact_email", "prefix", "is_active", "created_at")
    fields = ("name", "contact_email", "is_active", "prefix", "created_at")
    readonly_fields = ("prefix", "created_at")

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        key, raw = services.api_key_issue(name=obj.name, contact_email=obj.contact_email)
        if not obj.is_active:
            ApiKey.objects.filter(pk=key.pk).update(is_active=False)
        obj.pk, obj.prefix, obj.digest = key.pk, key.prefix, key.digest
        obj.created_at = key.created_at
        obj._state.adding = False
        messages.warning(
            request,
            _("Kunci API baru: %(key)s — salin sekarang, kunci ini tidak akan ditampilkan lagi.")
            % {"key": raw},
        )


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    """Read-only: every change goes through the workflow services."""

    list_display = ("number", "title", "category", "status", "agency", "sla_due", "created_at")
    list_filter = ("status", "category", "confidential")
    search_fields = ("number", "title")
    list_select_related = ("category", "agency")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
