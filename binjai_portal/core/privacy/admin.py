from django.contrib import admin

from .models import AccessLog, Consent, PrivacyNotice


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that prove lawful processing: visible, never changed or deleted here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "kind", "viewer", "record", "reason")
    list_filter = ("kind",)
    date_hierarchy = "created_at"


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    list_display = ("accepted_at", "notice", "source", "withdrawn_at")
    list_filter = ("source",)


@admin.register(PrivacyNotice)
class PrivacyNoticeAdmin(ReadOnlyAdmin):
    list_display = ("version", "title", "requires_consent", "published_at")
