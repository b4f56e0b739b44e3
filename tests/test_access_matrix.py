"""Role × URL matrix, generated from the URL configuration.

Every URL pattern of the portal (Django's admin excepted: its own permission system, see
EXCLUDED) is requested as every persona (anonymous, two citizens, and every staff role of
binjai_portal/accounts/roles.py, unit-bound roles once inside and once outside the unit
that owns the objects), by GET and by POST with empty data. Parameters are filled with
real objects of a fixture world that belong to citizen A and to units the "_out"
personas do not work in. The test asserts:

- no response is a 5xx;
- a persona without the right to an object (VIEW below, written from the apps' rules)
  is refused: a redirect to the login page, 401, 403, 404 or 405, never a page;
- a persona with the right gets the detail page (200);
- a refused POST, or one answered with 4xx, writes nothing (PostgreSQL's counters of
  rows written in the transaction, per table);
- no response to a persona carries the marker (a unique word in the title or text) of
  an object that persona may not see: lists, exports, JSON, notifications alike;
- every link in a page leads to a detail page the same persona is allowed to open
  ("a list is the detail's scope, filtered").

A pattern with a parameter FILL cannot fill, or a URL name without an ACCESS rule, fails
the test with the list of what is missing: a new URL cannot be added silently.

Each request runs in a savepoint that is rolled back, so the world stays as built and
the order of requests does not matter. The URL patterns are split into MATRIX_PARTS test
items of about the same number of URLs (matrix_parts), each building its own world, so
pytest-xdist can run them on different workers; the terminal summary adds the parts up
into one line ("access matrix: N URL names, M URLs × P personas × 2 methods").
"""

from __future__ import annotations

import collections
import datetime
import itertools
import re
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import Resolver404
from django.utils import timezone

from binjai_portal.accounts import roles
from binjai_portal.accounts.models import Unit
from binjai_portal.core.moved import Moved

pytestmark = pytest.mark.django_db

# --- who is who --------------------------------------------------------------------------

ANON, A, B = "anonim", "warga_a", "warga_b"

# Units of the fixture world's objects ("in") and of the personas outside them ("out").
UNITS = {
    roles.KELURAHAN: ("kelurahan-12-75-02-1001", "kelurahan-12-75-01-1001"),
    roles.KECAMATAN: ("kecamatan-12-75-02", "kecamatan-12-75-01"),
    roles.OPD: ("dpupr", "dinkes"),
    roles.FASKES: ("puskesmas-demo-kota", "puskesmas-demo-utara"),
}


def persona_names() -> list[str]:
    names = [ANON, A, B]
    for role in roles.ROLES:
        if not role.is_staff:
            continue
        if role.unit_kind is None:
            names.append(role.slug)
        else:
            assert role.unit_kind in UNITS, f"no units for the role kind {role.unit_kind}"
            names += [f"{role.slug}@in", f"{role.slug}@out"]
    return names


CITYWIDE = {r.slug for r in roles.ROLES if r.is_staff and r.unit_kind is None}
STAFF = {n for n in persona_names() if n not in (ANON, A, B)}
LOGGED_IN = {n for n in persona_names() if n != ANON}
EVERYONE = set(persona_names())


def _role(name: str) -> str:
    return name.split("@")[0]


def having(*slugs) -> set[str]:
    """Personas with one of the roles (inside or outside their unit)."""
    return {n for n in STAFF if _role(n) in slugs}


# --- who may see what: written from the apps' rules, not from their responses ----------

from budgeting.rules import STAFF_ROLES as BUDGET_ROLES  # noqa: E402
from command_center.rules import DASHBOARD_ROLES, WALL_ROLES  # noqa: E402
from musrenbang.rules import MODERATOR_ROLES as PROPOSAL_MODERATORS  # noqa: E402
from perizinan import workflows as permit_wf  # noqa: E402

MODERATOR = roles.MODERATOR_PENGADUAN
OPD_IN = f"{roles.PETUGAS_OPD}@in"
KEL_IN = f"{roles.PETUGAS_KELURAHAN}@in"
KEC_IN = f"{roles.PETUGAS_KECAMATAN}@in"
CLERK_IN = f"{roles.PETUGAS_PUSKESMAS}@in"
PERMIT_OFFICE = having(permit_wf.VERIFIER, permit_wf.SURVEYOR, permit_wf.HEAD)
DPO = roles.PEJABAT_PDP
# Staff whose role may unmask a NIK (with a reason, logged): accounts.view_full_nik.
NIK_UNMASKERS = {
    n for n in STAFF if "accounts.view_full_nik" in roles.role_of(_role(n)).permissions
}

