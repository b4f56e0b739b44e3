from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Closure, Delivery, Notification, Region, StatusChange, Urusan


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]


@admin.register(Closure)
class ClosureAdmin(SimpleHistoryAdmin):
    list_display = ["date", "name", "created_by"]
    date_hierarchy = "date"
    search_fields = ["name"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


DELIVERY_FIELDS = [
    "channel",
    "status",
    "skip_reason",
    "attempts",
    "sent_at",
    "last_error",
    "claimed_until",
    "idempotency_key",
]


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    can_delete = False
    readonly_fields = DELIVERY_FIELDS
    fields = readonly_fields


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """Every outgoing message, with why it was not sent (skipped: unverified, budget).

    Read-only, and never the body: it may hold a verification code or a reset link.
    """

    list_display = [
        "pk",
        "purpose",
        "channel",
        "recipient",
        "status",
        "skip_reason",
        "attempts",
        "created_at",
        "sent_at",
    ]
    list_filter = ["status", "skip_reason", "channel", "purpose"]
    list_select_related = ["recipient"]
    readonly_fields = [
        "purpose",
        "recipient",
        "notification",
        "address",
        "subject",
        "client_ip",
        "created_at",
        "next_attempt_at",
        *DELIVERY_FIELDS,
    ]
    fields = readonly_fields
    search_fields = ["idempotency_key"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "created_at", "read_at"]
    list_select_related = ["recipient"]
    readonly_fields = ["recipient", "title", "body", "url", "created_at", "read_at"]
    inlines = [DeliveryInline]

    def has_add_permission(self, request):
        return False


@admin.register(StatusChange)
class StatusChangeAdmin(admin.ModelAdmin):
    list_display = ["created_at", "workflow", "object_id", "from_state", "to_state", "actor"]
    list_filter = ["workflow"]
    list_select_related = ["actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Urusan)
class UrusanAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]


from . import outbox  # noqa: E402
from .models import OutboxMessage  # noqa: E402


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Outbound integration calls with the outside system's error; the payload (it may
    carry a NIK) is not shown. "Send again" puts failed calls back in the queue."""

    list_display = ["pk", "system", "kind", "scope", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "system", "kind"]
    search_fields = ["scope", "dedupe_key"]
    readonly_fields = [
        "system",
        "kind",
        "scope",
        "status",
        "attempts",
        "created_at",
        "sent_at",
        "next_attempt_at",
        "last_error",
        "result",
        "idempotency_key",
    ]
    fields = readonly_fields
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Kirim ulang yang gagal")
    def send_again(self, request, queryset):
        for message in queryset.filter(status=OutboxMessage.Status.FAILED):
            outbox.outbox_retry(message=message)
