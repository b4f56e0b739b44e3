from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Application,
    ApplicationDocument,
    Certificate,
    DocumentRequirement,
    PermitType,
    SatisfactionSurvey,
    Signatory,
)


class DocumentRequirementInline(admin.TabularInline):
    model = DocumentRequirement
    extra = 1


@admin.register(PermitType)
class PermitTypeAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name",
        "fee_kind",
        "service_days",
        "needs_survey",
        "agency",
        "is_active",
    )
    list_filter = ("fee_kind", "needs_survey", "is_active")
    search_fields = ("code", "name")
    inlines = [DocumentRequirementInline]


class ApplicationDocumentInline(admin.TabularInline):
    model = ApplicationDocument
    extra = 0
    readonly_fields = ("requirement", "upload", "verdict", "note")
    can_delete = False


@admin.register(Application)
class ApplicationAdmin(SimpleHistoryAdmin):
    """Read-only: every change goes through the services (and the workflow)."""

    list_display = ("number", "permit_type", "status", "submitted_on", "sla_due")
    list_filter = ("status", "permit_type")
    search_fields = ("number",)
    inlines = [ApplicationDocumentInline]
    list_select_related = ("permit_type",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Certificate)
class CertificateAdmin(SimpleHistoryAdmin):
    list_display = ("number", "version", "state", "issued_on", "valid_until")
    list_filter = ("state",)
    search_fields = ("number",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SatisfactionSurvey)
class SatisfactionSurveyAdmin(admin.ModelAdmin):
    list_display = ("application", "created_at")


@admin.register(Signatory)
class SignatoryAdmin(admin.ModelAdmin):
    list_display = ("user", "position", "nip", "is_demo")
    search_fields = ("user__full_name", "position")
    autocomplete_fields = ("user",)
