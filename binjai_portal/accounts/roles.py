"""Staff roles: Django groups (created by a data migration) and the unit each works in.

A role is either city-wide or bound to a unit of a given kind; a staff member sees
and acts only within their unit unless the role is city-wide.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

# Unit kinds (kept here so roles and units agree on them).
OPD, KECAMATAN, KELURAHAN, FASKES = "opd", "kecamatan", "kelurahan", "faskes"

WARGA = "warga"
PETUGAS_KELURAHAN = "petugas_kelurahan"
PETUGAS_KECAMATAN = "petugas_kecamatan"
BAPPEDA = "bappeda"
PETUGAS_OPD = "petugas_opd"
MODERATOR_PENGADUAN = "moderator_pengaduan"
PETUGAS_PUSKESMAS = "petugas_puskesmas"
DPMPTSP_VERIFIKATOR = "dpmptsp_verifikator"
DPMPTSP_SURVEYOR = "dpmptsp_surveyor"
DPMPTSP_KEPALA = "dpmptsp_kepala"
TAPD = "tapd"
PIMPINAN = "pimpinan"
PENGAMAT = "pengamat"  # read-only observer of the command center
WALLBOARD = "wallboard"  # the command room's big display
ADMINISTRATOR = "administrator"
PEJABAT_PDP = "pejabat_pdp"  # data protection officer (UU 27/2022 Pasal 53)
BENDAHARA_PENERIMAAN = "bendahara_penerimaan"  # receives levies at the cashier, reconciles


@dataclass(frozen=True)
class Role:
    slug: str  # the Django group's name
    label: object
    unit_kind: str | None  # None: city-wide
    permissions: tuple[str, ...] = ()  # "app_label.codename"
    is_staff: bool = True


ROLES: tuple[Role, ...] = (
    Role(WARGA, _("Warga"), None, is_staff=False),
    Role(PETUGAS_KELURAHAN, _("Petugas kelurahan"), KELURAHAN),
    Role(PETUGAS_KECAMATAN, _("Petugas kecamatan"), KECAMATAN),
    Role(BAPPEDA, _("Bappeda"), None),
    Role(PETUGAS_OPD, _("Petugas OPD"), OPD),
    Role(MODERATOR_PENGADUAN, _("Moderator pengaduan"), None, ("accounts.view_full_nik",)),
    Role(PETUGAS_PUSKESMAS, _("Petugas puskesmas"), FASKES, ("accounts.view_full_nik",)),
    Role(DPMPTSP_VERIFIKATOR, _("DPMPTSP verifikator"), None, ("accounts.view_full_nik",)),
    Role(DPMPTSP_SURVEYOR, _("DPMPTSP surveyor"), None),
    Role(DPMPTSP_KEPALA, _("Kepala DPMPTSP"), None, ("accounts.view_full_nik",)),
    Role(TAPD, _("TAPD"), None),
    Role(PIMPINAN, _("Pimpinan"), None),
    Role(PENGAMAT, _("Pengamat (hanya baca)"), None),
    Role(WALLBOARD, _("Layar dinding command center"), None),
    Role(PEJABAT_PDP, _("Pejabat Pelindungan Data Pribadi"), None, ("privacy.act_as_dpo",)),
    Role(BENDAHARA_PENERIMAAN, _("Bendahara penerimaan"), None),
    Role(
        ADMINISTRATOR,
        _("Administrator"),
        None,
        (
            "accounts.view_full_nik",
            "accounts.view_user",
            "accounts.change_user",
            "accounts.view_unit",
            "accounts.add_unit",
            "accounts.change_unit",
            "core.view_region",
        ),
    ),
)
ROLE_BY_SLUG = {r.slug: r for r in ROLES}


def role_of(slug: str) -> Role:
    return ROLE_BY_SLUG[slug]


def roles_sync(*, apps=None, using: str = "default") -> None:
    """Make sure every role's group exists with its permissions. Idempotent.

    Runs in the data migration and after every `migrate` (post_migrate), so that a
    permission added by a later app reaches its roles, and after a test flush.
    """
    if apps is None:
        from django.apps import apps
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    wanted = {tuple(p.split(".")) for role in ROLES for p in role.permissions}
    perms = {
        (p.content_type.app_label, p.codename): p
        for p in Permission.objects.using(using)
        .select_related("content_type")
        .filter(codename__in=[c for _, c in wanted])
    }
    for role in ROLES:
        group, _ = Group.objects.using(using).get_or_create(name=role.slug)
        found = [
            perms[tuple(d.split("."))] for d in role.permissions if tuple(d.split(".")) in perms
        ]
        if found:
            group.permissions.add(*found)