# A complaint: public when moderated and not confidential; otherwise only its reporter
# and its handlers (the moderators; the officers of the agency it was assigned to).
PUBLIC_TICKET = EVERYONE
VIEW = {
    "ticket_public": PUBLIC_TICKET,
    "ticket_closed": PUBLIC_TICKET,
    "ticket_conf": {A, MODERATOR, OPD_IN},
    "ticket_conf_closed": {A, MODERATOR, OPD_IN},
    "ticket_submitted": {A, MODERATOR},
    "ticket_rejected": {A, MODERATOR},
    "ticket_b": PUBLIC_TICKET,
    # Personal data protection: a citizen's rights request (theirs and the DPO's); a
    # breach incident (the DPO's only).
    "rights_request": {A, DPO},
    "incident": {DPO},
    # A proposal: public once sent and not hidden; a draft only to its proposer; a hidden
    # one to the proposer and to staff whose region holds it (city-wide staff: all).
    "proposal_public": EVERYONE,
    "proposal_draft": {A},
    "proposal_hidden": {A, KEL_IN, KEC_IN} | (STAFF & CITYWIDE),
    "proposal_b_draft": {B},
    # Health data: the account holder, the patient, the facility's clerks.
    "booking": {A, CLERK_IN},
    "dependant": {A},
    # A permit application: the applicant; once sent, DPMPTSP and the technical agency.
    "application_draft": {A},
    "application_submitted": {A, OPD_IN} | PERMIT_OFFICE,
    # RKA of an agency: its officers and the city-wide budget roles.
    "budget": {OPD_IN} | (having(*BUDGET_ROLES) & CITYWIDE),
    # Alerts: whoever sees the wall (it shows them), and the responsible unit's officers.
    "alert": {OPD_IN} | having(*WALL_ROLES),
    "notification": {A},
    "poli": {CLERK_IN},
    # A levy bill: its payer and the treasurer (bendahara penerimaan).
    "bill": {A, roles.BENDAHARA_PENERIMAAN},
}
VIEW["activity"] = VIEW["line"] = VIEW["funded"] = VIEW["budget"]
# Uploads follow the object they belong to.
VIEW.update(
    {
        "upload_ticket_conf": VIEW["ticket_conf"],
        "upload_ticket_public": VIEW["ticket_public"],
        "upload_proposal_draft": VIEW["proposal_draft"],
        "upload_draft_document": VIEW["application_draft"],
        "upload_submitted_document": VIEW["application_submitted"],
    }
)

