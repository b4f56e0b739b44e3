"""Demo accounts: one for every role. Marked `is_demo`; logins listed in the README."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import Group
from django.utils import timezone

from binjai_portal.core.models import Region

from . import roles
from .models import Unit, User
from .nik import nik_compose
from .units import units_load

DEMO_PASSWORD = "Binjai2026!"

# (serial, name, sex, birth, role, unit code, phone, e-mail)
DEMO_USERS = [
    (
        9001,
        "Siti Demo Warga",
        "P",
        "1990-03-12",
        roles.WARGA,
        None,
        "+6281200009001",
        "warga@demo.binjaikota.go.id",
    ),
    (
        9002,
        "Rudi Demo Kelurahan",
        "L",
        "1985-07-04",
        roles.PETUGAS_KELURAHAN,
        "kelurahan-12-75-02-1001",
        "+6281200009002",
        "kelurahan@demo.binjaikota.go.id",
    ),
    (
        9003,
        "Maya Demo Kecamatan",
        "P",
        "1983-11-21",
        roles.PETUGAS_KECAMATAN,
        "kecamatan-12-75-02",
        "+6281200009003",
        "kecamatan@demo.binjaikota.go.id",
    ),
    (
        9004,
        "Bambang Demo Bappeda",
        "L",
        "1979-01-15",
        roles.BAPPEDA,
        "bappeda",
        "+6281200009004",
        "bappeda@demo.binjaikota.go.id",
    ),
    (
        9005,
        "Dewi Demo OPD",
        "P",
        "1988-05-30",
        roles.PETUGAS_OPD,
        "dpupr",
        "+6281200009005",
        "opd@demo.binjaikota.go.id",
    ),
    (
        9006,
        "Hendra Demo Moderator",
        "L",
        "1991-09-09",
        roles.MODERATOR_PENGADUAN,
        "diskominfo",
        "+6281200009006",
        "moderator@demo.binjaikota.go.id",
    ),
    (
        9007,
        "Nurul Demo Puskesmas",
        "P",
        "1992-12-01",
        roles.PETUGAS_PUSKESMAS,
        "puskesmas-demo-kota",
        "+6281200009007",
        "puskesmas@demo.binjaikota.go.id",
    ),
    (
        9008,
        "Agus Demo Verifikator",
        "L",
        "1987-02-17",
        roles.DPMPTSP_VERIFIKATOR,
        "dpmptsp",
        "+6281200009008",
        "verifikator@demo.binjaikota.go.id",
    ),
    (
        9009,
        "Fajar Demo Surveyor",
        "L",
        "1990-06-25",
        roles.DPMPTSP_SURVEYOR,
        "dpmptsp",
        "+6281200009009",
        "surveyor@demo.binjaikota.go.id",
    ),
    (
        9010,
        "Lestari Demo Kepala DPMPTSP",
        "P",
        "1975-10-10",
        roles.DPMPTSP_KEPALA,
        "dpmptsp",
        "+6281200009010",
        "kepala.dpmptsp@demo.binjaikota.go.id",
    ),
    (
        9011,
        "Yusuf Demo TAPD",
        "L",
        "1978-04-02",
        roles.TAPD,
        "bpkad",
        "+6281200009011",
        "tapd@demo.binjaikota.go.id",
    ),
    (
        9012,
        "Ratna Demo Pimpinan",
        "P",
        "1970-08-17",
        roles.PIMPINAN,
        None,
        "+6281200009012",
        "pimpinan@demo.binjaikota.go.id",
    ),
    (
        9013,
        "Admin Demo Portal",
        "L",
        "1986-03-03",
        roles.ADMINISTRATOR,
        "diskominfo",
        "+6281200009013",
        "admin@demo.binjaikota.go.id",
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
        "dinkes@demo.binjaikota.go.id",
    ),
    (
        9015,
        "Joko Demo Satpol PP",
        "L",
        "1984-10-20",
        roles.PETUGAS_OPD,
        "satpolpp",
        "+6281200009015",
        "satpolpp@demo.binjaikota.go.id",
    ),
    (
        9016,
        "Sari Demo DLH",
        "P",
        "1993-01-08",
        roles.PETUGAS_OPD,
        "dlh",
        "+6281200009016",
        "dlh@demo.binjaikota.go.id",
    ),
    (
        9017,
        "Tono Demo DPMPTSP Teknis",
        "L",
        "1982-06-11",
        roles.PETUGAS_OPD,
        "dpmptsp",
        "+6281200009017",
        "teknis.dpmptsp@demo.binjaikota.go.id",
    ),
    (
        9018,
        "Wati Demo Pengamat",
        "P",
        "1987-09-23",
        roles.PENGAMAT,
        None,
        "+6281200009018",
        "pengamat@demo.binjaikota.go.id",
    ),
    (
        9019,
        "Operator Demo Wallboard",
        "L",
        "1991-12-12",
        roles.WALLBOARD,
        "diskominfo",
        "+6281200009019",
        "wallboard@demo.binjaikota.go.id",
    ),
    (
        9020,
        "Lestari Demo Pejabat PDP",
        "P",
        "1985-04-21",
        roles.PEJABAT_PDP,
        "diskominfo",
        "+6281200009020",
        "pdp@demo.binjaikota.go.id",
    ),
    (
        9040,
        "Rahmat Demo Bendahara",
        "L",
        "1984-03-21",
        roles.BENDAHARA_PENERIMAAN,
        None,  # city-wide; a unit here would stand in for that unit's demo officer
        "+6281200009040",
        "bendahara@demo.binjaikota.go.id",
    ),
]


def seed(log) -> None:
    r = units_load()
    log(f"units: {r.created} created, {r.updated} updated, {r.unchanged} unchanged")
    kelurahan = Region.objects.filter(code="12.75.02.1001").first()
    units = {u.code: u for u in Unit.objects.all()}
    groups = {g.name: g for g in Group.objects.all()}
    created = 0
    for serial, name, sex, birth, role, unit_code, phone, email in DEMO_USERS:
        birth_date = datetime.date.fromisoformat(birth)
        nik = nik_compose(region6="127502", birth_date=birth_date, sex=sex, serial=serial)
        if User.objects.filter(nik=nik).exists():
            continue
        user = User.objects.create_user(
            nik,
            DEMO_PASSWORD,
            full_name=name,
            birth_date=birth_date,
            sex=sex,
            phone=phone,
            email=email,
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
