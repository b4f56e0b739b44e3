"""FHIR R4 read API (Schedule, Slot, Appointment), mounted at /api/fhir/."""

from django.urls import path, re_path

from . import fhir

app_name = "fhir"

urlpatterns = [
    path("Schedule", fhir.schedule_search, name="schedule-search"),
    path("Schedule/<str:pk>", fhir.schedule_read, name="schedule-read"),
    path("Slot", fhir.slot_search, name="slot-search"),
    path("Slot/<str:slot_id>", fhir.slot_read, name="slot-read"),
    path("Appointment", fhir.appointment_search, name="appointment-search"),
    path("Appointment/<str:pk>", fhir.appointment_read, name="appointment-read"),
    re_path(r"^(?P<path>.*)$", fhir.unknown, name="unknown"),
]