# Pages without an object: who may open them (None: anyone; everyone else is refused).
GATES = {
    "core:desk": STAFF,
    "masyarakat:work-queue": STAFF,
    "musrenbang:work-queue": STAFF,
    "musrenbang:officer-bulk": STAFF,
    "musrenbang:forum": having(roles.PETUGAS_KELURAHAN, roles.PETUGAS_KECAMATAN),
    "musrenbang:forum-pdf": having(roles.PETUGAS_KELURAHAN, roles.PETUGAS_KECAMATAN),
    "musrenbang:forum-xlsx": having(roles.PETUGAS_KELURAHAN, roles.PETUGAS_KECAMATAN),
    "musrenbang:forum-rank": having(roles.PETUGAS_KELURAHAN, roles.PETUGAS_KECAMATAN),
    "musrenbang:forum-finalise": having(roles.PETUGAS_KELURAHAN, roles.PETUGAS_KECAMATAN),
    "musrenbang:moderation": having(*PROPOSAL_MODERATORS),
    "dokter:console-index": having(roles.PETUGAS_PUSKESMAS),
    "dokter:integrations": having(roles.PETUGAS_PUSKESMAS),
    "perizinan:work-queue": PERMIT_OFFICE | having(permit_wf.TECHNICAL),
    "budgeting:budget-list": having(*BUDGET_ROLES),
    "budgeting:price-lists": having(*BUDGET_ROLES),
    "budgeting:price-list": having(*BUDGET_ROLES),
    "budgeting:import": having(*BUDGET_ROLES),
    "command_center:index": having(*DASHBOARD_ROLES),
    "command_center:export": having(*DASHBOARD_ROLES),
    "command_center:wall": having(*WALL_ROLES),
    "command_center:wall-panels": having(*WALL_ROLES),
    "privacy:records": having(DPO),
    "privacy:request-list": having(DPO),
    "privacy:access-log": having(DPO),
    "privacy:retention": having(DPO),
    "privacy:notice-new": having(DPO),
    "privacy:incident-list": having(DPO),
    "privacy:incident-new": having(DPO),
    "privacy:nik-reveal": NIK_UNMASKERS,
    "billing:treasurer": having(roles.BENDAHARA_PENERIMAAN),
    "billing:treasurer-export": having(roles.BENDAHARA_PENERIMAAN),
}
LOGIN_ONLY = {
    "accounts:profile",
    "accounts:profile-edit",
    "accounts:dependant-create",
    "accounts:resend-verification",
    "accounts:phone-verify",
    "accounts:phone-verify-send",
    "core:inbox",
    "core:inbox-mark-all-read",
    "core:my-activity",
    "musrenbang:create",
    "musrenbang:mine",
    "masyarakat:ticket-new",
    "masyarakat:my-tickets",
    "perizinan:apply",
    "perizinan:my-applications",
    "command_center:alert-list",
    "dokter:booking-create",
    "privacy:consent-withdraw",
    "privacy:my-data",
    "privacy:my-data-json",
    "privacy:my-data-pdf",
    "privacy:access-mine",
    "privacy:request-new",
}
# URL names whose parameters are objects with a VIEW rule: the pages of one object.
OBJECT_PAGES = {
    "masyarakat:ticket-detail",
    "masyarakat:ticket-action",
    "masyarakat:ticket-me-too",
    "masyarakat:message-post",
    "musrenbang:detail",
    "musrenbang:edit",
    "musrenbang:submit",
    "musrenbang:support",
    "musrenbang:flag",
    "musrenbang:carry-over",
    "musrenbang:officer-act",
    "musrenbang:moderate",
    "musrenbang:feedback",
    "dokter:ticket",
    "dokter:ticket-live",
    "dokter:ticket-cancel",
    "dokter:ticket-rate",
    "dokter-api:booking-status",
    "dokter:console",
    "dokter:console-queue",
    "dokter:console-action",
    "accounts:dependant-edit",
    "accounts:dependant-delete",
    "core:upload",
    "core:inbox-mark-read",
    "perizinan:application-detail",
    "perizinan:application-edit",
    "perizinan:application-act",
    "perizinan:satisfaction",
    "budgeting:budget-detail",
    "budgeting:budget-act",
    "budgeting:activity-create",
    "budgeting:budget-history",
    "budgeting:budget-compare",
    "budgeting:rka-export",
    "budgeting:activity-detail",
    "budgeting:activity-fund",
    "budgeting:activity-realisation",
    "budgeting:funded-complete",
    "budgeting:line-edit",
    "budgeting:line-delete",
    "budgeting:line-note",
    "budgeting:line-decide",
    "command_center:alert-detail",
    "privacy:request-detail",
    "privacy:request-act",
    "privacy:incident-detail",
    "privacy:incident-act",
    "billing:bill-detail",
    "billing:bill-pdf",
    "billing:receipt-pdf",
    "billing:bill-record-cash",
    "billing:bill-correct",
    "billing:bill-simulate",
}
# The detail page of each kind of object: a persona in VIEW gets it (200).
DETAIL_PAGES = {
    "masyarakat:ticket-detail",
    "musrenbang:detail",
    "dokter:ticket",
    "core:upload",
    "perizinan:application-detail",
    "budgeting:budget-detail",
    "budgeting:activity-detail",
    "command_center:alert-detail",
    "privacy:request-detail",
    "privacy:incident-detail",
    "billing:bill-detail",
}
# Everything else is open to all (what it shows is still checked by the markers).
PUBLIC = {
    "home",
    "healthz",
    "healthz-live",
    "healthz-ready",
    "bench-baseline",
    "set_language",
    "javascript-catalog",
    "accounts:register",
    "accounts:register-done",
    "accounts:login",
    "accounts:logout",
    "accounts:password-reset",
    "accounts:password-reset-done",
    "accounts:password-reset-sms",
    "accounts:password-reset-sms-confirm",
    "accounts:password-reset-confirm",
    "accounts:password-reset-complete",
    "accounts:verify-email",
    "musrenbang:index",
    "musrenbang:map",
    "musrenbang:similar",
    "musrenbang:promises",
    "musrenbang:promises-csv",
    "masyarakat:index",
    "masyarakat:map",
    "masyarakat:map-data",
    # a report without an account, and its follow page (by number and secret, POSTed)
    "masyarakat:ticket-new-anonymous",
    "masyarakat:ticket-follow",
    # ... and the report again, its reporter's steps and messages: only for a browser that
    # gave the number and secret (session); to any other, 403 with the follow form
    # (tests/masyarakat/test_anonymous_follow.py)
    "masyarakat:ticket-follow-detail",
    "masyarakat:ticket-follow-action",
    "masyarakat:ticket-follow-message",
    "dokter:index",
    "dokter:facility-detail",
    "dokter:facility-queue",
    "dokter:display",
    "dokter:display-board",
    "dokter-api:queue-status",
    "dokter-api:onsite-create",
    "dokter-api:check-in",
    # WS Antrean for Mobile JKN: its own credentials (x-username/x-password, x-token)
    "jkn:token",
    "jkn:status",
    "jkn:take",
    "jkn:remaining",
    "jkn:cancel",
    "jkn:check-in",
    "jkn:new-patient",
    "fhir:schedule-search",
    "fhir:schedule-read",
    "fhir:slot-search",
    "fhir:slot-read",
    "fhir:appointment-search",
    "fhir:appointment-read",
    "fhir:unknown",
    "open311:o311-discovery",
    "open311:o311-services",
    "open311:o311-service",
    "open311:o311-requests",
    "open311:o311-request",
    "open311:o311-token",
    "perizinan:index",
    "perizinan:track",
    "perizinan:verify-search",
    "perizinan:verify",
    "budgeting:index",
    "budgeting:transparency",
    "budgeting:public-csv",
    "budgeting:public-datapackage",
    "command_center:open-data",
    "command_center:open-data-download",
    "privacy:notice",
    "billing:receipt-verify",
    # SNAP BI: the bank's endpoints, authenticated by signatures, not by a login.
    "snap:access-token",
    "snap:va-inquiry",
    "snap:va-payment",
    "snap:va-status",
    "snap:qr-mpm-notify",
}
# Not generated here, with the reason.
EXCLUDED_NAMESPACES = {
    "admin": "Django's admin: staff flag and model permissions of its own, tested by "
    "tests/accounts/test_admin.py",
}

