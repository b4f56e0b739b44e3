"""Queue API, field names as in the BPJS online-queue ("antrean online") interface."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from rest_framework import serializers
from rest_framework.decorators import (
    api_view,
    authentication_classes,
    permission_classes,
    throttle_classes,
)
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from binjai_portal.core.inputs import parse_date, validate_year
from binjai_portal.core.ratelimits import RateThrottle, token_key

from . import selectors, services
from .auth import ApiTokenAuthentication, bearer_token
from .models import Booking, Poli


class _Throttle(RateThrottle):
    """Errors in this API's own format: {"metadata": {"code", "message"}}."""

    def error_detail(self, status: int, message: str):
        return {"metadata": {"code": status, "message": message}}


class AddressThrottle(_Throttle):
    """Every request, per client address."""

    scope = "dokter_api_address"


class TokenThrottle(_Throttle):
    """Requests with a bearer token, per token (a leaked token used from many places)."""

    scope = "dokter_api_token"
    key = staticmethod(token_key)

    def allow_request(self, request, view) -> bool:
        if bearer_token(request) is None:
            return True
        return super().allow_request(request, view)


THROTTLES = [AddressThrottle, TokenThrottle]


def _queue_fields(poli, date) -> dict:
    status = selectors.queue_status(poli=poli, date=date)
    return {
        "namapoli": poli.name,
        "kodepoli": poli.code,
        "tanggalperiksa": date.isoformat(),
        "totalantrean": status.total,
        "sisaantrean": status.remaining,
        "antreanpanggil": status.called,
        "antreandilayani": status.served,
        "sisakuota": status.remaining_quota,
    }


@api_view(["GET"])
@throttle_classes(THROTTLES)
@permission_classes([AllowAny])
def queue_status_view(request, facility_code: str, poli_code: str, date: str):
    """Public queue status of one poli on one day (numbers only, no personal data)."""
    day = parse_date(date)
    if day is None:
        return Response(
            {"metadata": {"code": 400, "message": "Tanggal tidak valid (YYYY-MM-DD)."}}, status=400
        )
    facility = selectors.facility_get_public(code=facility_code)
    poli = selectors.poli_get_public(facility=facility, poli_code=poli_code)
    return Response(
        {"response": _queue_fields(poli, day), "metadata": {"code": 200, "message": "OK"}}
    )


@api_view(["GET"])
@throttle_classes(THROTTLES)
@permission_classes([IsAuthenticated])
def booking_status_view(request, code: str):
    """A booking's own fields, for the account holder, the patient or the facility's staff."""
    try:
        booking = selectors.booking_get_for_user(user=request.user, code=code)
    except Http404:
        return Response({"metadata": {"code": 404, "message": "Tidak ditemukan."}}, status=404)
    ticket = selectors.booking_ticket(booking=booking)
    data = {
        "kodebooking": booking.code,
        "nomorantrean": booking.queue_number,
        "angkaantrean": booking.number,
        "estimasidilayani": int(ticket.estimated_at.timestamp() * 1000),
        "status": booking.status,
        "posisi": ticket.position,
        "antreandidepan": ticket.ahead,
        "antreandilayani": list(ticket.serving),
        **_queue_fields(booking.poli, booking.date),
    }
    return Response({"response": data, "metadata": {"code": 200, "message": "OK"}})


# ---------------------------------------------------------------- kiosk writes (token)


def _error(status: int, message: str, field_errors: dict | None = None) -> Response:
    body = {"metadata": {"code": status, "message": message}}
    if field_errors:
        body["errors"] = field_errors
    return Response(body, status=status)


REFUSAL_STATUS = {"full": 409, "duplicate": 409, "closed": 409, "code": 404}


def _refused(exc: services.BookingRefused) -> Response:
    return _error(REFUSAL_STATUS.get(exc.code, 400), exc.messages[0])


def _ticket_fields(booking) -> dict:
    return {
        "kodebooking": booking.code,
        "nomorantrean": booking.queue_number,
        "angkaantrean": booking.number,
        "estimasidilayani": booking.estimated_epoch_ms,
        "status": booking.status,
        **_queue_fields(booking.poli, booking.date),
    }


