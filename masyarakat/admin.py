import secrets

from django.contrib import admin

from .models import ApiKey, Category, CategoryAttribute, Escalation, Ticket


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
    list_display = ("name", "contact_email", "is_active", "created_at")
    readonly_fields = ("key",)

    def save_model(self, request, obj, form, change):
        if not obj.key:
            obj.key = secrets.token_urlsafe(32)
        super().save_model(request, obj, form, change)


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


@admin.register(Escalation)
class EscalationAdmin(admin.ModelAdmin):
    list_display = ("ticket", "level", "sla_due", "created_at")
    list_select_related = ("ticket",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
