"""Builders for e-Musrenbang tests; they go through the services, as production does."""

import datetime
import io
from decimal import Decimal

from django.utils import timezone
from PIL import Image

from binjai_portal.core.models import Urusan
from binjai_portal.core.uploads import CleanFile
from musrenbang import services
from musrenbang.models import Cycle


def open_cycle(plan_year: int | None = None, *, today: datetime.date | None = None) -> Cycle:
    """A cycle whose kelurahan window is open today."""
    today = today or timezone.localdate()
    plan_year = plan_year or today.year + 1
    existing = Cycle.objects.filter(plan_year=plan_year).first()
    if existing:
        return existing
    d = datetime.timedelta
    return services.cycle_create(
        plan_year=plan_year,
        kelurahan_opens=today - d(days=10),
        kelurahan_closes=today + d(days=20),
        kecamatan_opens=today + d(days=21),
        kecamatan_closes=today + d(days=40),
        city_opens=today + d(days=41),
        city_closes=today + d(days=60),
    )


def proposal_data(kelurahan, **overrides) -> dict:
    data = {
        "title": "Perbaikan drainase Jalan Sudirman",
        "problem": "Air menggenang setiap hujan.",
        "activity": "Normalisasi saluran sepanjang 200 meter.",
        "category": Urusan.objects.filter(level="bidang").order_by("code").first(),
        "kelurahan": kelurahan,
        "rt": "001",
        "rw": "002",
        "address": "Jl. Sudirman",
        "volume": Decimal("200"),
        "volume_unit": "meter",
        "estimated_cost": Decimal("150000000"),
        "beneficiaries": 300,
    }
    data.update(overrides)
    return data


def photo(name="foto.png") -> CleanFile:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, format="PNG")
    return CleanFile(content=out.getvalue(), name=name, content_type="image/png")
