"""Queue API, field names as in the BPJS online-queue ("antrean online") interface."""

from __future__ import annotations

import datetime

from django.http import Http404
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from . import selectors


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
@permission_classes([AllowAny])
def queue_status_view(request, facility_code: str, poli_code: str, date: str):
    """Public queue status of one poli on one day (numbers only, no personal data)."""
    try:
        day = datetime.date.fromisoformat(date)
    except ValueError:
        return Response({"metadata": {"code": 400, "message": "Tanggal tidak valid (YYYY-MM-DD)."}},
                        status=400)
    facility = selectors.facility_get_public(code=facility_code)
    poli = selectors.poli_get_public(facility=facility, poli_code=poli_code)
    return Response({"response": _queue_fields(poli, day),
                     "metadata": {"code": 200, "message": "OK"}})


@api_view(["GET"])
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
