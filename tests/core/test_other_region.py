"""The portal deployed for another region (REGION_CODE=33.74, Kota Semarang) names that
region and never Binjai: every page a citizen or an officer can reach by links, its PDFs,
exports (CSV, Excel, Fiscal Data Package) and APIs (Open311, FHIR).

One module-scoped deployment: the settings a deployment derives from REGION_CODE, the
test database emptied of Kota Binjai's reference data, then `seed_demo` (which loads the
region, its regions and, without a units file for 33.74, demo units). All of it is rolled
back when the module ends.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import reverse

from binjai_portal import region_defaults
from binjai_portal.accounts.models import Unit, User

pytestmark = pytest.mark.django_db

OTHER = "33.74"  # Kota Semarang in the Kemendagri coding
BINJAI = re.compile(r"binjai", re.IGNORECASE)
# The Python package's name is not the region's (it appears in no page, but an admin
# page could show an app's module path).
ALLOWED = re.compile(r"binjai_portal", re.IGNORECASE)
PAGES_PER_PERSONA = 40
# Where officers start their day (a page a role may not open is refused and skipped).
STAFF_STARTS = [
    "/command-center/",
    "/perizinan/antrean-kerja/",
    "/masyarakat/antrean-kerja/",
    "/dokter/petugas/",
    "/budgeting/",
    "/musrenbang/",
    "/privasi/data-saya/",
]
SKIP = ("/keluar", "/logout", "/i18n/", "/static/", "/media/", "/admin/")


def _settings_for(code: str) -> dict:
    derived = region_defaults.region_settings(code)
    # Maps and demo points: a deployment sets them; these are round figures for Semarang.
    return derived | {"MAP_CENTER": [-7.0, 110.42], "MAP_BOUNDS": [-7.15, 110.25, -6.93, 110.5]}


@pytest.fixture(scope="module")
def other_region(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        overridden = override_settings(**_settings_for(OTHER))
        overridden.enable()
        try:
            Unit.objects.all().delete()
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM core_region")
            call_command("seed_demo", stdout=io.StringIO())
        except BaseException:
            overridden.disable()
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield
    with django_db_blocker.unblock():
        overridden.disable()
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("href", "src", "action", "data-url", "data-src"):
            if a.get(key) and not (tag == "form" and (a.get("method") or "").lower() == "post"):
                self.links.append(a[key])


def _text(response) -> str:
    """The text of a response, whatever its kind: PDF streams inflated, xlsx unzipped."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if body.startswith(b"%PDF"):
        parts = [body]
        for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", body, re.S):
            try:
                parts.append(zlib.decompress(stream))
            except zlib.error:
                pass
        return b"\n".join(parts).decode("latin-1")
    if body.startswith(b"PK") and ("spreadsheet" in kind or "zip" in kind):
        with zipfile.ZipFile(io.BytesIO(body)) as z:
            return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    return body.decode("utf-8", "replace")


def _crawl(client: Client, starts: list[str], seen_kinds: dict) -> dict[str, str]:
    """Follow same-site links breadth-first from the start pages; {url: text}."""
    queue, texts = deque(starts), {}
    while queue and len(texts) < PAGES_PER_PERSONA:
        url = queue.popleft()
        if url in texts:
            continue
        response = client.get(url)
        assert response.status_code < 500, url
        if response.status_code in (301, 302):
            location = urljoin(url, response["Location"])
            if urlsplit(location).path == reverse("accounts:login"):
                texts[url] = ""
                continue
            queue.appendleft(location)
            texts[url] = ""
            continue
        text = _text(response)
        texts[url] = text
        kind = response.get("Content-Type", "").split(";")[0]
        seen_kinds.setdefault(kind, url)
        if kind == "text/html":
            parser = _Links()
            parser.feed(text)
            for link in parser.links:
                link = urldefrag(urljoin(url, link))[0]
                parts = urlsplit(link)
                if parts.netloc not in ("", "testserver") or parts.scheme not in ("", "http"):
                    continue
                path = parts.path + (f"?{parts.query}" if parts.query else "")
                if not path.startswith(SKIP) and path not in texts:
                    queue.append(path)
    return texts


def _binjai_in(texts: dict[str, str]) -> list[str]:
    found = []
    for url, text in texts.items():
        for m in BINJAI.finditer(text):
            context = text[max(0, m.start() - 60) : m.end() + 60]
            if not ALLOWED.search(context[55:80]):
                found.append(f"{url}: …{context}…")
                break
    return found


def _get(client: Client, url: str, seen_kinds: dict, texts: dict) -> None:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    texts[url] = _text(response)
    seen_kinds.setdefault(response.get("Content-Type", "").split(";")[0], url)