# How each URL parameter is filled: (URL name or "*", kwarg) -> kinds of the world.
# An object parameter takes every kind listed; a plain parameter a fixed value.
FILL = {
    ("masyarakat:*", "number"): [
        "ticket_public",
        "ticket_closed",
        "ticket_conf",
        "ticket_conf_closed",
        "ticket_submitted",
        "ticket_rejected",
    ],
    ("masyarakat:ticket-action", "action"): ["=verify", "=start", "=close"],
    ("masyarakat:ticket-follow-action", "action"): ["=close", "=reopen"],
    ("musrenbang:*", "reference"): [
        "proposal_public",
        "proposal_draft",
        "proposal_hidden",
        "proposal_b_draft",
    ],
    ("dokter:*", "code"): ["booking"],
    ("dokter:facility-detail", "code"): ["=puskesmas-demo-kota"],
    ("dokter:booking-create", "code"): ["=puskesmas-demo-kota"],
    ("dokter:booking-create", "poli_code"): ["=umum"],
    ("dokter:display", "code"): ["=puskesmas-demo-kota"],
    ("dokter:display-board", "code"): ["=puskesmas-demo-kota"],
    ("dokter:facility-queue", "code"): ["=puskesmas-demo-kota"],
    ("dokter:*", "poli_code"): ["poli"],
    ("dokter-api:booking-status", "code"): ["booking"],
    ("dokter-api:queue-status", "facility_code"): ["=puskesmas-demo-kota"],
    ("dokter-api:queue-status", "poli_code"): ["=umum"],
    ("dokter-api:queue-status", "date"): ["=today"],
    ("fhir:*", "pk"): ["=1"],
    ("fhir:*", "slot_id"): ["=1-2026-02-10"],
    ("fhir:*", "path"): ["=Patient"],
    ("open311:*", "fmt"): ["=json"],
    ("open311:*", "code"): ["=jalan-rusak"],
    ("open311:*", "request_id"): ["ticket_public", "ticket_conf", "ticket_submitted"],
    ("open311:*", "token"): ["=0123456789abcdef01234567"],
    ("accounts:*", "uidb64"): ["=MQ"],
    ("accounts:*", "token"): ["=cz3ja1-0123456789abcdef"],
    ("accounts:*", "pk"): ["dependant"],
    ("core:upload", "token"): [
        "upload_ticket_conf",
        "upload_ticket_public",
        "upload_proposal_draft",
        "upload_draft_document",
        "upload_submitted_document",
    ],
    ("core:inbox-mark-read", "pk"): ["notification"],
    ("perizinan:*", "pk"): ["application_draft", "application_submitted"],
    ("perizinan:application-act", "action"): ["=submit", "=verify"],
    ("perizinan:apply", "code"): ["=pbg"],
    ("perizinan:verify", "token"): ["=tidak-ada"],
    ("budgeting:*", "year"): ["=fy_year"],
    ("budgeting:*", "version"): ["=fy_version"],
    ("budgeting:budget-detail", "pk"): ["budget"],
    ("budgeting:budget-act", "pk"): ["budget"],
    ("budgeting:activity-create", "pk"): ["budget"],
    ("budgeting:budget-history", "pk"): ["budget"],
    ("budgeting:budget-compare", "pk"): ["budget"],
    ("budgeting:rka-export", "pk"): ["budget"],
    ("budgeting:rka-export", "fmt"): ["=csv"],
    ("budgeting:activity-detail", "pk"): ["activity"],
    ("budgeting:activity-fund", "pk"): ["activity"],
    ("budgeting:activity-realisation", "pk"): ["activity"],
    ("budgeting:funded-complete", "pk"): ["funded"],
    ("budgeting:line-edit", "pk"): ["line"],
    ("budgeting:line-delete", "pk"): ["line"],
    ("budgeting:line-note", "pk"): ["line"],
    ("budgeting:line-decide", "pk"): ["line"],
    ("budgeting:price-list", "pk"): ["=price_list"],
    ("command_center:alert-detail", "pk"): ["alert"],
    ("command_center:export", "slug"): ["=indikator"],
    ("command_center:export", "fmt"): ["=csv"],
    ("command_center:open-data-download", "slug"): ["=indikator-layanan"],
    ("privacy:*", "reference"): ["rights_request"],
    ("privacy:*", "pk"): ["incident"],
    ("privacy:nik-reveal", "token"): ["=tidak-sah"],
    ("billing:*", "code"): ["bill"],
    ("billing:*", "fmt"): ["=csv"],
    ("billing:bill-simulate", "channel"): ["=va"],
    ("billing:receipt-verify", "token"): ["=tidak-ada"],
}

REFUSED = {401, 403, 404, 405}
# Tables a request may write without changing anything that matters.
# billing_bankevent: every request to the SNAP endpoints is recorded, refused ones too.
DIGEST_SKIP = ("django_session", "axes_", "billing_bankevent")


# --- the URL configuration ---------------------------------------------------------------


