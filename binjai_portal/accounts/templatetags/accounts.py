from django import template

from ..nik import mask_nik

register = template.Library()


@register.filter
def nik_for(person, viewer) -> str:
    """The person's NIK as the viewer may see it: in full only for staff who need it
    (permission accounts.view_full_nik), masked for everyone else, the owner included."""
    nik = getattr(person, "nik", "")
    if (
        viewer is not None
        and getattr(viewer, "is_authenticated", False)
        and viewer.has_perm("accounts.view_full_nik")
    ):
        return nik
    return mask_nik(nik)
