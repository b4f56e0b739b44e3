"""Demo complaints: realistic categories of a city and ~60 tickets in every state.

Idempotent: categories are matched by code; tickets are created only when no demo
ticket exists yet. Everything created is marked as demo.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from binjai_portal.accounts import roles
from binjai_portal.accounts import services as account_services
from binjai_portal.accounts.demo import demo_kelurahan
from binjai_portal.accounts.models import Unit, User
from binjai_portal.accounts.nik import nik_compose
from binjai_portal.core.regions import village_list

from . import services
from .models import Category, Ticket

PASSWORD = "Binjai2026!"

# code, name, agency, SLA working days, location required, group, description, titles
CATEGORIES = [
    (
        "jalan-rusak",
        "Jalan rusak atau berlubang",
        "dpupr",
        10,
        True,
        "Infrastruktur",
        "Jalan kota berlubang, amblas atau aspal mengelupas.",
        ["Jalan berlubang dekat sekolah", "Aspal amblas setelah hujan", "Jalan rusak parah"],
    ),
    (
        "drainase",
        "Drainase tersumbat",
        "dpupr",
        7,
        True,
        "Infrastruktur",
        "Parit dan saluran air tersumbat atau meluap.",
        ["Parit tersumbat sampah", "Saluran air meluap ke jalan", "Gorong-gorong runtuh"],
    ),
    (
        "lampu-jalan",
        "Lampu penerangan jalan mati",
        "dishub",
        5,
        True,
        "Infrastruktur",
        "Lampu penerangan jalan umum (PJU) mati atau berkedip.",
        ["Lampu jalan mati sepanjang 200 m", "PJU berkedip di persimpangan"],
    ),
    (
        "sampah",
        "Sampah tidak diangkut",
        "dlh",
        3,
        True,
        "Lingkungan",
        "Sampah rumah tangga tidak diangkut sesuai jadwal atau TPS liar.",
        ["Sampah menumpuk tiga hari", "TPS liar di pinggir sungai", "Truk sampah tidak datang"],
    ),
    (
        "pohon-tumbang",
        "Pohon tumbang atau rawan tumbang",
        "bpbd",
        2,
        True,
        "Kebencanaan",
        "Pohon tumbang menghalangi jalan atau rawan tumbang.",
        ["Pohon tumbang menutup jalan", "Dahan besar rawan patah"],
    ),
    (
        "banjir",
        "Genangan atau banjir",
        "bpbd",
        2,
        True,
        "Kebencanaan",
        "Genangan air atau banjir di permukiman.",
        ["Genangan setinggi lutut", "Banjir masuk rumah warga"],
    ),
    (
        "pkl-liar",
        "Pedagang atau parkir liar",
        "satpolpp",
        5,
        True,
        "Ketertiban",
        "Pedagang kaki lima di trotoar atau parkir liar yang mengganggu.",
        ["PKL menutup trotoar", "Parkir liar di depan pasar"],
    ),
    (
        "adminduk",
        "Layanan KTP/KK lambat",
        "disdukcapil",
        5,
        False,
        "Pelayanan publik",
        "Keterlambatan layanan administrasi kependudukan.",
        ["KTP-el belum jadi dua bulan", "Antrean KK terlalu lama"],
    ),
    (
        "layanan-kesehatan",
        "Pelayanan puskesmas",
        "dinkes",
        5,
        False,
        "Pelayanan publik",
        "Keluhan pelayanan di puskesmas dan fasilitas kesehatan kota.",
        ["Dokter tidak ada saat jam praktik", "Obat kosong di puskesmas"],
    ),
    (
        "pungli",
        "Pungutan liar / pelanggaran petugas",
        "inspektorat",
        10,
        False,
        "Integritas",
        "Dugaan pungutan liar atau pelanggaran oleh petugas (laporan rahasia).",
        ["Diminta uang untuk surat keterangan", "Biaya tambahan di loket"],
    ),
]

# target state: count (60 in all)
PLAN = [
    ("submitted", 8),
    ("verified", 4),
    ("rejected", 3),
    ("merged", 2),
    ("assigned", 9),
    ("in_progress", 10),
    ("need_info", 4),
    ("resolved", 8),
    ("closed", 12),
]


def _region6() -> str:
    """NIK digits 1-6 of the demo citizens: the demo kelurahan's kecamatan (127502)."""
    kelurahan = demo_kelurahan()
    return kelurahan.parent.code.replace(".", "") if kelurahan else "127502"


def _person(serial, name, sex, birth, kelurahan, *, role=None, unit=None):
    birth = datetime.date.fromisoformat(birth)
    nik = nik_compose(region6=_region6(), birth_date=birth, sex=sex, serial=serial)
    user = User.objects.filter(nik=nik).first()
    if user is None:
        user = account_services.user_register(
            nik=nik,
            full_name=name,
            birth_date=birth,
            sex=sex,
            phone=f"+62812000{serial:05d}",
            password=PASSWORD,
            kelurahan=kelurahan,
            email=f"demo{serial}@{settings.DEMO_EMAIL_DOMAIN}",
        )
        user.is_demo = True
        user.save(update_fields=["is_demo"])
    if role and not user.has_role(role):
        account_services.staff_assign(user=user, role_slugs=[role], unit=unit)
        user = User.objects.get(pk=user.pk)  # role_slugs is cached on the old instance
    return user