@dataclass
class Route:
    name: str  # namespaced
    pattern: URLPattern
    kwargs: list[str]
    defaults: dict = field(default_factory=dict)


def routes() -> list[Route]:
    out = []

    def walk(patterns, ns):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(
                    p.url_patterns,
                    f"{ns}:{p.namespace}" if ns and p.namespace else (p.namespace or ns),
                )
            elif isinstance(p, URLPattern):
                if getattr(p.callback, "view_class", None) is Moved:
                    continue  # an old path, redirecting (tests/core/test_vocabulary.py)
                name = f"{ns}:{p.name}" if ns else (p.name or "")
                out.append(Route(name, p, list(p.pattern.regex.groupindex), dict(p.default_args)))

    walk(get_resolver().url_patterns, "")
    return out


# The matrix runs as this many test items (each with its own fixture world), so that
# pytest-xdist can spread them over its workers (conftest.py schedules them one by one).
MATRIX_PARTS = 6


def route_weight(route: Route) -> int:
    """How many URLs the route gives: the product of its parameters' fills."""
    n = 1
    for kwarg in route.kwargs:
        if kwarg not in route.defaults:
            n *= len(fill_for(route, kwarg) or [None])
    return n


def matrix_parts() -> list[set[int]]:
    """The covered routes (by their position in routes()) split into MATRIX_PARTS groups
    of about the same number of URLs: the heaviest route first, each into the lightest
    part so far. A function of the URL configuration alone, so every worker splits alike;
    every covered route is in exactly one part (test_matrix_parts_cover_every_url)."""
    parts: list[set[int]] = [set() for _ in range(MATRIX_PARTS)]
    load = [0] * MATRIX_PARTS
    weighted = [(route_weight(r), i) for i, r in enumerate(routes()) if covered(r)]
    for weight, i in sorted(weighted, key=lambda wi: (-wi[0], wi[1])):
        k = load.index(min(load))
        parts[k].add(i)
        load[k] += weight
    return parts


def covered(route: Route) -> bool:
    return route.name.split(":")[0] not in EXCLUDED_NAMESPACES


def fill_for(route: Route, kwarg: str):
    ns = route.name.split(":")[0] if ":" in route.name else ""
    for key in ((route.name, kwarg), (f"{ns}:*", kwarg)):
        if key in FILL:
            return FILL[key]
    return None


# --- the world ---------------------------------------------------------------------------

MARK = "ZQX"  # markers are ZQX + kind in capitals: never part of ordinary text


def marker(kind: str) -> str:
    return MARK + kind.replace("_", "").upper()


@dataclass
class World:
    users: dict
    objects: dict  # kind -> value for the URL
    values: dict  # "=name" placeholders
    markers: dict  # kind -> marker text in that object's title/text


