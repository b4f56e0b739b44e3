"""A complaint reported: the ADU- number, the signed-in and the anonymous report
(with its follow secret) and the save they share."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Sequence
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from binjai_portal.core import sequences
from binjai_portal.core.notifications import Text, notify
from binjai_portal.core.sequences import sequence_next
from binjai_portal.core.uploads import CleanFile, upload_store
from binjai_portal.core.workflow import workflow_start

from ..models import Category, Ticket
from ..selectors import follow_secret_normal
from ..workflows import TICKET, moderators
from .common import MAX_PHOTOS


def ticket_number_next(*, year: int) -> str:
    """The next ADU-<year>-<6 digits> number (core.sequences: never twice, no gaps)."""
    return f"ADU-{year}-{sequence_next(key=sequences.TICKET, year=year):06d}"


@transaction.atomic
def ticket_create(
    *,
    reporter,
    category: Category,
    title: str,
    description: str,
    kelurahan,
    address: str = "",
    lat: Decimal | None = None,
    lng: Decimal | None = None,
    photos: Sequence[CleanFile] = (),
    show_name: bool = False,
    confidential: bool = False,
    attributes: dict | None = None,
    with_api_token: bool = False,
    is_demo: bool = False,
    created_at: datetime.datetime | None = None,
) -> Ticket:
    if not reporter or not reporter.is_authenticated:
        raise ValidationError(_("Masuk dulu untuk melapor."))
    return _ticket_save(
        reporter=reporter,
        category=category,
        title=title,
        description=description,
        kelurahan=kelurahan,
        address=address,
        lat=lat,
        lng=lng,
        photos=photos,
        show_name=show_name,
        confidential=confidential,
        attributes=attributes,
        with_api_token=with_api_token,
        is_demo=is_demo,
        created_at=created_at,
    )


FOLLOW_SECRET_BYTES = 12  # 96 bits: a secret nobody guesses within the follow page's limit


def follow_secret_new() -> str:
    """A follow secret a citizen can copy from paper: 4-4-4-4-4-4 lowercase letters and
    digits without 0/o and 1/l."""
    alphabet = "abcdefghijkmnpqrstuvwxyz23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(24))
    return "-".join(raw[i : i + 4] for i in range(0, 24, 4))


@transaction.atomic
def ticket_create_anonymous(
    *,
    category: Category,
    title: str,
    description: str,
    kelurahan,
    address: str = "",
    lat: Decimal | None = None,
    lng: Decimal | None = None,
    photos: Sequence[CleanFile] = (),
    confidential: bool = False,
) -> tuple[Ticket, str]:
    """A report without an account (as SP4N-LAPOR! and FixMyStreet accept): no reporter
    at all, so nobody (not even a moderator) can learn who sent it. Returns the ticket
    and its follow secret, shown to the reporter once; only its hash is stored, and the
    number with the secret opens the follow page. `confidential` stays a separate choice:
    it keeps the report itself off the public pages."""
    secret = follow_secret_new()
    ticket = _ticket_save(
        reporter=None,
        category=category,
        title=title,
        description=description,
        kelurahan=kelurahan,
        address=address,
        lat=lat,
        lng=lng,
        photos=photos,
        show_name=False,
        confidential=confidential,
        follow_secret_hash=make_password(follow_secret_normal(secret)),
    )
    return ticket, secret


def _ticket_save(
    *,
    reporter,
    category: Category,
    title: str,
    description: str,
    kelurahan,
    address: str = "",
    lat: Decimal | None = None,
    lng: Decimal | None = None,
    photos: Sequence[CleanFile] = (),
    show_name: bool = False,
    confidential: bool = False,
    attributes: dict | None = None,
    with_api_token: bool = False,
    is_demo: bool = False,
    created_at: datetime.datetime | None = None,
    follow_secret_hash: str = "",
) -> Ticket:
    if not category.is_active:
        raise ValidationError({"category": _("Kategori ini tidak aktif.")})
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": _("Paling banyak %(n)d foto.") % {"n": MAX_PHOTOS}})
    if (lat is None) != (lng is None):
        raise ValidationError(_("Titik peta harus berisi lintang dan bujur."))
    if category.location_required and lat is None and not (address or "").strip():
        raise ValidationError(
            {"address": _("Kategori ini memerlukan lokasi: isi alamat atau pilih titik peta.")}
        )
    if kelurahan is None or not kelurahan.is_village:
        raise ValidationError({"kelurahan": _("Pilih kelurahan.")})
    now = created_at or timezone.now()
    ticket = Ticket(
        number=ticket_number_next(year=timezone.localtime(now).year),
        category=category,
        title=title.strip(),
        description=description.strip(),
        kelurahan=kelurahan,
        address=(address or "").strip(),
        lat=lat,
        lng=lng,
        reporter=reporter,
        follow_secret_hash=follow_secret_hash,
        show_name=bool(show_name and not confidential and reporter is not None),
        confidential=confidential,
        attributes=attributes or {},
        created_at=now,
        updated_at=now,
        is_demo=is_demo,
        api_token=secrets.token_hex(12) if with_api_token else None,
    )
    ticket.full_clean()
    ticket.save()
    if photos:
        ticket.photos.set(
            [upload_store(clean=p, purpose="masyarakat.photo", owner=reporter) for p in photos]
        )
    workflow_start(ticket, workflow=TICKET, state="submitted", actor=reporter)
    for moderator in moderators():
        notify(
            recipient=moderator,
            title=Text(gettext_lazy("Pengaduan baru %(n)s"), n=ticket.number),
            body=Text.plain(ticket.title),
            url=ticket.get_absolute_url(),
        )
    return ticket
