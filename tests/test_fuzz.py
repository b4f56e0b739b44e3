"""Fuzz every path parameter, query parameter and form field of the portal.

The URL patterns come from Django's resolver; the forms and their fields from the pages
themselves (a crawl of the demo data as a visitor, a citizen and staff personas), plus
the APIs' documented parameters. Hypothesis then sends crafted values (NUL and other
control characters, non-ASCII digits such as "²" and "١", huge numbers, odd dates,
formula text) one parameter at a time and checks the rule of the house: no 5xx, and a
refused request (4xx) changes no row of the main tables.

Bounded: 700 examples (FUZZ_EXAMPLES to change), a deadline per example; about two
minutes with the demo data. The number of requests sent is printed (run with -s).
"""

from __future__ import annotations

import collections
import datetime
import json
import os
import random
import re
import time
from html.parser import HTMLParser
from urllib.parse import quote, urlencode, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from binjai_portal.accounts.models import Dependant
from binjai_portal.core.models import Upload
from budgeting.models import Line
from dokter.models import Booking, Facility
from masyarakat.models import Category, Ticket
from musrenbang.models import Proposal
from perizinan.models import Application

pytestmark = pytest.mark.django_db

User = get_user_model()
MAIN_TABLES = (Proposal, Ticket, Booking, Application, Line, Upload, Dependant, User)
PERSONAS = {
    "anonim": None,
    "warga": "Siti Demo Warga",
    "kelurahan": "Rudi Demo Kelurahan",
    "moderator": "Hendra Demo Moderator",
    "puskesmas": "Nurul Demo Puskesmas",
    "verifikator": "Agus Demo Verifikator",
    "tapd": "Yusuf Demo TAPD",
    "pimpinan": "Ratna Demo Pimpinan",
}
START = [
    "/",
    "/musrenbang/",
    "/masyarakat/",
    "/dokter/",
    "/perizinan/",
    "/budgeting/",
    "/budgeting/apbd/",
    "/command-center/",
    "/command-center/open-data/",
    "/akun/profil/",
    "/notifikasi/",
    "/musrenbang/antrean-kerja/",
    "/musrenbang/saya/",
    "/masyarakat/antrean-kerja/",
    "/masyarakat/saya/",
    "/dokter/petugas/",
    "/perizinan/antrean-kerja/",
    "/perizinan/permohonan/",
    "/budgeting/rka/",
    "/budgeting/harga/",
    "/budgeting/impor/",
    "/musrenbang/petugas/forum/",
    "/musrenbang/moderasi/",
    "/akun/daftar/",
    "/akun/masuk/",
    "/perizinan/lacak/",
    "/command-center/peringatan/",
    "/akun/keluarga/tambah/",
    "/musrenbang/usulan/baru/",
    "/masyarakat/lapor/",
    "/masyarakat/lapor/tanpa-akun/",
    "/masyarakat/lacak/",
]
# Never sent: they end the persona's session or are not part of the portal.
SKIP_PATHS = re.compile(r"^/(admin/|akun/keluar/|i18n/|static/|jsi18n/)")
PAGES_PER_PERSONA = 45
PAGES_PER_ROUTE = 2

SPECIALS = [
    "\x00",
    "a\x00b",
    "%00",
    "\x01\x1b[31m",
    "\x7f",
    "a\tb",
    "a\r\nb",
    "²",
    "١٢٣",
    "０１２",
    "𝟙𝟚",
    "Ⅻ",
    "9" * 40,
    "-1",
    "0",
    "-0",
    "1e309",
    "NaN",
    "inf",
    "99999999999999999999",
    "1.5",
    "3,5",
    "0930-06-28",
    "0001-01-01",
    "9999-12-31",
    "2026-02-30",
    "2026-12-02T25:61",
    "1900-01-01",
    "2100-12-31",
    "20261202",
    "٢٠٢٦-١٢-٠٢",
    '=HYPERLINK("http://evil.example")',
    "' OR '1'='1",
    "../../etc/passwd",
    "\u202e",
    "\ufeff",
    "<script>x</script>",
    " ",
    "",
    "a" * 3000,
    "[]",
    "{}",
    "null",
    "true",
    "Binjai",
    "12.75.01.1001",
    "%",
    "\\",
]
VALUES = st.one_of(
    st.sampled_from(SPECIALS),
    st.text(max_size=40),
    # Printable text gets past the control-character guard into forms and services.
    st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=40),
    st.text(
        alphabet=st.characters(whitelist_categories=("Nd", "No", "Nl")), min_size=1, max_size=12
    ),
    st.integers(min_value=-(10**25), max_value=10**25).map(str),
    st.dates().map(datetime.date.isoformat),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
)


# ---------------------------------------------------------------- the portal's surface