def seed(log) -> None:
    units = {u.code: u for u in Unit.objects.filter(kind=roles.OPD)}
    missing = {c[2] for c in CATEGORIES} - set(units)
    if missing:
        log(f"masyarakat: units missing {sorted(missing)}; run load_units first")
        return
    categories = []
    for code, name, agency, sla, loc, group, desc, titles in CATEGORIES:
        category, _ = Category.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "agency": units[agency],
                "sla_days": sla,
                "location_required": loc,
                "group": group,
                "description": desc,
                "keywords": code.replace("-", ","),
                "is_demo": True,
            },
        )
        categories.append((category, titles))
    log(f"masyarakat: {len(categories)} categories")
    if Ticket.objects.filter(is_demo=True).exists():
        log("masyarakat: demo tickets already there")
        return
    with transaction.atomic():
        _seed_tickets(categories, units, log)


def _seed_tickets(categories, units, log) -> None:
    villages = list(village_list())
    moderator = (
        User.objects.filter(groups__name=roles.MODERATOR_PENGADUAN, is_active=True)
        .order_by("pk")
        .first()
    )
    if moderator is None or not villages:
        log("masyarakat: no moderator or regions; skipped tickets")
        return
    officers = {}
    for i, code in enumerate(sorted({c.agency.code for c, _ in categories})):
        officer = (
            User.objects.filter(groups__name=roles.PETUGAS_OPD, unit__code=code, is_active=True)
            .order_by("pk")
            .first()
        )
        officers[code] = officer or _person(
            9520 + i,
            f"Petugas Demo {units[code].short_name or code}",
            "L",
            "1986-02-02",
            villages[0],
            role=roles.PETUGAS_OPD,
            unit=units[code],
        )
    citizens = [User.objects.filter(is_demo=True, groups__name=roles.WARGA).order_by("pk").first()]
    citizens += [
        _person(9501 + i, name, sex, birth, villages[(i * 7) % len(villages)])
        for i, (name, sex, birth) in enumerate(
            [
                ("Ahmad Demo Pelapor", "L", "1984-04-14"),
                ("Rina Demo Pelapor", "P", "1995-09-23"),
                ("Joko Demo Pelapor", "L", "1979-12-05"),
            ]
        )
    ]
    citizens = [c for c in citizens if c]
    rng = random.Random(1275)
    today = timezone.localdate()
    states = [s for s, n in PLAN for _ in range(n)]
    made = []
    for i, state in enumerate(states):
        category, titles = categories[i % len(categories)]
        reporter = citizens[i % len(citizens)]
        village = villages[(i * 5) % len(villages)]
        age = 2 + (i * 37) % 55  # days ago
        created = timezone.now() - datetime.timedelta(days=age, hours=rng.randint(0, 9))
        lat = Decimal(f"{3.565 + rng.random() * 0.075:.6f}")
        lng = Decimal(f"{98.455 + rng.random() * 0.06:.6f}")
        ticket = services.ticket_create(
            reporter=reporter,
            category=category,
            title=titles[i % len(titles)],
            description=f"{titles[i % len(titles)]} di {village.name}. Mohon segera ditindak.",
            kelurahan=village,
            address=f"Jl. Demo No. {i + 1}, {village.name}",
            lat=None if category.code in ("pungli", "adminduk") else lat,
            lng=None if category.code in ("pungli", "adminduk") else lng,
            show_name=i % 3 == 0,
            confidential=category.code == "pungli",
            is_demo=True,
            created_at=created,
        )
        made.append(ticket)
        _advance(
            ticket,
            state,
            moderator=moderator,
            officer=officers[category.agency.code],
            reporter=reporter,
            age=age,
            today=today,
            made=made,
            index=i,
        )
    log(f"masyarakat: {len(made)} demo tickets")


def _advance(t, state, *, moderator, officer, reporter, age, today, made, index):
    if state == "submitted":
        return
    if state == "rejected":
        services.ticket_reject(
            ticket=t,
            moderator=moderator,
            reason=f"Bukan kewenangan Pemerintah {settings.REGION_NAME}.",
        )
        return
    if state == "merged":
        target = next(
            (
                m
                for m in made
                if m.status in ("verified", *Ticket.WORKING_STATES)
                and m.confidential == t.confidential
                and m.pk != t.pk
            ),
            None,
        )
        if target is not None:
            services.ticket_merge(ticket=t, moderator=moderator, into=target)
        return
    services.ticket_verify(ticket=t, moderator=moderator)
    if state == "verified":
        return
    # Assigned some days ago: the oldest ones are overdue.
    assigned_on = today - datetime.timedelta(days=max(age - 1, 0))
    services.ticket_assign(ticket=t, moderator=moderator, today=assigned_on)
    if state == "assigned":
        return
    services.ticket_start(ticket=t, officer=officer, note="Tim sudah dijadwalkan ke lokasi.")
    if state == "in_progress":
        return
    if state == "need_info":
        services.ticket_ask_info(
            ticket=t,
            officer=officer,
            question="Mohon kirim foto lokasi yang lebih jelas.",
            today=today,
        )
        return
    services.ticket_resolve(
        ticket=t,
        officer=officer,
        today=today,
        response="Sudah ditangani oleh tim lapangan. Terima kasih.",
    )
    if state == "closed":
        services.ticket_close(
            ticket=t, reporter=reporter, rating=3 + index % 3, comment="Penanganan cukup cepat."
        )