class OnsiteSerializer(serializers.Serializer):
    """An on-site registration from a kiosk. No NIK is asked for or stored."""

    kodefaskes = serializers.CharField(max_length=60, required=False)
    kodepoli = serializers.SlugField(max_length=30)
    tanggalperiksa = serializers.DateField(required=False, validators=[validate_year])
    namapasien = serializers.CharField(max_length=150)
    jenispembayaran = serializers.ChoiceField(choices=Booking.Payment.choices)
    nomorkartu = serializers.RegexField(r"^[0-9]{13}$", required=False, allow_blank=True)
    keluhan = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    prioritas = serializers.ChoiceField(
        choices=Booking.Priority.choices, required=False, allow_blank=True
    )
    alasanprioritas = serializers.CharField(max_length=200, required=False, allow_blank=True)


class CheckInSerializer(serializers.Serializer):
    kodebooking = serializers.CharField(max_length=40)
    prioritas = serializers.ChoiceField(
        choices=Booking.Priority.choices, required=False, allow_blank=True
    )
    alasanprioritas = serializers.CharField(max_length=200, required=False, allow_blank=True)


def _invalid(serializer) -> Response:
    return _error(
        400,
        "Periksa kembali data yang dikirim.",
        {
            k: [str(m) for m in v] if isinstance(v, list) else v
            for k, v in serializer.errors.items()
        },
    )


@api_view(["POST"])
@throttle_classes(THROTTLES)
@authentication_classes([ApiTokenAuthentication])
@permission_classes([IsAuthenticated])
def onsite_create_view(request):
    """Register a patient on site from the facility's kiosk: today's date, the same
    numbering and quota (on-site quota) as the clerk's console."""
    token = request.auth
    serializer = OnsiteSerializer(data=request.data)
    if not serializer.is_valid():
        return _invalid(serializer)
    data = serializer.validated_data
    if data.get("kodefaskes") and data["kodefaskes"] != token.facility.code:
        return _error(404, "Fasilitas tidak ditemukan untuk token ini.")
    poli = (
        Poli.objects.select_related("facility__unit")
        .filter(facility=token.facility, code=data["kodepoli"], is_active=True)
        .first()
    )
    if poli is None:
        return _error(404, "Poli tidak ditemukan di fasilitas ini.")
    today = timezone.localdate()
    if data.get("tanggalperiksa", today) != today:
        return _error(400, "Pendaftaran di tempat hanya untuk hari ini.")
    try:
        booking = services.booking_register_onsite(
            staff=request.user,
            poli=poli,
            patient_name=data["namapasien"],
            payment=data["jenispembayaran"],
            bpjs_number=data.get("nomorkartu", ""),
            complaint=data.get("keluhan", ""),
            priority=data.get("prioritas", ""),
            priority_note=data.get("alasanprioritas", ""),
            source=Booking.Source.KIOSK,
        )
    except services.BookingRefused as exc:
        return _refused(exc)
    except ValidationError as exc:
        return _error(400, exc.messages[0])
    return Response(
        {"response": _ticket_fields(booking), "metadata": {"code": 201, "message": "OK"}},
        status=201,
    )


@api_view(["POST"])
@throttle_classes(THROTTLES)
@authentication_classes([ApiTokenAuthentication])
@permission_classes([IsAuthenticated])
def check_in_view(request):
    """Check in a booking by its code at the facility's kiosk."""
    serializer = CheckInSerializer(data=request.data)
    if not serializer.is_valid():
        return _invalid(serializer)
    data = serializer.validated_data
    try:
        booking = services.booking_check_in(
            staff=request.user,
            code=data["kodebooking"],
            facility=request.auth.facility,
            priority=data.get("prioritas", ""),
            priority_note=data.get("alasanprioritas", ""),
        )
    except services.BookingRefused as exc:
        return _refused(exc)
    return Response(
        {"response": _ticket_fields(booking), "metadata": {"code": 200, "message": "OK"}}
    )
