"""The facility-side WS Antrean that Mobile JKN calls ("Web Service Antrean - RS,
diakses oleh Mobile JKN" of BPJS's Katalog WS Antrean RS), mounted at /api/jkn/.

- `GET  token`           headers x-username, x-password -> {"response": {"token"}}
- `POST statusantrean`   {kodepoli, kodedokter, tanggalperiksa, jampraktek}
- `POST ambilantrean`    {nomorkartu, nik, nohp, kodepoli, norm, tanggalperiksa,
                          kodedokter, jampraktek, jeniskunjungan, nomorreferensi}
- `POST sisaantrean`     {kodebooking}
- `POST batalantrean`    {kodebooking, keterangan}
- `POST checkin`         {kodebooking, waktu}
- `POST pasienbaru`      {nomorkartu, nik, nomorkk, nama, jeniskelamin, tanggallahir,
                          nohp, alamat, kodeprop, ..., rw, rt}

Every call but `token` carries `x-token` and `x-username`. Answers have the catalogue's
shape `{"response": ..., "metadata": {"message", "code"}}`: code 200 success, 201 a
refusal with the reason in `message` (HTTP 200, as the catalogue has it), 202 from
ambilantrean for a patient without a medical record number (Mobile JKN then calls
pasienbaru). A missing, wrong or expired credential or token is answered with HTTP 401
and metadata code 401. The token is signed (Django's signing, salted per facility with
the password hash, so changing the password revokes it) and expires after
BPJS_WS_TOKEN_SECONDS. A booking is an ordinary e-Dokter booking (dokter.services);
nothing of a request body is logged (it carries NIK and card numbers).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core import signing
from django.db import IntegrityError, transaction
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from binjai_portal.core import ratelimits
from binjai_portal.core.clientip import client_ip
from binjai_portal.core.inputs import parse_date

from .. import selectors, services
from ..integrations import from_bpjs
from ..models import Booking, QuotaCounter, Schedule
from .models import BpjsConfig, BpjsPoli, JknPatient, JknVisit

SALT = "dokter.bpjs.ws-token"
DIGITS = re.compile(r"^[0-9]+$")
JAM = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$")
_NO_PASSWORD = "pbkdf2_sha256$1000000$x$x"  # compared when the username is unknown


class Refused(Exception):
    def __init__(self, message: str, code: int = 201):
        super().__init__(message)
        self.message, self.code = message, code


def _answer(response=None, *, code: int = 200, message: str = "Ok", http: int = 200):
    body = {"metadata": {"message": message, "code": code}}
    if response is not None:
        body = {"response": response, **body}
    return JsonResponse(body, status=http)


def _auth_failed(message: str):
    return _answer(code=401, message=message, http=401)


def _config_for(username: str) -> BpjsConfig | None:
    if not username or len(username) > 60:
        return None
    return (
        BpjsConfig.objects.select_related("facility__unit", "acts_as")
        .filter(ws_username=username, facility__is_active=True)
        .first()
    )


def _signer(config: BpjsConfig) -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=f"{SALT}:{config.pk}:{config.ws_password_hash}")


def token_issue(config: BpjsConfig) -> str:
    return _signer(config).sign(config.ws_username)


def _authenticated(request) -> BpjsConfig:
    config = _config_for(request.headers.get("x-username", ""))
    raw = request.headers.get("x-token", "")
    if config is None or not raw or len(raw) > 300:
        raise Refused("Token tidak valid", 401)
    try:
        value = _signer(config).unsign(raw, max_age=settings.BPJS_WS_TOKEN_SECONDS)
    except signing.SignatureExpired:
        raise Refused("Token Expired", 401) from None
    except signing.BadSignature:
        raise Refused("Token tidak valid", 401) from None
    if value != config.ws_username:
        raise Refused("Token tidak valid", 401)
    return config


def _body(request) -> dict:
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise Refused("Format request tidak valid (JSON)") from None
    if not isinstance(data, dict):
        raise Refused("Format request tidak valid (JSON)")
    return data


def _text(data: dict, name: str, *, required: bool = True, max_length: int = 60) -> str:
    value = data.get(name, "")
    if value is None:
        value = ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise Refused(f"Format {name} tidak sesuai")
    value = str(value).strip()
    if required and not value:
        raise Refused(f"{name} belum diisi")
    if len(value) > max_length or "\x00" in value:
        raise Refused(f"Format {name} tidak sesuai")
    return value


def _digits(data: dict, name: str, length: int | None = None, *, required: bool = True) -> str:
    value = _text(data, name, required=required, max_length=length or 20)
    if value and (not DIGITS.match(value) or (length and len(value) != length)):
        raise Refused(f"Format {name} tidak sesuai")
    return value


def _date(data: dict, name: str = "tanggalperiksa") -> datetime.date:
    value = parse_date(_text(data, name, max_length=10))
    if value is None:
        raise Refused(f"Format {name} tidak sesuai (yyyy-mm-dd)")
    return value


def _session(config: BpjsConfig, data: dict, day: datetime.date) -> Schedule:
    """The session asked for: poli by its BPJS code, then the doctor's practice hours."""
    kodepoli = _text(data, "kodepoli", max_length=10)
    mapping = (
        BpjsPoli.objects.select_related("poli")
        .filter(poli__facility=config.facility, kodepoli=kodepoli, poli__is_active=True)
        .first()
    )
    if mapping is None:
        raise Refused("Poli tidak ditemukan")
    jam = _text(data, "jampraktek", required=False, max_length=11)
    if jam and not JAM.match(jam):
        raise Refused("Format jampraktek tidak sesuai (HH:MM-HH:MM)")
    kodedokter = _digits(data, "kodedokter", required=False)
    sessions = Schedule.objects.select_related("practitioner__bpjs", "poli").filter(
        poli=mapping.poli, weekday=day.weekday(), is_active=True
    )
    if kodedokter:
        sessions = sessions.filter(practitioner__bpjs__kodedokter=int(kodedokter[:9]))
    if jam:
        start, end = jam.split("-")
        sessions = sessions.filter(start=start, end=end)
    session = sessions.order_by("start").first()
    if session is None:
        raise Refused("Jadwal dokter tidak ditemukan pada tanggal dan jam praktek tersebut")
    return session


