"""What the writes of e-Perizinan share: the units they name, the reminder
lead time, the registration number (IZN-) and the owner check of a draft."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from binjai_portal.core import sequences
from binjai_portal.core.sequences import sequence_next

from ..models import Application

INSPECTORATE_UNIT = "inspektorat"


PERMIT_OFFICE_UNIT = "dpmptsp"  # the office whose letterhead the certificates carry


REMIND_DAYS_BEFORE = 2


def registration_number_take(*, year: int) -> str:
    """The next IZN-<year>-<6 digits> (core.sequences: never twice, no gaps)."""
    return f"IZN-{year}-{sequence_next(key=sequences.REGISTRATION, year=year):06d}"


def _ensure_owner(application: Application, actor) -> None:
    if application.applicant_id != getattr(actor, "pk", None):
        raise PermissionDenied
