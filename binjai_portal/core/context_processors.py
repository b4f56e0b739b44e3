from django.conf import settings

from .catalog import SERVICES
from .notifications import unread_count


def _unread(request) -> int:
    # request.user is missing when a request fails before the auth middleware (bad Host).
    user = getattr(request, "user", None)
    return unread_count(user=user) if user is not None and user.is_authenticated else 0


def _desk_count(request) -> int | None:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_staff:
        return None
    from .desk import remembered_count

    return remembered_count(user)


def portal(request):
    """Site identity (from settings, so any region can deploy) and the service menu."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "COMMAND_CENTER_NAME": settings.COMMAND_CENTER_NAME,
        "REGION_NAME": settings.REGION_NAME,
        "REGION_LOGO": settings.REGION_LOGO,
        "CONTACT_EMAIL": settings.CONTACT_EMAIL,
        "CONTACT_PHONE": settings.CONTACT_PHONE,
        "CONTACT_ADDRESS": settings.CONTACT_ADDRESS,
        "PORTAL_SERVICES": SERVICES,
        "unread_notifications": _unread(request),
        "desk_count": _desk_count(request),
    }