def _documents(seen_kinds: dict) -> dict[str, str]:
    from binjai_portal.accounts import roles
    from budgeting.models import Budget, FiscalYear
    from perizinan.models import Certificate

    texts: dict[str, str] = {}
    certificates = Certificate.objects.filter(state="valid").select_related("application")
    assert certificates.exists()
    for cert in certificates[:2]:
        holder = Client()
        holder.force_login(cert.application.applicant)
        _get(holder, reverse("core:upload", args=[cert.pdf.token]), seen_kinds, texts)
        _get(Client(), cert.get_absolute_url(), seen_kinds, texts)

    def staff(role):
        client = Client()
        client.force_login(User.objects.filter(groups__name=role, is_demo=True).first())
        return client

    for role in (roles.PETUGAS_KELURAHAN, roles.PETUGAS_KECAMATAN):  # the forums' officers
        officer = staff(role)
        for name in ("musrenbang:forum-pdf", "musrenbang:forum-xlsx"):
            _get(officer, reverse(name), seen_kinds, texts)
    tapd = staff(roles.TAPD)
    budgets = Budget.objects.order_by("pk")[:2]
    assert budgets
    for budget in budgets:
        for fmt in ("pdf", "xlsx"):
            _get(tapd, reverse("budgeting:rka-export", args=[budget.pk, fmt]), seen_kinds, texts)
    public = Client()
    for fy in FiscalYear.objects.all():
        url = reverse("budgeting:public-datapackage", args=[fy.year, fy.version])
        if public.get(url).status_code == 200:
            _get(public, url, seen_kinds, texts)
            _get(
                public,
                reverse("budgeting:public-csv", args=[fy.year, fy.version]),
                seen_kinds,
                texts,
            )
    assert any("datapackage" in u for u in texts), "no public Fiscal Data Package"
    leader = staff(roles.PIMPINAN)
    for fmt in ("pdf", "csv", "xlsx"):
        _get(leader, reverse("command_center:export", args=["indikator", fmt]), seen_kinds, texts)
    return texts


def test_the_other_region_is_deployed(other_region):
    from binjai_portal.core.models import Region

    assert Region.objects.get(code=OTHER).name == "Kota Semarang"
    assert not Region.objects.filter(code__startswith="12.75").exists()
    assert Unit.objects.filter(kind=Unit.Kind.FASKES, is_demo=True).exists()
    assert not Unit.objects.filter(is_demo=False, kind__in=["opd", "faskes"]).exists()
    emails = set(User.objects.filter(is_demo=True).values_list("email", flat=True))
    assert emails and all(e.endswith("@demo.semarangkota.go.id") for e in emails if e)


def test_no_page_pdf_export_or_api_names_binjai(other_region):
    seen_kinds: dict[str, str] = {}
    texts: dict[str, str] = {}
    anonymous = Client()
    texts |= _crawl(anonymous, ["/", "/perizinan/", "/masyarakat/", "/musrenbang/"], seen_kinds)
    texts |= _crawl(anonymous, ["/budgeting/", "/dokter/", "/command-center/"], seen_kinds)
    personas = User.objects.filter(is_demo=True).exclude(groups=None).order_by("pk").distinct()
    seen_roles = set()
    for user in personas:
        role = user.groups.first().name
        if role in seen_roles:
            continue
        seen_roles.add(role)
        client = Client()
        client.force_login(user)
        texts |= _crawl(client, ["/", *STAFF_STARTS], seen_kinds)

    # The documents the claim names, fetched by their owners even where the crawl's page
    # budget did not reach them: certificates, berita acara, RKA, the digest, open data.
    texts |= _documents(seen_kinds)

    # The APIs: Open311 (public) and FHIR (a clinic officer's token).
    api = Client()
    for url in (
        "/api/open311/v2/discovery.json",
        "/api/open311/v2/services.json",
        "/api/open311/v2/requests.json",
    ):
        response = api.get(url)
        assert response.status_code == 200, url
        texts[url] = _text(response)
    from binjai_portal.accounts.demo import demo_facility_code
    from dokter import services as dokter_services
    from dokter.models import Facility

    facility = Facility.objects.get(unit__code=demo_facility_code())
    clerk = User.objects.filter(unit=facility.unit, is_demo=True).first()
    _, raw = dokter_services.api_token_issue(owner=clerk, facility=facility, name="uji")
    fhir = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    for url in ("/api/fhir/Schedule", "/api/fhir/Slot", "/api/fhir/Appointment"):
        response = fhir.get(url)
        assert response.status_code == 200, (url, response.content[:300])
        texts[url] = _text(response)
    assert (
        "https://semarangkota.go.id/fhir/"
        in texts["/api/fhir/Appointment"] + texts["/api/fhir/Schedule"]
    )

    assert _binjai_in(texts) == []
    # The crawl reached what the claim is about: PDFs, CSV, Excel, JSON.
    for kind in ("text/html", "application/pdf", "text/csv", "application/json"):
        assert kind in seen_kinds, (kind, sorted(seen_kinds))
    assert any("spreadsheet" in k for k in seen_kinds), sorted(seen_kinds)
    everything = "\n".join(texts.values())
    assert "Semarang" in everything and "Kota Semarang" in texts["/"]