def quota_of(schedule: Schedule, day: datetime.date) -> dict:
    row = QuotaCounter.objects.filter(schedule=schedule, date=day).values(
        "online_taken", "onsite_taken"
    )
    taken = row.first() or {"online_taken": 0, "onsite_taken": 0}
    return {
        "sisakuotajkn": max(schedule.online_quota - taken["online_taken"], 0),
        "kuotajkn": schedule.online_quota,
        "sisakuotanonjkn": max(schedule.onsite_quota - taken["onsite_taken"], 0),
        "kuotanonjkn": schedule.onsite_quota,
    }


def _doctor_name(schedule: Schedule | None) -> str:
    return schedule.practitioner.name if schedule and schedule.practitioner_id else ""


def _booking(config: BpjsConfig, data: dict) -> Booking:
    code = _text(data, "kodebooking", max_length=40).upper()
    booking = (
        Booking.objects.select_related("poli", "schedule__practitioner", "facility__unit")
        .filter(facility=config.facility, code=code)
        .first()
    )
    if booking is None:
        raise Refused("Antrean tidak ditemukan")
    return booking


# ---------------------------------------------------------------- the calls


def _token(request):
    config = _config_for(request.headers.get("x-username", ""))
    password = request.headers.get("x-password", "")
    hashed = config.ws_password_hash if config else _NO_PASSWORD
    if not check_password(password[:200], hashed) or config is None:
        return _auth_failed("Username atau Password Tidak Sesuai")
    return _answer({"token": token_issue(config)})


def _status(request, config: BpjsConfig):
    data = _body(request)
    day = _date(data)
    session = _session(config, data, day)
    reason = services.closure_reason(poli=session.poli, date=day)
    status = selectors.queue_status(poli=session.poli, date=day)
    return _answer(
        {
            "namapoli": session.poli.name,
            "namadokter": _doctor_name(session),
            "totalantrean": status.total,
            "sisaantrean": status.remaining,
            "antreanpanggil": status.called,
            **quota_of(session, day),
            "keterangan": f"Layanan tutup: {reason}" if reason else "",
        }
    )


