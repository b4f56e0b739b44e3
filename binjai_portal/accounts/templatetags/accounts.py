from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from ..nik import mask_nik

register = template.Library()


def nik_reveal_token(person) -> str:
    """A signed, short-lived reference to the person (never the NIK itself) for the
    unmasking page, so no NIK ever appears in a URL."""
    from django.core import signing

    return signing.dumps([person._meta.label_lower, person.pk], salt="privacy.nik", compress=True)


@register.filter
def nik_for(person, viewer) -> str:
    """The person's NIK as the viewer may see it: masked for everyone. Staff who need the
    full NIK (permission accounts.view_full_nik) get a link to unmask it, which asks for
    a reason and writes the access log (UU 27/2022); the owner sees it masked too."""
    nik = getattr(person, "nik", "")
    masked = mask_nik(nik)
    if (
        viewer is not None
        and getattr(viewer, "is_authenticated", False)
        and viewer.has_perm("accounts.view_full_nik")
        and getattr(person, "pk", None)
    ):
        url = reverse("privacy:nik-reveal", args=[nik_reveal_token(person)])
        return format_html(
            '{} <a href="{}" class="small" rel="nofollow">{}</a>', masked, url, _("buka NIK")
        )
    return masked
