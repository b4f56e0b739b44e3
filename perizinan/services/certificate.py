"""The certificates: the letterhead, the signer, issuing (the PDF), reissuing and
revoking."""

from __future__ import annotations

import datetime
import hashlib
import secrets

import rules
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from binjai_portal import region_defaults
from binjai_portal.core import formatting
from binjai_portal.core.models import Region, StatusChange
from binjai_portal.core.notifications import EMAIL, SMS, Text, notify
from binjai_portal.core.uploads import CleanFile, upload_store

from .. import workflows as wf
from ..certificate import (
    CertificateContent,
    Letterhead,
    Signer,
    certificate_pdf,
    logo_file,
    verification_url,
)
from ..models import Application, Certificate, Signatory
from .common import PERMIT_OFFICE_UNIT


def _display_value(item: dict, value) -> str:
    if value in (None, ""):
        return "-"
    return str(value)


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def certificate_letterhead() -> Letterhead:
    """The region's letterhead: its government's name from the region data (any regency
    or city deploys the portal), the permit office's name and address from its unit, the
    logo from settings.REGION_LETTERHEAD_LOGO when one is configured."""
    from binjai_portal.accounts.models import Unit

    region = Region.objects.filter(code=settings.REGION_CODE).first()
    name = region.name if region else settings.REGION_NAME
    office = Unit.objects.filter(code=PERMIT_OFFICE_UNIT).first()
    contact = ", ".join(
        x for x in ((office.address if office else ""), (office.phone if office else "")) if x
    )
    place = region_defaults.short_name(name)
    return Letterhead(
        government=_("Pemerintah %(region)s") % {"region": name},
        office=office.name
        if office
        else _("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"),
        address=contact,
        logo_path=logo_file(settings.REGION_LETTERHEAD_LOGO),
        place=place,
    )


def _certificate_signer(application: Application, actor) -> Signer:
    """The head of office signs: the actor when it is the head (approval, reissue),
    otherwise the head who approved (a fee was paid afterwards)."""
    # actor is None when the levy was paid (the bank's notification issues the permit).
    head = actor if actor is not None and (actor.is_superuser or actor.has_role(wf.HEAD)) else None
    if head is None:
        change = (
            StatusChange.objects.filter(
                workflow=wf.APPLICATION.name,
                object_id=str(application.pk),
                action__in=("approve", "approve_with_fee"),
                actor__isnull=False,
            )
            .select_related("actor")
            .order_by("-pk")
            .first()
        )
        head = change.actor if change else actor
    signatory = Signatory.objects.filter(user=head).first()
    return Signer(
        name=head.full_name,
        position=signatory.position if signatory else _("Kepala Dinas"),
        nip=signatory.nip if signatory else "",
    )


def _location_text(application: Application) -> str:
    """The location with its kelurahan and kecamatan, as the certificate states it."""
    parts = [application.location_address] if application.location_address else []
    kel = application.kelurahan
    if kel is not None:
        parts.append(_("Kel. %(name)s") % {"name": kel.name})
        if kel.parent_id:
            parts.append(_("Kec. %(name)s") % {"name": kel.parent.name})
    return ", ".join(parts)


@transaction.atomic
def certificate_issue(
    *,
    application: Application,
    actor,
    today: datetime.date | None = None,
    replaces: Certificate | None = None,
) -> Certificate:
    """Render, store and record a certificate; the file's SHA-256 is kept for verification."""
    if application.status != wf.ISSUED:
        raise ValidationError(_("Sertifikat hanya untuk permohonan yang sudah terbit."))
    today = today or timezone.localdate()
    pt = application.permit_type
    version = (replaces.version + 1) if replaces else 1
    number = f"{pt.code.upper()}/{application.number}"
    token = secrets.token_urlsafe(24)
    valid_until = _add_years(today, pt.validity_years) if pt.validity_years else None
    holder = application.applicant.full_name
    # An official document of the region: always in its official language.
    with translation.override(settings.LANGUAGE_CODE):
        content = CertificateContent(
            number=number if version == 1 else f"{number} ({_('versi %(v)s') % {'v': version}})",
            version=version,
            registration_number=application.number,
            type_name=pt.name,
            holder_name=holder,
            business_name=application.business_name,
            location=_location_text(application),
            fields=tuple(
                (f["label"], _display_value(f, (application.data or {}).get(f["name"])))
                for f in pt.fields
            ),
            issued_on=formatting.date(today),
            valid_until=formatting.date(valid_until)
            if valid_until
            else _("Selama kegiatan berjalan"),
            url=verification_url(token),
            replaces=replaces.number if replaces else "",
            letterhead=certificate_letterhead(),
            signer=_certificate_signer(application, actor),
        )
        pdf = certificate_pdf(content)
    upload = upload_store(
        clean=CleanFile(
            content=pdf,
            name=f"izin-{application.number}-v{version}.pdf",
            content_type="application/pdf",
        ),
        purpose="perizinan.certificate",
        owner=application.applicant,
    )
    cert = Certificate(
        application=application,
        number=number,
        version=version,
        token=token,
        issued_on=today,
        valid_until=valid_until,
        holder_name=holder,
        pdf=upload,
        sha256=hashlib.sha256(pdf).hexdigest(),
    )
    cert.full_clean()
    cert.save()
    if replaces:
        replaces.state, replaces.replaced_by = Certificate.State.REPLACED, cert
        replaces.save(update_fields=["state", "replaced_by"])
    notify(
        recipient=application.applicant,
        title=Text(gettext_lazy("Izin Anda terbit: %(n)s"), n=number),
        body=Text(gettext_lazy("Unduh sertifikat izin dari halaman permohonan.")),
        url=application.get_absolute_url(),
        channels=(EMAIL, SMS),
    )
    return cert


def _ensure_head(actor) -> None:
    if not rules.has_perm("perizinan.sign_certificate", actor):
        raise PermissionDenied


@transaction.atomic
def certificate_reissue(
    *, application: Application, actor, note: str, today: datetime.date | None = None
) -> Certificate:
    """After a correction: a new version; the old one shows as replaced."""
    _ensure_head(actor)
    if not (note or "").strip():
        raise ValidationError(_("Tulis alasan penerbitan ulang."))
    current = (
        Certificate.objects.select_for_update()
        .filter(application=application, state=Certificate.State.VALID)
        .order_by("-version")
        .first()
    )
    if current is None:
        raise ValidationError(_("Tidak ada sertifikat berlaku yang dapat diganti."))
    current._change_reason = note.strip()
    return certificate_issue(application=application, actor=actor, today=today, replaces=current)


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, actor, reason: str) -> Certificate:
    _ensure_head(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Alasan pencabutan wajib diisi."))
    cert = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if cert.state != Certificate.State.VALID:
        raise ValidationError(_("Sertifikat ini sudah tidak berlaku."))
    cert.state, cert.state_note = Certificate.State.REVOKED, reason[:300]
    cert._change_reason = reason
    cert.save(update_fields=["state", "state_note"])
    return cert