def build_world(make_citizen, make_staff) -> World:
    from binjai_portal.accounts import services as account_services
    from binjai_portal.accounts.nik import nik_compose
    from binjai_portal.core.kpi import AlertCause
    from binjai_portal.core.models import Notification
    from binjai_portal.core.nomenclature import nomenclature_load
    from binjai_portal.core.notifications import notify
    from budgeting import services as budget_services
    from command_center import services as cc_services
    from dokter import services as dokter_services
    from masyarakat import services as m_services
    from musrenbang import services as p_services
    from musrenbang.models import Proposal
    from perizinan import services as permit_services
    from tests.budgeting.factories import published_list, reference_data
    from tests.dokter.conftest import DAY, NOW
    from tests.dokter.factories import FacilityFactory, PoliFactory, every_day
    from tests.masyarakat.factories import category_make, photo, ticket_make
    from tests.musrenbang.factories import open_cycle, proposal_data
    from tests.musrenbang.factories import photo as proposal_photo
    from tests.perizinan.factories import building_type, draft

    users = {
        ANON: None,
        A: make_citizen(full_name="Ani Warga"),
        B: make_citizen(full_name="Budi Warga"),
    }
    for name in sorted(STAFF):
        role = roles.role_of(_role(name))
        unit = None
        if role.unit_kind is not None:
            unit = UNITS[role.unit_kind][0 if name.endswith("@in") else 1]
        users[name] = make_staff(role.slug, unit, full_name=f"Staf {name}")
    a, b, mod = users[A], users[B], users[MODERATOR]
    objects, markers = {}, {}

    def mark(kind, value, **extra):
        objects[kind] = value
        markers[kind] = marker(kind)
        return markers[kind]

    # e-Masyarakat: complaints of citizen A in several states, one of B.
    category = category_make()
    long_ago = timezone.localdate() - datetime.timedelta(days=60)

    def ticket(kind, reporter=a, **kw):
        t = ticket_make(
            reporter=reporter,
            category=category,
            title=f"Laporan {marker(kind)}",
            description=f"Uraian {marker(kind)}",
            **kw,
        )
        mark(kind, t.number)
        return t

    t = ticket("ticket_public")
    m_services.ticket_verify(ticket=t, moderator=mod)
    t = ticket("ticket_closed", photos=[photo()])
    m_services.ticket_verify(ticket=t, moderator=mod)
    m_services.ticket_assign(ticket=t, moderator=mod, today=long_ago)
    m_services.ticket_resolve(ticket=t, officer=users[OPD_IN], response="Sudah diperbaiki.")
    m_services.ticket_close(ticket=t, reporter=a, rating=5, comment="")
    objects["upload_ticket_public"] = t.photos.get().token
    t = ticket("ticket_conf", confidential=True, photos=[photo()])
    m_services.ticket_verify(ticket=t, moderator=mod)
    m_services.ticket_assign(ticket=t, moderator=mod, today=long_ago)  # overdue
    objects["upload_ticket_conf"] = t.photos.get().token
    t = ticket("ticket_conf_closed", confidential=True)
    m_services.ticket_verify(ticket=t, moderator=mod)
    m_services.ticket_assign(ticket=t, moderator=mod, today=long_ago)
    m_services.ticket_resolve(ticket=t, officer=users[OPD_IN], response="Ditindak.")
    m_services.ticket_close(ticket=t, reporter=a, rating=4, comment="")
    ticket("ticket_submitted")
    t = ticket("ticket_rejected")
    m_services.ticket_reject(ticket=t, moderator=mod, reason="Bukan wewenang kota.")
    t = ticket("ticket_b", reporter=b)
    m_services.ticket_verify(ticket=t, moderator=mod)
    m_services.ticket_sla_check()  # escalates the overdue confidential ticket

    # e-Musrenbang: A's public, draft (with photo) and hidden proposals; B's draft.
    nomenclature_load()
    cycle = open_cycle()
    kel = users[A].kelurahan

    def proposal(kind, proposer=a, send=True, photos=()):
        p = p_services.proposal_create(
            proposer=proposer,
            cycle=cycle,
            photos=photos,
            data=proposal_data(kel, title=f"Usulan {marker(kind)}"),
        )
        if send:
            p_services.proposal_submit(proposal=p, actor=proposer)
        mark(kind, p.reference)
        return p

    public_proposal = proposal("proposal_public")
    p = proposal("proposal_draft", send=False, photos=[proposal_photo()])
    objects["upload_proposal_draft"] = p.photos.get().token
    p = proposal("proposal_hidden")
    Proposal.objects.filter(pk=p.pk).update(is_hidden=True)  # as moderation leaves it
    proposal("proposal_b_draft", proposer=b, send=False)

    # e-Dokter: A books for a dependant at the "in" facility.
    facility = FacilityFactory(unit=Unit.objects.get(code=UNITS[roles.FASKES][0]))
    FacilityFactory(unit=Unit.objects.get(code=UNITS[roles.FASKES][1]))
    poli = PoliFactory(facility=facility, name="Poli Umum", code="umum", letter="A")
    schedule = every_day(poli)[DAY.weekday()]
    child = account_services.dependant_create(
        guardian=a,
        nik=nik_compose(
            region6="127502", birth_date=datetime.date(2015, 3, 3), sex="L", serial=901
        ),
        full_name="Anak Warga",
        birth_date=datetime.date(2015, 3, 3),
        sex="L",
        relation="anak",
    )
    objects["dependant"] = child.pk
    booking = dokter_services.booking_create(
        actor=a,
        schedule=schedule,
        date=DAY,
        patient=child,
        payment="umum",
        complaint=f"Keluhan {marker('booking')}",
        now=NOW,
    )
    mark("booking", booking.code)
    objects["poli"] = poli.code

    # e-Perizinan: A's unsent draft and sent application, both with documents.
    permit_type = building_type()
    app = draft(permit_type, a)
    permit_services.application_update(
        application=app, actor=a, details={"location_address": marker("application_draft")}
    )
    mark("application_draft", app.pk)
    objects["upload_draft_document"] = app.documents.first().upload.token
    app2 = draft(permit_type, a)
    permit_services.application_update(
        application=app2, actor=a, details={"location_address": marker("application_submitted")}
    )
    permit_services.application_submit(application=app2, actor=a)
    mark("application_submitted", app2.pk)
    objects["upload_submitted_document"] = app2.documents.first().upload.token

    # e-Budgeting: the RKA of the "in" agency.
    tapd = users[roles.TAPD]
    reference_data()
    year = datetime.date.today().year + 1
    fy = budget_services.fiscal_year_create(year=year, actor=tapd)
    price_list, items = published_list(year=year, actor=tapd)
    budget = budget_services.budget_create(
        fiscal_year=fy,
        agency=Unit.objects.get(code=UNITS[roles.OPD][0]),
        ceiling=Decimal("10000000"),
        actor=tapd,
    )
    from budgeting.models import Account, Nomenclature

    activity = budget_services.activity_create(
        budget=budget,
        actor=users[OPD_IN],
        sub_kegiatan=Nomenclature.objects.get(code="1.03.91.1.01.0001"),
        output_target=Decimal("10"),
        funding_source="pad",
    )
    line = budget_services.line_add(
        activity=activity,
        actor=users[OPD_IN],
        account=Account.objects.get(code="5.1.02.01.01.0024"),
        price_item_id=items["pen"].pk,
        factors=[(Decimal("10"), "buah")],
        description="Pulpen rapat",
    )
    from budgeting.models import FundedProposal

    # the link e-Budgeting keeps (the proposal itself is not funded: completing is refused)
    funded = FundedProposal.objects.create(
        activity=activity,
        proposal_id=public_proposal.pk,
        reference=public_proposal.reference,
        title=public_proposal.title,
    )
    objects.update(budget=budget.pk, activity=activity.pk, line=line.pk, funded=funded.pk)

    # Command center: an alert of the "in" agency; a notification of A.
    alert = cc_services.alert_raise(
        cause=AlertCause(
            key="matrix:1",
            title=f"Peringatan {marker('alert')}",
            body="",
            url="",
            unit_codes=(UNITS[roles.OPD][0],),
        ),
        app="masyarakat",
        rule="matrix",
    )
    mark("alert", alert.pk)
    # Billing: a levy bill of A.
    from tests.billing.factories import bill as bill_make

    mark("bill", bill_make(a, subject_label=f"Retribusi {marker('bill')}").code)
    n = notify(recipient=a, title=f"Pesan {marker('notification')}")
    mark("notification", n.pk)
    assert Notification.objects.filter(recipient=a).exists()

    # Personal data protection: A's correction request, a breach incident.
    from binjai_portal.core.privacy import services as privacy_services

    req = privacy_services.rights_request_create(
        user=a, kind="correction", about="Alamat", details=f"Perbaiki {marker('rights_request')}"
    )
    mark("rights_request", req.reference)
    incident = privacy_services.incident_create(
        actor=users[DPO],
        title=f"Insiden {marker('incident')}",
        description="Uji",
        data_disclosed="Nama",
        discovered_at=timezone.now(),
    )
    mark("incident", incident.pk)

    values = {
        "=fy_year": str(fy.year),
        "=fy_version": fy.version,
        "=price_list": str(price_list.pk),
        "=today": timezone.localdate().isoformat(),
    }
    return World(users, objects, values, markers)