REFUSALS = {
    "duplicate": "Nomor Antrean Hanya Dapat Diambil 1 Kali Pada Tanggal Yang Sama",
    "full": "Kuota JKN pada jadwal ini sudah penuh",
    "closed": "Pendaftaran ke poli ini sedang tutup",
    "cutoff": "Pendaftaran untuk jadwal ini sudah ditutup",
    "date": "Tanggal periksa di luar rentang pendaftaran",
}


def _take(request, config: BpjsConfig):
    data = _body(request)
    nomorkartu = _digits(data, "nomorkartu", 13, required=False)
    nik = _digits(data, "nik", 16)
    nohp = _digits(data, "nohp", required=False)
    norm = _text(data, "norm", required=False, max_length=20)
    day = _date(data)
    kunjungan = _digits(data, "jeniskunjungan", required=False)
    if kunjungan and kunjungan not in {"1", "2", "3", "4"}:
        raise Refused("Format jeniskunjungan tidak sesuai (1-4)")
    referensi = _text(data, "nomorreferensi", required=False, max_length=30)
    session = _session(config, data, day)
    patients = JknPatient.objects.filter(facility=config.facility)
    patient = (patients.filter(nomorkartu=nomorkartu) if nomorkartu else patients.none()).first()
    if patient is None and norm:
        patient = patients.filter(norm=norm).first()
    if patient is None:
        raise Refused(
            "Data pasien ini tidak ditemukan, silahkan Melakukan Registrasi Pasien Baru", 202
        )
    if patient.nik != nik:
        raise Refused("NIK tidak sesuai dengan data pasien")

    def visit(booking: Booking) -> None:
        JknVisit.objects.create(
            booking=booking,
            patient=patient,
            kodedokter=int(data["kodedokter"])
            if re.fullmatch(r"[0-9]+", str(data.get("kodedokter", "")))
            else None,
            jampraktek=f"{session.start:%H:%M}-{session.end:%H:%M}",
            jeniskunjungan=int(kunjungan) if kunjungan else None,
            nomorreferensi=referensi,
            nohp=nohp,
        )

    try:
        booking = services.booking_create(
            actor=None,
            schedule=session,
            date=day,
            patient=None,
            payment=Booking.Payment.BPJS if nomorkartu else Booking.Payment.GENERAL,
            bpjs_number=nomorkartu,
            source=Booking.Source.MOBILE_JKN,
            person={
                "patient_user": None,
                "patient_dependant": None,
                "patient_name": patient.nama,
                "patient_key": f"j{patient.pk}",
            },
            on_created=visit,
        )
    except services.BookingRefused as exc:
        raise Refused(REFUSALS.get(exc.code, exc.messages[0])) from exc
    return _answer(
        {
            "nomorantrean": booking.queue_number,
            "angkaantrean": booking.number,
            "kodebooking": booking.code,
            "norm": patient.norm,
            "namapoli": session.poli.name,
            "namadokter": _doctor_name(session),
            "estimasidilayani": booking.estimated_epoch_ms,
            **quota_of(session, day),
            "keterangan": config.keterangan,
        }
    )


def _remaining(request, config: BpjsConfig):
    booking = _booking(config, _body(request))
    if not booking.is_active:
        raise Refused("Antrean sudah tidak aktif")
    ticket = selectors.booking_ticket(booking=booking)
    status = selectors.queue_status(poli=booking.poli, date=booking.date)
    return _answer(
        {
            "nomorantrean": booking.queue_number,
            "namapoli": booking.poli.name,
            "namadokter": _doctor_name(booking.schedule),
            "sisaantrean": ticket.ahead,
            "antreanpanggil": status.called,
            "waktutunggu": booking.poli.avg_service_minutes * 60 * max(ticket.ahead - 1, 0),
            "keterangan": "",
        }
    )


def _cancel(request, config: BpjsConfig):
    data = _body(request)
    booking = _booking(config, data)
    _text(data, "keterangan", required=False, max_length=200)
    if booking.status != Booking.Status.BOOKED:
        raise Refused("Antrean tidak dapat dibatalkan")
    with from_bpjs():
        try:
            services.booking_cancel(actor=config.acts_as, booking=booking)
        except services.BookingRefused as exc:
            raise Refused(exc.messages[0]) from exc
    return _answer()


