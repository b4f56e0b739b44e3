"""Complaint factories: built through the services, as the personas are."""

from __future__ import annotations

import io
from decimal import Decimal

from PIL import Image

from binjai_portal.accounts.models import Unit
from binjai_portal.core.models import Region
from binjai_portal.core.uploads import CleanFile
from masyarakat import services
from masyarakat.models import Category


def category_make(
    *,
    code="jalan-rusak",
    name="Jalan rusak",
    agency_code="dpupr",
    sla_days=5,
    location_required=True,
) -> Category:
    category, _ = Category.objects.get_or_create(
        code=code,
        defaults={
            "name": name,
            "agency": Unit.objects.get(code=agency_code),
            "sla_days": sla_days,
            "location_required": location_required,
            "description": f"Laporan {name.lower()}",
        },
    )
    return category


def photo(color=(200, 30, 30)) -> CleanFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), color).save(out, format="JPEG")
    return CleanFile(content=out.getvalue(), name="foto.jpg", content_type="image/jpeg")


def ticket_make(*, reporter, category=None, kelurahan_code="12.75.02.1001", **overrides):
    data = {
        "reporter": reporter,
        "category": category or category_make(),
        "title": "Jalan berlubang di depan sekolah",
        "description": "Lubang besar, berbahaya bagi pengendara motor.",
        "kelurahan": Region.objects.get(code=kelurahan_code),
        "address": "Jl. Sudirman No. 10",
        "lat": Decimal("3.600100"),
        "lng": Decimal("98.485200"),
    }
    data.update(overrides)
    return services.ticket_create(**data)


def ticket_public(*, reporter, moderator, **overrides):
    """A verified (public) ticket."""
    ticket = ticket_make(reporter=reporter, **overrides)
    return services.ticket_verify(ticket=ticket, moderator=moderator)


def ticket_assigned(*, reporter, moderator, today=None, **overrides):
    ticket = ticket_public(reporter=reporter, moderator=moderator, **overrides)
    return services.ticket_assign(ticket=ticket, moderator=moderator, today=today)