class _Page(HTMLParser):
    """Links and forms (action, method, fields with their first value) of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.forms, self._form, self._select = [], [], None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and (a.get("href") or "").startswith("/"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = {
                "action": a.get("action") or "",
                "method": (a.get("method") or "get").lower(),
                "fields": {},
                "files": False,
            }
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "textarea", "select", "button"):
            name = a.get("name")
            if not name or name == "csrfmiddlewaretoken":
                return
            if a.get("type") == "file":
                self._form["files"] = True
                return
            if a.get("type") in ("checkbox", "radio") and name in self._form["fields"]:
                return
            self._form["fields"][name] = a.get("value") or ""
            self._select = name if tag == "select" else None
        elif tag == "option" and self._select and self._form is not None:
            if not self._form["fields"][self._select] and a.get("value"):
                self._form["fields"][self._select] = a["value"]

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def _routes(patterns=None, prefix=""):
    """(route template, parameter names) of every URL pattern except the admin's."""
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            yield from _routes(p.url_patterns, prefix + str(p.pattern))
            continue
        route = prefix + str(p.pattern)
        if route.startswith("admin/"):
            continue
        # A regex route becomes a template: (?P<name>...) -> <name>, anchors dropped.
        route = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", route).replace("^", "")
        route = route.replace("$", "").replace("\\.", ".")
        params = re.findall(r"<(?:\w+:)?(\w+)>", route)
        yield "/" + route, params


def _fill(route: str, values: dict[str, str]) -> str:
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: quote(values.get(m[1], "1"), safe=""), route)