def _check_in(request, config: BpjsConfig):
    data = _body(request)
    booking = _booking(config, data)
    waktu = _digits(data, "waktu", required=False)
    now = timezone.localtime()
    if waktu and len(waktu) <= 15:
        given = datetime.datetime.fromtimestamp(int(waktu) / 1000, tz=datetime.UTC)
        if given.date() == now.date() and given <= now:
            now = given
    try:
        services.booking_check_in(
            staff=config.acts_as, code=booking.code, facility=config.facility, now=now
        )
    except services.BookingRefused as exc:
        raise Refused(exc.messages[0]) from exc
    return _answer()


def _new_patient(request, config: BpjsConfig):
    data = _body(request)
    nomorkartu = _digits(data, "nomorkartu", 13)
    nik = _digits(data, "nik", 16)
    nama = _text(data, "nama", max_length=150)
    kelamin = _text(data, "jeniskelamin", required=False, max_length=1).upper()
    if kelamin and kelamin not in {"L", "P"}:
        raise Refused("Format jeniskelamin tidak sesuai (L/P)")
    lahir = parse_date(_text(data, "tanggallahir", max_length=10))
    if lahir is None or lahir > timezone.localdate():
        raise Refused("Format tanggallahir tidak sesuai (yyyy-mm-dd)")
    fields = {
        "nik": nik,
        "nomorkk": _digits(data, "nomorkk", 16, required=False),
        "nama": nama,
        "jeniskelamin": kelamin,
        "tanggallahir": lahir,
        "nohp": _digits(data, "nohp", required=False),
        "alamat": _text(data, "alamat", required=False, max_length=255),
    }
    for name in ("kodeprop", "namaprop", "kodedati2", "namadati2", "kodekec", "namakec"):
        _text(data, name, required=False, max_length=100)
    for name in ("kodekel", "namakel", "rw", "rt"):
        _text(data, name, required=False, max_length=100)
    try:
        with transaction.atomic():
            patient, created = JknPatient.objects.get_or_create(
                facility=config.facility, nomorkartu=nomorkartu, defaults=fields
            )
            if created:
                patient.norm = f"JKN{patient.pk:07d}"
                patient.save(update_fields=["norm"])
    except IntegrityError:
        raise Refused("Data peserta sedang diproses, silakan ulangi") from None
    if not created:
        raise Refused("Data peserta ini sudah pernah dilakukan registrasi")
    return _answer(
        {"norm": patient.norm},
        message="Harap datang ke admisi untuk melengkapi data rekam medis",
    )


def _caller_key(group: str, request) -> str:
    """Rate-limit key: the x-username (digested) and the address, so that a password
    guesser is stopped per account without one facility's burst starving another."""
    user = request.headers.get("x-username", "")[:100]
    return hashlib.sha256(f"{user}|{client_ip(request)}".encode()).hexdigest()


def _limited(request, name: str):
    refusal = ratelimits.check(request, name, key=_caller_key, fail_open=True)
    if refusal is None:
        return None
    response = _answer(
        code=429, message="Terlalu banyak permintaan, coba lagi sebentar lagi", http=429
    )
    response["Retry-After"] = str(refusal.wait)
    return response


def _endpoint(method: str, handler, *, authenticated: bool = True):
    @csrf_exempt
    def view(request):
        if request.method != method:
            return _answer(code=201, message=f"Metode harus {method}", http=405)
        limited = _limited(request, "jkn_call" if authenticated else "jkn_token")
        if limited is not None:
            return limited
        try:
            if not authenticated:
                return handler(request)
            config = _authenticated(request)
            return handler(request, config)
        except Refused as exc:
            if exc.code == 401:
                return _auth_failed(exc.message)
            return _answer(code=exc.code, message=exc.message)

    view.__name__ = handler.__name__.lstrip("_") + "_view"
    view.__doc__ = handler.__doc__
    return view


token_view = _endpoint("GET", _token, authenticated=False)
status_view = _endpoint("POST", _status)
take_view = _endpoint("POST", _take)
remaining_view = _endpoint("POST", _remaining)
cancel_view = _endpoint("POST", _cancel)
check_in_view = _endpoint("POST", _check_in)
new_patient_view = _endpoint("POST", _new_patient)
