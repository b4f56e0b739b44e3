from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Facility, FacilityClosure, Poli, Practitioner, Schedule


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
