from django.conf import settings

from .catalog import SERVICES
from .notifications import unread_count


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
        "unread_notifications": (
            unread_count(user=request.user) if request.user.is_authenticated else 0
        ),
    }