# --- requests ----------------------------------------------------------------------------


def writes() -> dict[str, int]:
    """Rows inserted, updated or deleted per table in this transaction so far.

    PostgreSQL's per-transaction counters keep counting what a rolled-back savepoint
    wrote, so comparing them before and after a request shows any write it made, even
    one that put back the same values: stricter than comparing the tables' contents.
    """
    with connection.cursor() as cur:
        cur.execute(
            "SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables"
        )
        return {t: n for t, n in cur.fetchall() if n and not t.startswith(DIGEST_SKIP)}


@dataclass
class Case:
    route: Route
    url: str
    kinds: tuple[str, ...]  # the world's objects in the URL


def cases(world: World, part: set[int] | None = None) -> tuple[list[Case], list[str]]:
    """The URLs of every covered route, or of the routes of one part (matrix_parts)."""
    out, unmapped = [], []
    for i, route in enumerate(routes()):
        if not covered(route) or (part is not None and i not in part):
            continue
        choices = []
        for kwarg in route.kwargs:
            if kwarg in route.defaults:
                continue
            fills = fill_for(route, kwarg)
            if not fills:
                unmapped.append(f"{route.name} <{kwarg}>")
                break
            choices.append([(kwarg, f) for f in fills])
        else:
            for combo in itertools.product(*choices):
                kwargs, kinds = {}, []
                for kwarg, f in combo:
                    if f.startswith("="):
                        kwargs[kwarg] = world.values.get(f, f[1:])
                    else:
                        kwargs[kwarg] = str(world.objects[f])
                        kinds.append(f)
                url = reverse(
                    route.name,
                    kwargs={
                        **kwargs,
                        **{k: v for k, v in route.defaults.items() if k in route.kwargs},
                    },
                )
                out.append(Case(route, url, tuple(kinds)))
    return out, unmapped


def allowed(case: Case, persona: str) -> bool:
    name = case.route.name
    if case.kinds:
        return all(persona in VIEW[k] for k in case.kinds)
    if name in GATES:
        return persona in GATES[name]
    if name in LOGIN_ONLY:
        return persona != ANON
    return True


def refused(response) -> bool:
    if response.status_code in REFUSED:
        return True
    return response.status_code == 302 and reverse("accounts:login") in response.get("Location", "")


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = set()

    def handle_starttag(self, tag, attrs):
        for key, value in attrs:
            if key in ("href", "hx-get", "action") and value:
                self.hrefs.add(value)


def links(response) -> set[str]:
    ctype = response.get("Content-Type", "")
    if response.streaming or not ctype.startswith("text/html"):
        found = set()
        if "json" in ctype or "xml" in ctype or "csv" in ctype:
            found = set(
                re.findall(r"(/[a-z-]+/[^\s\"'<>,]+)", response.content.decode("utf-8", "replace"))
            )
        return found
    parser = Links()
    parser.feed(response.content.decode("utf-8", "replace"))
    return parser.hrefs


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


