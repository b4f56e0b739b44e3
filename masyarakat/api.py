"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2), JSON and XML.

Public fields only: confidential tickets, unmoderated or rejected tickets and the
reporter's identity never appear. Every error is the specification's body
`[{"code": 400, "description": "..."}]` (XML: errors/error) with the same HTTP status.
Extension beyond the specification: `page` and `page_size` on GET requests.
"""

from __future__ import annotations

import datetime
import json
import re
import xml.etree.ElementTree as ET
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from binjai_portal.core.inputs import year_ok
from binjai_portal.core.models import Region
from binjai_portal.core.ratelimits import AddressThrottle, RateThrottle, UserThrottle

from . import selectors, services
from .models import Category, Ticket

SPEC_URL = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-01-01T00:00:00+07:00"
MAX_PAGE_SIZE = 1000
DEFAULT_PAGE_SIZE = 100
DEFAULT_DAYS = 90
# OFFSET reads every row before the page: past this, narrow by date instead (the cost
# of a page must not grow with the table).
MAX_OFFSET = 10_000

# XML element names of list items, by the name of their list.
XML_ITEM = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "errors": "error",
}


class Open311Error(Exception):
    def __init__(self, code: int, description: str):
        super().__init__(description)
        self.code, self.description = code, description


def _xml_value(parent: ET.Element, name: str, value) -> None:
    el = ET.SubElement(parent, name)
    if isinstance(value, list):
        for item in value:
            _xml_value(el, XML_ITEM.get(name, "item"), item)
    elif isinstance(value, dict):
        for k, v in value.items():
            _xml_value(el, k, v)
    elif isinstance(value, bool):
        el.text = "true" if value else "false"
    elif value is not None:
        el.text = str(value)


def render(data, fmt: str, *, root: str, status: int = 200) -> HttpResponse:
    """data: a list (rendered as <root><item/>...</root>) or a dict (<root>...</root>)."""
    if fmt == "xml":
        if isinstance(data, list):
            el = ET.Element(root)
            for item in data:
                _xml_value(el, XML_ITEM[root], item)
        else:
            el = ET.Element(root)
            for k, v in data.items():
                _xml_value(el, k, v)
        body = b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(el, encoding="utf-8")
        return HttpResponse(body, status=status, content_type="text/xml; charset=utf-8")
    body = json.dumps(data, ensure_ascii=False)
    return HttpResponse(body, status=status, content_type="application/json; charset=utf-8")


def error(fmt: str, code: int, description: str) -> HttpResponse:
    return render([{"code": code, "description": description}], fmt, root="errors", status=code)


def iso(dt: datetime.datetime | None) -> str | None:
    return timezone.localtime(dt).isoformat(timespec="seconds") if dt else None


def expected(day: datetime.date | None) -> str | None:
    """The SLA due date as the end of that day, local time."""
    if day is None:
        return None
    return iso(timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59, 59))))


def open_or_closed(status: str) -> str:
    return "open" if status in Ticket.OPEN_STATES else "closed"


def service_dict(c: Category) -> dict:
    return {
        "service_code": c.code,
        "service_name": c.name,
        "description": c.description,
        "metadata": bool(list(c.attributes.all())),
        "type": "realtime",
        "keywords": c.keywords,
        "group": c.group,
    }


def request_dict(t: dict, request) -> dict:
    """One service request, from a row of selectors.ticket_open311_rows()."""
    if t["photo_token"]:
        media = request.build_absolute_uri(reverse("core:upload", args=[t["photo_token"]]))
    else:
        media = (t["attributes"] or {}).get("_media_url") or None
    address = ", ".join(p for p in (t["address"], t["kelurahan_name"]) if p)
    return {
        "service_request_id": t["number"],
        "status": open_or_closed(t["status"]),
        "status_notes": t["status_notes"] or None,
        "service_name": t["service_name"],
        "service_code": t["service_code"],
        "description": t["description"],
        "agency_responsible": t["agency_name"] or None,
        "service_notice": None,
        "requested_datetime": iso(t["created_at"]),
        "updated_datetime": iso(t["updated_at"]),
        "expected_datetime": expected(t["sla_due"]),
        "address": address,
        "address_id": t["kelurahan_code"],
        "zipcode": None,
        "lat": float(t["lat"]) if t["lat"] is not None else None,
        "long": float(t["lng"]) if t["lng"] is not None else None,
        "media_url": media,
    }


class PostThrottle(RateThrottle):
    """Creating requests (each one notifies the moderators) is limited more tightly than
    reading, per account (or address), and refused while the limiter is down."""

    scope = "open311_post"
    key = "user_or_ip"
    methods = ("POST",)


class Open311View(APIView):
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]
    # Per client address (REMOTE_ADDR as ClientAddressMiddleware resolved it: a rotated
    # X-Forwarded-For from an untrusted peer changes nothing) or per account.
    throttle_classes = [AddressThrottle, UserThrottle, PostThrottle]

    def handle_exception(self, exc):
        fmt = self.kwargs.get("fmt", "json")
        if isinstance(exc, Open311Error):
            return error(fmt, exc.code, exc.description)
        if isinstance(exc, Http404):
            return error(fmt, 404, _("Tidak ditemukan."))
        if isinstance(exc, exceptions.Throttled):
            response = error(
                fmt,
                429,
                _("Terlalu banyak permintaan; coba lagi dalam %(s)s detik.")
                % {"s": int(exc.wait or 60)},
            )
            response["Retry-After"] = str(int(exc.wait or 60))
            return response
        if isinstance(exc, exceptions.APIException):
            return error(fmt, exc.status_code, str(exc.detail))
        raise exc


class DiscoveryView(Open311View):
    def get(self, request, fmt):
        url = request.build_absolute_uri(reverse("open311:o311-services", args=["json"]))
        data = {
            "changeset": CHANGESET,
            "contact": settings.CONTACT_EMAIL,
            "key_service": request.build_absolute_uri("/admin/"),
            "endpoints": [
                {
                    "specification": SPEC_URL,
                    "url": url.rsplit("/", 1)[0],
                    "changeset": CHANGESET,
                    "type": "production",
                    "formats": ["text/xml", "application/json"],
                }
            ],
        }
        return render(data, fmt, root="discovery")


class ServicesView(Open311View):
    def get(self, request, fmt):
        return render([service_dict(c) for c in selectors.category_list()], fmt, root="services")


class ServiceDefinitionView(Open311View):
    def get(self, request, fmt, code):
        category = selectors.category_get(code=code)
        if category is None:
            raise Open311Error(404, _("service_code tidak dikenal: %(c)s") % {"c": code})
        attributes = [
            {
                "variable": True,
                "code": a.code,
                "datatype": a.datatype,
                "required": a.required,
                "datatype_description": "",
                "order": a.order,
                "description": a.description,
                "values": [{"key": v.get("key"), "name": v.get("name")} for v in (a.values or [])],
            }
            for a in category.attributes.all()
        ]
        return render(
            {"service_code": category.code, "attributes": attributes},
            fmt,
            root="service_definition",
        )


def _parse_when(value: str, name: str, *, end: bool = False) -> datetime.datetime:
    try:
        dt = parse_datetime(value)
        if dt is None:
            day = parse_date(value)
            if day is not None:
                dt = datetime.datetime.combine(day, datetime.time.max if end else datetime.time.min)
    except ValueError:
        dt = None
    if dt is None or not value.isascii() or not year_ok(dt.date()):
        raise Open311Error(400, _("%(n)s bukan tanggal ISO 8601 yang sah.") % {"n": name})
    return timezone.make_aware(dt) if timezone.is_naive(dt) else dt


def _positive_int(value, name: str, *, default: int, maximum: int | None = None) -> int:
    if value in (None, ""):
        return default
    if not re.fullmatch(r"[0-9]{1,7}", str(value)) or int(value) < 1:
        raise Open311Error(400, _("%(n)s harus bilangan bulat positif.") % {"n": name})
    if maximum and int(value) > maximum:
        raise Open311Error(400, _("%(n)s paling besar %(m)d.") % {"n": name, "m": maximum})
    return int(value)


def _csv(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


class RequestsView(Open311View):
    def get(self, request, fmt):
        p = request.query_params
        qs = selectors.ticket_list_public()
        ids = _csv(p.get("service_request_id"))
        page = _positive_int(p.get("page"), "page", default=1)
        size = _positive_int(
            p.get("page_size"), "page_size", default=DEFAULT_PAGE_SIZE, maximum=MAX_PAGE_SIZE
        )
        if (page - 1) * size >= MAX_OFFSET:
            raise Open311Error(
                400,
                _(
                    "Halaman terlalu jauh: paling banyak %(n)d permintaan "
                    "pertama; persempit dengan start_date dan end_date."
                )
                % {"n": MAX_OFFSET},
            )
        if ids:  # the specification: this parameter overrides all the others
            qs = qs.filter(number__in=ids[:MAX_PAGE_SIZE])
        else:
            codes = _csv(p.get("service_code"))
            if codes:
                qs = qs.filter(category__code__in=codes)
            statuses = _csv(p.get("status"))
            if any(s not in ("open", "closed") for s in statuses):
                raise Open311Error(400, _("status harus open atau closed."))
            if statuses == ["open"]:
                qs = qs.filter(status__in=Ticket.OPEN_STATES)
            elif statuses == ["closed"]:
                qs = qs.filter(status__in=Ticket.CLOSED_STATES)
            start = _parse_when(p["start_date"], "start_date") if p.get("start_date") else None
            end = _parse_when(p["end_date"], "end_date", end=True) if p.get("end_date") else None
            if start and end and end < start:
                raise Open311Error(400, _("end_date harus sesudah start_date."))
            if start is None and end is None:
                start = timezone.now() - datetime.timedelta(days=DEFAULT_DAYS)
            if start:
                qs = qs.filter(created_at__gte=start)
            if end:
                qs = qs.filter(created_at__lte=end)
        rows = selectors.ticket_open311_rows(qs[(page - 1) * size : page * size])
        return render([request_dict(t, request) for t in rows], fmt, root="service_requests")

    def post(self, request, fmt):
        p = request.POST
        if not services.api_key_is_valid(p.get("api_key", "")):
            raise Open311Error(403, _("api_key tidak sah."))
        if not request.user.is_authenticated:
            raise Open311Error(401, _("Masuk dengan akun warga untuk mengirim laporan."))
        category = selectors.category_get(code=p.get("service_code", ""))
        if category is None:
            raise Open311Error(400, _("service_code tidak dikenal."))
        description = (p.get("description") or "").strip()
        if not description:
            raise Open311Error(400, _("description wajib diisi."))
        lat = lng = None
        if p.get("lat") or p.get("long"):
            try:
                lat, lng = Decimal(p.get("lat", "")), Decimal(p.get("long", ""))
            except InvalidOperation:
                raise Open311Error(400, _("lat dan long harus angka.")) from None
            if not (lat.is_finite() and lng.is_finite()):  # NaN, Infinity
                raise Open311Error(400, _("lat dan long harus angka.")) from None
            if not (-90 <= lat <= 90 and -180 <= lng <= 180):
                raise Open311Error(400, _("lat/long di luar jangkauan."))
            lat, lng = round(lat, 6), round(lng, 6)
        address = (p.get("address_string") or "").strip()[:255]
        if lat is None and not address:
            raise Open311Error(400, _("Lokasi wajib: lat dan long, atau address_string."))
        kelurahan = request.user.kelurahan
        if p.get("address_id"):
            kelurahan = Region.objects.filter(
                code=p["address_id"],
                level__in=Region.VILLAGE_LEVELS,
                code__startswith=settings.REGION_CODE + ".",
            ).first()
            if kelurahan is None:
                raise Open311Error(400, _("address_id harus kode Kemendagri kelurahan."))
        if kelurahan is None:
            raise Open311Error(400, _("address_id (kode kelurahan) wajib diisi."))
        attributes = {}
        for a in category.attributes.all():
            value = (p.get(f"attribute[{a.code}]") or "").strip()
            if not value:
                if a.required:
                    raise Open311Error(400, _("attribute[%(c)s] wajib diisi.") % {"c": a.code})
                continue
            if a.datatype == "number" and not re.fullmatch(r"-?[0-9]{1,15}(\.[0-9]{1,6})?", value):
                raise Open311Error(400, _("attribute[%(c)s] harus angka.") % {"c": a.code})
            if a.datatype == "singlevaluelist" and value not in {
                str(v.get("key")) for v in a.values or []
            }:
                raise Open311Error(
                    400, _("attribute[%(c)s] bukan pilihan yang sah.") % {"c": a.code}
                )
            attributes[a.code] = value[:500]
        media = (p.get("media_url") or "").strip()
        if media:
            if not re.fullmatch(r"https?://\S{1,490}", media):
                raise Open311Error(400, _("media_url harus alamat http(s)."))
            attributes["_media_url"] = media
        title = description.splitlines()[0][:100]
        try:
            ticket = services.ticket_create(
                reporter=request.user,
                category=category,
                title=title,
                description=description,
                kelurahan=kelurahan,
                address=address,
                lat=lat,
                lng=lng,
                attributes=attributes,
                with_api_token=True,
            )
        except ValidationError as e:
            raise Open311Error(400, " ".join(e.messages)) from None
        notice = _(
            "Laporan diterima dan akan diperiksa moderator; nomor tiket tersedia "
            "melalui token setelah diverifikasi."
        )
        return render(
            [{"token": ticket.api_token, "service_notice": notice, "account_id": None}],
            fmt,
            root="service_requests",
            status=201,
        )


class RequestDetailView(Open311View):
    def get(self, request, fmt, request_id):
        rows = selectors.ticket_open311_rows(
            selectors.ticket_list_public().filter(number=request_id)[:1]
        )
        if not rows:
            raise Open311Error(404, _("service_request_id tidak ditemukan."))
        return render([request_dict(rows[0], request)], fmt, root="service_requests")


class TokenView(Open311View):
    def get(self, request, fmt, token):
        ticket = selectors.ticket_get_by_token(token=token)
        if ticket is None:
            raise Open311Error(404, _("token tidak ditemukan."))
        request_id = ticket.number if ticket.is_public else None
        return render(
            [{"service_request_id": request_id, "token": token}], fmt, root="service_requests"
        )


discovery = DiscoveryView.as_view()
service_list = ServicesView.as_view()
service_definition = ServiceDefinitionView.as_view()
request_detail = RequestDetailView.as_view()
token_detail = TokenView.as_view()
