"""Who may see the uploads of e-Perizinan (registered with core.uploads)."""

from __future__ import annotations

from .models import Application
from .selectors import _scoped, staff_can_see_perizinan


def _staff_reaches(user, apps) -> bool:
    return (user.is_authenticated and staff_can_see_perizinan(user)
            and _scoped(user).filter(pk__in=apps).exists())


def document_visible(user, upload) -> bool:
    apps = Application.objects.filter(documents__upload=upload).values("pk")
    return _staff_reaches(user, apps)


def survey_photo_visible(user, upload) -> bool:
    apps = Application.objects.filter(survey_photos=upload).values("pk")
    return _staff_reaches(user, apps)


def certificate_visible(user, upload) -> bool:
    apps = Application.objects.filter(certificates__pdf=upload).values("pk")
    return _staff_reaches(user, apps)