@pytest.fixture
def world(make_citizen, make_staff, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    return build_world(make_citizen, make_staff)


def test_every_url_is_mapped():
    """A new URL needs an access rule (PUBLIC, LOGIN_ONLY, GATES or OBJECT_PAGES) and a
    FILL for each parameter."""
    unnamed, unruled, unfilled = [], [], []
    for route in routes():
        if not covered(route):
            continue
        if not route.name or route.name.endswith(":"):
            unnamed.append(str(route.pattern.pattern))
            continue
        if route.name not in PUBLIC | LOGIN_ONLY | set(GATES) | OBJECT_PAGES:
            unruled.append(route.name)
        for kwarg in route.kwargs:
            if kwarg not in route.defaults and not fill_for(route, kwarg):
                unfilled.append(f"{route.name} <{kwarg}>")
    assert not unnamed, f"URL patterns without a name: {unnamed}"
    assert not unfilled, f"URL parameters the matrix cannot fill (add them to FILL): {unfilled}"
    assert not unruled, f"URL names without an access rule in this test: {unruled}"


def test_matrix_parts_cover_every_url():
    """The parts of the matrix together are the whole matrix: every covered route in
    exactly one part, and no part empty."""
    parts = matrix_parts()
    assert all(parts), parts
    placed = sorted(i for part in parts for i in part)
    assert placed == [i for i, r in enumerate(routes()) if covered(r)]


@pytest.mark.parametrize(
    "part", range(MATRIX_PARTS), ids=[f"part{k + 1}of{MATRIX_PARTS}" for k in range(MATRIX_PARTS)]
)
def test_role_url_matrix(world, part, record_property):
    all_cases, unmapped = cases(world, matrix_parts()[part])
    assert not unmapped, f"URL parameters the matrix cannot fill (add them to FILL): {unmapped}"
    for case in all_cases:
        if case.route.name in OBJECT_PAGES:
            assert case.kinds, f"{case.route.name} is an object page but got no object"
    clients = {}
    for name, user in world.users.items():
        c = Client(raise_request_exception=False)
        if user is not None:
            c.force_login(user)
        clients[name] = c
    problems: list[str] = []
    detail_seen: dict[tuple[str, str], bool] = {}
    counter = {"requests": 0}

    def request(persona, method, url, retry=True):
        counter["requests"] += 1
        user, client = world.users[persona], clients[persona]
        if user is not None and "_auth_user_id" not in client.session:
            client.force_login(user)  # the logout URL ended the session
        before = writes() if method == "post" else None
        with transaction.atomic():
            response = getattr(client, method)(url)
            content = body(response)
            transaction.set_rollback(True)
        changed = []
        if before is not None:
            after = writes()
            changed = sorted(t for t in after if after[t] != before.get(t, 0))
        if response.status_code == 429 and retry:  # the API's rate limit, not under test
            cache.clear()
            return request(persona, method, url, retry=False)
        return response, changed, content

    def check_markers(persona, url, content):
        for kind, text in world.markers.items():
            if persona not in VIEW[kind] and text in content:
                problems.append(f"{persona} GET {url}: shows {kind} ({text})")

    def follow(persona, page_url, response):
        for href in links(response):
            path = urlsplit(href).path
            if not path.startswith("/"):
                continue
            try:
                match = resolve(path)
            except Resolver404:
                continue
            if match.view_name not in DETAIL_PAGES:
                continue
            key = (persona, path)
            if key not in detail_seen:
                r, _c, _b = request(persona, "get", path)
                detail_seen[key] = refused(r) or r.status_code >= 400
            if detail_seen[key]:
                problems.append(f"{persona} GET {page_url}: lists {path}, which it is refused")

    for case in all_cases:
        for persona in world.users:
            may = allowed(case, persona)
            for method in ("get", "post"):
                response, changed, content = request(persona, method, case.url)
                status = response.status_code
                where = f"{persona} {method.upper()} {case.url} ({case.route.name})"
                if status >= 500:
                    problems.append(f"{where}: {status}")
                    continue
                if not may and not refused(response):
                    problems.append(f"{where}: {status}, expected a refusal")
                if method == "post" and changed and (not may or status >= 400):
                    problems.append(f"{where}: {status} but it wrote to {changed}")
                if method == "get":
                    if may and case.route.name in DETAIL_PAGES and status != 200:
                        problems.append(f"{where}: {status}, expected the page")
                    check_markers(persona, case.url, content)
                    if status == 200:
                        follow(persona, case.url, response)
    names = sorted({c.route.name for c in all_cases})
    print(
        f"access matrix part {part + 1}/{MATRIX_PARTS}: {len(names)} URL names, "
        f"{len(all_cases)} URLs × {len(world.users)} personas × 2 methods, "
        f"{counter['requests']} requests"
    )
    # conftest.py's terminal summary adds the parts up into the line of the whole matrix
    record_property(
        "access_matrix",
        {
            "part": part,
            "names": names,
            "urls": len(all_cases),
            "personas": len(world.users),
            "requests": counter["requests"],
        },
    )
    # By URL name first, so a truncated CI log still names every failing page.
    by_route = collections.Counter(re.search(r"\(([\w:-]+)\)", p)[1] for p in problems if "(" in p)
    summary = "\n".join(f"  {n} × {name}" for name, n in by_route.most_common())
    assert not problems, f"{len(problems)} problems by URL name:\n{summary}\n" + "\n".join(
        problems[:80]
    )
