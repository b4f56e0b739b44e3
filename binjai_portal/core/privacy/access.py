"""The access log of sensitive personal data (UU 27/2022 Pasal 31 and 39): the one
function that writes it, and the request's user for writers that have no request
(exports).

    from binjai_portal.core.privacy.access import access_log_record
    access_log_record(viewer=request.user, kind="reporter", subject_id=ticket.reporter_id,
                      record=f"masyarakat.ticket:{ticket.number}")
"""

from __future__ import annotations

from contextvars import ContextVar

_current_user: ContextVar = ContextVar("privacy_current_user", default=None)

KINDS = ("nik", "queue", "reporter", "export")


def set_current_user(user):
    return _current_user.set(user)


def reset_current_user(token) -> None:
    _current_user.reset(token)


def current_user():
    return _current_user.get()


def access_log_record(
    *,
    viewer,
    kind: str,
    record: str,
    subject_id: int | None = None,
    dependant_id: int | None = None,
    reason: str = "",
):
    """Write one access log row. `record` names the data without carrying it (a model
    and a reference, never a NIK); `reason` is what the officer gave."""
    from .models import AccessLog

    if kind not in KINDS:
        raise ValueError(f"unknown access kind {kind}")
    viewer = viewer if getattr(viewer, "pk", None) else None
    return AccessLog.objects.create(
        kind=kind,
        viewer=viewer,
        subject_id=subject_id,
        dependant_id=dependant_id,
        record=record[:120],
        reason=(reason or "").strip()[:300],
    )


def staff_viewed(*, viewer, kind: str, record: str, subject_id=None, dependant_id=None) -> None:
    """Log a staff member's view of a subject's data; a citizen viewing their own data,
    or an anonymous visitor, is not logged."""
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return
    if not viewer.is_staff or viewer.pk == subject_id:
        return
    access_log_record(
        viewer=viewer, kind=kind, record=record, subject_id=subject_id, dependant_id=dependant_id
    )


def staff_viewed_nik_in_admin(*, viewer, object_id) -> None:
    """The admin's user change form shows the full NIK: logged with the admin as reason."""
    try:
        subject_id = int(object_id)
    except (TypeError, ValueError):
        return
    access_log_record(
        viewer=viewer,
        kind="nik",
        record=f"accounts.user:{subject_id}",
        subject_id=subject_id,
        reason="admin",
    )
