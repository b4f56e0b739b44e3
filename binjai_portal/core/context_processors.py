from django.conf import settings

from .catalog import SERVICES
from .notifications import unread_count


def _unread(request) -> int:
    # request.user is missing when a request fails before the auth middleware (bad Host).
    user = getattr(request, "user", None)
    return unread_count(user=user) if user is not None and user.is_authenticated else 0


def portal(request):
    """Site identity (from settings, so any region can deploy) and the service menu."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "REGION_NAME": settings.REGION_NAME,
        "REGION_LOGO": settings.REGION_LOGO,
        "CONTACT_EMAIL": settings.CONTACT_EMAIL,
        "CONTACT_PHONE": settings.CONTACT_PHONE,
        "CONTACT_ADDRESS": settings.CONTACT_ADDRESS,
        "PORTAL_SERVICES": SERVICES,
        "unread_notifications": _unread(request),
    }