class Surface:
    """What the fuzzer can send: routes, crawled GET pages and forms, API parameters."""

    def __init__(self):
        self.sent = 0
        self.statuses = collections.Counter()
        self.clients: dict[str, Client] = {}
        for persona, name in PERSONAS.items():
            client = Client()
            if name:
                client.force_login(User.objects.get(full_name=name, is_demo=True))
            self.clients[persona] = client
        self.routes = list(_routes())
        self.kwargs: dict[str, list[dict]] = collections.defaultdict(list)
        self.get_forms: list[tuple[str, str, dict]] = []  # persona, path, fields
        self.post_forms: list[tuple[str, str, dict]] = []
        self._crawl()
        self._apis()

    # -- crawl
    def _crawl(self):
        for persona in self.clients:
            queue, seen, per_route = collections.deque(START), set(), collections.Counter()
            while queue and len(seen) < PAGES_PER_PERSONA:
                url = queue.popleft().split("#")[0]
                path = urlsplit(url).path
                if url in seen or SKIP_PATHS.match(path):
                    continue
                try:
                    match = resolve(path)
                except Resolver404:
                    continue
                if per_route[match.route] >= PAGES_PER_ROUTE:
                    continue
                per_route[match.route] += 1
                seen.add(url)
                self.kwargs[match.route].append({k: str(v) for k, v in match.kwargs.items()})
                response = self.send(persona, "get", url)
                if "text/html" not in response.get("Content-Type", ""):
                    continue
                page = _Page()
                page.feed(response.content.decode("utf-8", "replace"))
                queue.extend(page.links)
                for form in page.forms:
                    action = form["action"] or path
                    if not action.startswith("/") or SKIP_PATHS.match(action):
                        continue
                    target = self.get_forms if form["method"] == "get" else self.post_forms
                    if form["fields"] or form["method"] == "post":
                        target.append((persona, action, form["fields"]))

    # -- APIs: their parameters are documented, not in HTML forms
    def _apis(self):
        clerk = User.objects.get(full_name=PERSONAS["puskesmas"], is_demo=True)
        facility = Facility.objects.filter(unit=clerk.unit).first() or Facility.objects.first()
        from dokter import services as dokter_services

        _, raw = dokter_services.api_token_issue(owner=clerk, facility=facility, name="Fuzz")
        self.bearer = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
        poli = facility.polis.first()
        from masyarakat import services as masyarakat_services

        key = masyarakat_services.api_key_issue(name="Fuzz")[1]
        category = Category.objects.filter(is_active=True).first()
        o311 = {
            "service_request_id": "",
            "service_code": category.code,
            "start_date": "",
            "end_date": "",
            "status": "open",
            "page": "1",
            "page_size": "10",
        }
        for path in (
            "/api/open311/v2/requests.json",
            "/api/open311/v2/requests.xml",
            "/api/open311/v2/services.json",
        ):
            self.get_forms.append(("anonim", path, dict(o311)))
        self.post_forms.append(
            (
                "warga",
                "/api/open311/v2/requests.json",
                {
                    "api_key": key,
                    "service_code": category.code,
                    "lat": "3.6",
                    "long": "98.48",
                    "description": "Jalan rusak",
                    "address_string": "Jl. Uji",
                    "media_url": "",
                    "address_id": "12.75.01.1001",
                    "attribute[lebar]": "2",
                },
            )
        )
        fhir = {
            "date": "2026-12-02",
            "start": "",
            "actor": "",
            "status": "",
            "schedule": "",
            "location": "",
            "service-type": "",
            "active": "true",
            "_count": "10",
        }
        for resource in ("Schedule", "Slot", "Appointment"):
            self.get_forms.append(("fhir", f"/api/fhir/{resource}", dict(fhir)))
        self.json_forms = [
            (
                "/api/dokter/antrean/ambil/",
                {
                    "kodefaskes": facility.code,
                    "kodepoli": poli.code if poli else "umum",
                    "tanggalperiksa": "2026-12-02",
                    "namapasien": "Pasien Uji",
                    "jenispembayaran": "umum",
                    "nomorkartu": "",
                    "keluhan": "",
                    "prioritas": "",
                    "alasanprioritas": "",
                },
            ),
            (
                "/api/dokter/antrean/checkin/",
                {"kodebooking": "X", "prioritas": "", "alasanprioritas": ""},
            ),
        ]
        self.queue_status = (
            f"/api/dokter/antrean/status/{facility.code}/"
            f"{poli.code if poli else 'umum'}/2026-12-02/"
        )
        self.get_forms.append(("anonim", self.queue_status, {}))

    # -- sending
    def send(self, persona: str, method: str, path: str, data=None, **extra):
        client = self.clients.get(persona) or self.clients["anonim"]
        if persona == "fhir":
            extra.update(self.bearer)
        before = _counts()
        if method == "get":
            response = client.get(path, data or {}, **extra)
        elif method == "json":
            response = client.post(path, json.dumps(data), content_type="application/json", **extra)
        else:
            response = client.post(path, data or {}, **extra)
        self.sent += 1
        self.statuses[response.status_code // 100 * 100] += 1
        assert response.status_code < 500, (method, path, data, response.status_code)
        if 400 <= response.status_code < 500:
            assert _counts() == before, ("a refused request changed data", method, path, data)
        return response


def _counts():
    return tuple(model.objects.count() for model in MAIN_TABLES)


@pytest.fixture
def surface():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return Surface()


# ---------------------------------------------------------------- the fuzz test


def _actions(surface: Surface):
    routes = [(route, name) for route, params in surface.routes for name in params]
    path_fuzz = st.tuples(
        st.just("path"), st.sampled_from(routes), st.sampled_from(list(PERSONAS)), VALUES
    )
    query_fuzz = st.tuples(
        st.just("query"), st.sampled_from(surface.get_forms), st.integers(0, 10**6), VALUES
    )
    post_fuzz = st.tuples(
        st.just("post"), st.sampled_from(surface.post_forms), st.integers(0, 10**6), VALUES
    )
    json_fuzz = st.tuples(
        st.just("json"), st.sampled_from(surface.json_forms), st.integers(0, 10**6), VALUES
    )
    return st.one_of(path_fuzz, query_fuzz, post_fuzz, json_fuzz)


def _pick(fields: dict, n: int) -> str | None:
    names = sorted(fields)
    return names[n % len(names)] if names else None


@pytest.mark.crafted_input
def test_no_crafted_parameter_causes_a_5xx_or_a_change(surface):
    started = time.monotonic()
    crawl = surface.sent
    assert surface.routes and surface.get_forms and surface.post_forms

    @settings(
        max_examples=int(os.environ.get("FUZZ_EXAMPLES", "700")),
        deadline=datetime.timedelta(seconds=10),
        database=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
        ],
    )
    @given(action=_actions(surface))
    def fuzz(action):
        kind, target, choice, value = action
        if kind == "path":
            (route, name), persona = target, choice
            known = surface.kwargs.get(route.lstrip("/"), [])
            values = dict(random.Random(len(value)).choice(known)) if known else {}
            values[name] = value
            surface.send(persona, "get", _fill(route, values))
            if not SKIP_PATHS.match(route):
                surface.send(persona, "post", _fill(route, values), {"x": value})
        elif kind == "query":
            persona, path, fields = target
            name = _pick(fields, choice) or ["q", "page", "date", "status"][choice % 4]
            surface.send(
                persona,
                "get",
                path + ("&" if "?" in path else "?") + urlencode({**fields, name: value}),
            )
        elif kind == "post":
            persona, path, fields = target
            name = _pick(fields, choice) or "x"
            surface.send(persona, "post", path, {**fields, name: value})
        else:
            path, fields = target
            name = _pick(fields, choice)
            surface.send("anonim", "json", path, {**fields, name: value}, **surface.bearer)

    fuzz()
    elapsed = time.monotonic() - started
    print(
        f"\nfuzz: {surface.sent} requests ({crawl} while crawling, "
        f"{surface.sent - crawl} fuzzed) in {elapsed:.0f}s; routes {len(surface.routes)}, "
        f"GET forms {len(surface.get_forms)}, POST forms {len(surface.post_forms)}; "
        f"statuses {dict(sorted(surface.statuses.items()))}"
    )
