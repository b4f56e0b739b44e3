"""Demo accounts: one for every role. Marked `is_demo`; logins listed in the README."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import timezone

from binjai_portal.core.models import Region
from binjai_portal.core.regions import kecamatan_list, village_list

from . import roles
from .models import Unit, User
from .nik import nik_compose
from .units import DATA_DIR, units_load

DEMO_PASSWORD = "Binjai2026!"

# Stand-ins for the office and facility units of the demo kelurahan, resolved by seed():
# every region has its own codes (see demo_kelurahan()).
DEMO_KELURAHAN_UNIT = "@kelurahan"
DEMO_KECAMATAN_UNIT = "@kecamatan"
DEMO_FACILITY_UNIT = "@faskes"
# The demo users live in this kelurahan where it exists (Kel. Berngam, Kota Binjai);
# elsewhere in the region's first kelurahan or desa by code.
PREFERRED_KELURAHAN = "12.75.02.1001"
# Agencies (OPD) by the generic regional nomenclature (PP 18/2016), for a region whose
# units file (data/units_<code>.csv) is not written yet: all demo.
DEMO_AGENCIES = [
    ("bappeda", "Badan Perencanaan Pembangunan Daerah", "Bappeda"),
    ("dpmptsp", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "DPMPTSP"),
    ("dinkes", "Dinas Kesehatan", "Dinkes"),
    ("dpupr", "Dinas Pekerjaan Umum dan Penataan Ruang", "DPUPR"),
    ("perkim", "Dinas Perumahan dan Kawasan Permukiman", "Perkim"),
    ("dlh", "Dinas Lingkungan Hidup", "DLH"),
    ("dishub", "Dinas Perhubungan", "Dishub"),
    ("diskominfo", "Dinas Komunikasi dan Informatika", "Diskominfo"),
    ("disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil"),
    ("dinsos", "Dinas Sosial", "Dinsos"),
    ("disdik", "Dinas Pendidikan", "Disdik"),
    ("bpkad", "Badan Pengelolaan Keuangan dan Aset Daerah", "BPKAD"),
    ("inspektorat", "Inspektorat Daerah", "Inspektorat"),
    ("satpolpp", "Satuan Polisi Pamong Praja", "Satpol PP"),
    ("bpbd", "Badan Penanggulangan Bencana Daerah", "BPBD"),
]

# (serial, name, sex, birth, role, unit code, phone, e-mail local part)
DEMO_USERS = [
    (
        9001,
        "Siti Demo Warga",
        "P",
        "1990-03-12",
        roles.WARGA,
        None,
        "+6281200009001",
        "warga",
    ),
    (
        9002,
        "Rudi Demo Kelurahan",
        "L",
        "1985-07-04",
        roles.PETUGAS_KELURAHAN,
        DEMO_KELURAHAN_UNIT,
        "+6281200009002",
        "kelurahan",
    ),
    (
        9003,
        "Maya Demo Kecamatan",
        "P",
        "1983-11-21",
        roles.PETUGAS_KECAMATAN,
        DEMO_KECAMATAN_UNIT,
        "+6281200009003",
        "kecamatan",
    ),
    (
        9004,
        "Bambang Demo Bappeda",
        "L",
        "1979-01-15",
        roles.BAPPEDA,
        "bappeda",
        "+6281200009004",
        "bappeda",
    ),
    (
        9005,
        "Dewi Demo OPD",
        "P",
        "1988-05-30",
        roles.PETUGAS_OPD,
        "dpupr",
        "+6281200009005",
        "opd",
    ),
    (
        9006,
        "Hendra Demo Moderator",
        "L",
        "1991-09-09",
        roles.MODERATOR_PENGADUAN,
        "diskominfo",
        "+6281200009006",
        "moderator",
    ),
    (
        9007,
        "Nurul Demo Puskesmas",
        "P",
        "1992-12-01",
        roles.PETUGAS_PUSKESMAS,
        DEMO_FACILITY_UNIT,
        "+6281200009007",
        "puskesmas",
    ),
    (
        9008,
        "Agus Demo Verifikator",
        "L",
        "1987-02-17",
        roles.DPMPTSP_VERIFIKATOR,
        "dpmptsp",
        "+6281200009008",
        "verifikator",
    ),
    (
        9009,
        "Fajar Demo Surveyor",
        "L",
        "1990-06-25",
        roles.DPMPTSP_SURVEYOR,
        "dpmptsp",
        "+6281200009009",
        "surveyor",
    ),
    (
        9010,
        "Lestari Demo Kepala DPMPTSP",
        "P",
        "1975-10-10",
        roles.DPMPTSP_KEPALA,
        "dpmptsp",
        "+6281200009010",
        "kepala.dpmptsp",
    ),
    (
        9011,
        "Yusuf Demo TAPD",
        "L",
        "1978-04-02",
        roles.TAPD,
        "bpkad",
        "+6281200009011",
        "tapd",
    ),
    (
        9012,
        "Ratna Demo Pimpinan",
        "P",
        "1970-08-17",
        roles.PIMPINAN,
        None,
        "+6281200009012",
        "pimpinan",
    ),
    (
        9013,
        "Admin Demo Portal",
        "L",
        "1986-03-03",
        roles.ADMINISTRATOR,
        "diskominfo",
        "+6281200009013",
        "admin",
    ),
    # More agency officers, so that complaints and permits of other agencies move too.
    (
        9014,
        "Indah Demo Dinkes",
        "P",
        "1989-04-14",
        roles.PETUGAS_OPD,
        "dinkes",
        "+6281200009014",
        "dinkes",
    ),
    (
        9015,
        "Joko Demo Satpol PP",
        "L",
        "1984-10-20",
        roles.PETUGAS_OPD,
        "satpolpp",
        "+6281200009015",
        "satpolpp",
    ),
    (
        9016,
        "Sari Demo DLH",
        "P",
        "1993-01-08",
        roles.PETUGAS_OPD,
        "dlh",
        "+6281200009016",
        "dlh",
    ),
    (
        9017,
        "Tono Demo DPMPTSP Teknis",
        "L",
        "1982-06-11",
        roles.PETUGAS_OPD,
        "dpmptsp",
        "+6281200009017",
        "teknis.dpmptsp",
    ),
    (
        9018,
        "Wati Demo Pengamat",
        "P",
        "1987-09-23",
        roles.PENGAMAT,
        None,
        "+6281200009018",
        "pengamat",
    ),
    (
        9019,
        "Operator Demo Wallboard",
        "L",
        "1991-12-12",
        roles.WALLBOARD,
        "diskominfo",
        "+6281200009019",
        "wallboard",
    ),
    (
        9020,
        "Lestari Demo Pejabat PDP",
        "P",
        "1985-04-21",
        roles.PEJABAT_PDP,
        "diskominfo",
        "+6281200009020",
        "pdp",
    ),
    (
        9040,
        "Rahmat Demo Bendahara",
        "L",
        "1984-03-21",
        roles.BENDAHARA_PENERIMAAN,
        None,  # city-wide; a unit here would stand in for that unit's demo officer
        "+6281200009040",
        "bendahara",
    ),
]


def demo_kelurahan() -> Region | None:
    """The kelurahan the demo users live in (and whose offices the demo officers staff)."""
    return (
        Region.objects.filter(code=PREFERRED_KELURAHAN).first()
        or village_list().order_by("code").first()
    )


def demo_facility_code() -> str:
    """Internal code of the demo puskesmas the demo clinic officer works at."""
    kelurahan = demo_kelurahan()
    kecamatan = kelurahan.parent if kelurahan else None
    facilities = Unit.objects.filter(kind=Unit.Kind.FASKES, is_demo=True).order_by("code")
    return (
        facilities.filter(region=kecamatan).values_list("code", flat=True).first()
        or facilities.values_list("code", flat=True).first()
        or ""
    )


def _demo_units(log) -> None:
    """Agencies and one puskesmas per kecamatan, all marked demo, for a region that has
    no units file yet; the real list replaces them through the admin or that file."""
    if (DATA_DIR / f"units_{settings.REGION_CODE}.csv").exists():
        return
    region = Region.objects.filter(code=settings.REGION_CODE).first()
    created = 0
    for code, name, short in DEMO_AGENCIES:
        _, made = Unit.objects.get_or_create(
            code=code,
            defaults={
                "kind": Unit.Kind.OPD,
                "name": name,
                "short_name": short,
                "region": region,
                "is_demo": True,
            },
        )
        created += made
    for kecamatan in kecamatan_list().order_by("code"):
        _, made = Unit.objects.get_or_create(
            code=f"puskesmas-demo-{kecamatan.code.replace('.', '-')}",
            defaults={
                "kind": Unit.Kind.FASKES,
                "name": f"Puskesmas Demo {kecamatan.name}",
                "region": kecamatan,
                "is_demo": True,
            },
        )
        created += made
    log(f"demo units (no units file for {settings.REGION_CODE}): {created} created")


def seed(log) -> None:
    r = units_load()
    log(f"units: {r.created} created, {r.updated} updated, {r.unchanged} unchanged")
    _demo_units(log)
    kelurahan = demo_kelurahan()
    kecamatan = kelurahan.parent if kelurahan else None
    stand_ins = {
        DEMO_KELURAHAN_UNIT: f"kelurahan-{kelurahan.code.replace('.', '-')}" if kelurahan else "",
        DEMO_KECAMATAN_UNIT: f"kecamatan-{kecamatan.code.replace('.', '-')}" if kecamatan else "",
        DEMO_FACILITY_UNIT: demo_facility_code(),
    }
    # NIK digits 1-6: the kecamatan of issue (12.75.02 -> 127502).
    region6 = kecamatan.code.replace(".", "") if kecamatan else "127502"
    units = {u.code: u for u in Unit.objects.all()}
    groups = {g.name: g for g in Group.objects.all()}
    created = 0
    for serial, name, sex, birth, role, unit_code, phone, email in DEMO_USERS:
        birth_date = datetime.date.fromisoformat(birth)
        nik = nik_compose(region6=region6, birth_date=birth_date, sex=sex, serial=serial)
        if User.objects.filter(nik=nik).exists():
            continue
        unit_code = stand_ins.get(unit_code, unit_code)
        user = User.objects.create_user(
            nik,
            DEMO_PASSWORD,
            full_name=name,
            birth_date=birth_date,
            sex=sex,
            phone=phone,
            email=f"{email}@{settings.DEMO_EMAIL_DOMAIN}",
            email_verified=True,
            phone_verified_at=timezone.now(),
            kelurahan=kelurahan,
            address="Jl. Demo No. 1",
            rt="001",
            rw="002",
            unit=units.get(unit_code) if unit_code else None,
            is_staff=roles.role_of(role).is_staff,
            is_superuser=role == roles.ADMINISTRATOR,
            is_demo=True,
        )
        user.groups.add(groups[role])
        created += 1
    log(f"demo users: {created} created (password {DEMO_PASSWORD})")
