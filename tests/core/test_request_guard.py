"""The request guard (core.middleware.RequestGuardMiddleware) and the input helpers:
crafted input is a 400/404/413 that changes nothing, never a 500."""

import datetime
import io

import pytest
from django.core.exceptions import RequestDataTooBig

from binjai_portal.core import inputs
from binjai_portal.core.forms import BoundedDateField
from binjai_portal.core.middleware import _CappedStream
from masyarakat.models import Ticket

NUL_PATHS = [
    "/musrenbang/usulan/a%00b/",
    "/masyarakat/tiket/a%00b/",
    "/berkas/a%00b/",
    "/perizinan/verifikasi/a%00b/",
    "/budgeting/apbd/2027/a%00b/anggaran.csv",
    "/api/dokter/antrean/status/a%00b/umum/2026-12-02/",
    "/api/open311/v2/services.json?service_code=%00",
    "/api/open311/v2/requests.json?service_code=%00",
    "/musrenbang/?q=a%01b",
    "/masyarakat/?q=%1b[31m",
    "/perizinan/lacak/?nomor=a%00",
]


@pytest.mark.django_db
@pytest.mark.parametrize("path", NUL_PATHS)
def test_control_characters_in_path_or_query_are_400(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "tidak diizinkan" in response.content.decode()


@pytest.mark.django_db
def test_api_refusals_are_json(client):
    response = client.get("/api/open311/v2/requests.json?service_code=%00")
    assert response.status_code == 400 and "detail" in response.json()


@pytest.mark.django_db
def test_tab_and_newline_stay_legal_in_fields(client):
    assert client.get("/musrenbang/?q=jalan%09rusak%0A").status_code == 200


def test_nul_in_open311_post_fields_changes_nothing(client, citizen):
    client.force_login(citizen)
    for field in ("service_code", "description", "address_string", "api_key", "attribute[lebar]"):
        data = {
            "service_code": "jalan-rusak",
            "lat": "3.6",
            "long": "98.48",
            "description": "Rusak",
            field: "a\x00b",
        }
        response = client.post("/api/open311/v2/requests.json", data)
        assert response.status_code == 400, field
    assert Ticket.objects.count() == 0


def test_nul_in_json_body_is_400(client, citizen):
    client.force_login(citizen)
    response = client.post(
        "/api/dokter/antrean/ambil/", {"namapasien": "a\u0000b"}, content_type="application/json"
    )
    assert response.status_code == 400


def test_nul_in_form_post_is_400(client, citizen):
    client.force_login(citizen)
    response = client.post("/masyarakat/lapor/", {"title": "a\x00b"})
    assert response.status_code == 400
    assert Ticket.objects.count() == 0


class CountingStream(io.BytesIO):
    """A request body that counts what the server reads from it."""

    def __init__(self):
        super().__init__(b"x" * 1024)
        self.read_bytes = 0

    def read(self, size=-1):
        data = super().read(size)
        self.read_bytes += len(data)
        return data

    readline = read


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "size"),
    [
        ("/perizinan/verifikasi/", 300 * 1024 * 1024),  # anonymous, one file allowed
        ("/masyarakat/", 2 * 1024 * 1024),  # no file: 1 MB
        ("/api/open311/v2/requests.json", 2 * 1024 * 1024),
    ],
)
def test_oversized_bodies_are_413_before_a_byte_is_read(client, path, size):
    stream = CountingStream()
    response = client.generic(
        "POST",
        path,
        b"",
        content_type="multipart/form-data; boundary=x",
        **{"CONTENT_LENGTH": str(size), "wsgi.input": stream},
    )
    assert response.status_code == 413
    assert stream.read_bytes == 0


@pytest.mark.django_db
def test_upload_views_allow_their_files(client, settings):
    """One 5 MB file plus the form fits /perizinan/verifikasi/; the same body does not
    fit a page without uploads."""
    size = settings.UPLOAD_MAX_BYTES + 200 * 1024
    stream = CountingStream()
    response = client.generic(
        "POST",
        "/perizinan/verifikasi/",
        b"",
        content_type="multipart/form-data; boundary=x",
        **{"CONTENT_LENGTH": str(size), "wsgi.input": stream},
    )
    assert response.status_code != 413


def test_capped_stream_stops_a_chunked_body():
    stream = _CappedStream(io.BytesIO(b"x" * 100), 60)
    assert stream.read(50) == b"x" * 50
    with pytest.raises(RequestDataTooBig):
        stream.read(50)


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("123", True),
        ("²", False),
        ("١٢٣", False),
        ("０", False),
        ("", False),
        ("1" * 19, False),
        ("-1", False),
    ],
)
def test_ascii_digits(value, ok):
    assert inputs.is_ascii_digits(value) is ok


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-12-02", datetime.date(2026, 12, 2)),
        ("20261202", datetime.date(2026, 12, 2)),
        ("0930-06-28", None),
        ("9999-12-31", None),
        ("2026-02-30", None),
        ("٢٠٢٦-١٢-٠٢", None),
        ("2026-12-02T00:00", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_date_bounds_years(value, expected):
    assert inputs.parse_date(value) == expected


@pytest.mark.parametrize("value", ["0001-01-01", "0930-06-28", "9999-12-31"])
def test_bounded_date_field_refuses_odd_years(value):
    field = BoundedDateField()
    with pytest.raises(Exception) as info:
        field.clean(value)
    assert "Tahun harus antara 1900 dan 2100" in str(info.value)


def test_the_guard_runs_right_after_the_client_address(settings):
    assert settings.MIDDLEWARE[:2] == [
        "binjai_portal.core.clientip.ClientAddressMiddleware",
        "binjai_portal.core.middleware.RequestGuardMiddleware",
    ]
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= settings.REQUEST_BODY_MAX_BYTES
    assert settings.DATA_UPLOAD_MAX_NUMBER_FILES <= 20


PACKAGES = (
    "binjai_portal",
    "musrenbang",
    "masyarakat",
    "dokter",
    "perizinan",
    "budgeting",
    "command_center",
)


def _portal_sources():
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    for package in PACKAGES:
        for path in (root / package).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path.relative_to(root), ast.parse(path.read_text(encoding="utf-8"))


def test_digits_are_ascii_everywhere():
    """`\\d` and str.isdigit() accept "²" and "١"; ids, codes and numbers use [0-9] and
    core.inputs.is_ascii_digits."""
    import ast

    offenders = []
    for path, tree in _portal_sources():
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef))
            and node.body
            and isinstance(node.body[0], ast.Expr)
        }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and "\\d" in node.value
                and id(node) not in docstrings
            ):
                offenders.append(f"{path}:{node.lineno} \\d")
            if (
                isinstance(node, ast.Attribute)
                and node.attr == "isdigit"
                and str(path) != "binjai_portal/core/inputs.py"
            ):
                offenders.append(f"{path}:{node.lineno} isdigit")
    assert offenders == []


def test_every_date_field_of_a_portal_form_bounds_the_year():
    import importlib

    from django import forms

    for package in PACKAGES:
        for module in ("forms", "accounts.forms"):
            try:
                importlib.import_module(f"{package}.{module}")
            except ModuleNotFoundError:
                pass

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    checked, offenders = 0, []
    for form in set(subclasses(forms.BaseForm)):
        if not form.__module__.startswith(PACKAGES) or ".admin" in form.__module__:
            continue
        for name, field in getattr(form, "base_fields", {}).items():
            if isinstance(field, forms.DateField):
                checked += 1
                if not isinstance(field, BoundedDateField):
                    offenders.append(f"{form.__module__}.{form.__name__}.{name}")
    assert checked >= 6 and offenders == []
