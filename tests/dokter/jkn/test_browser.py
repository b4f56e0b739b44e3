"""The integration page at phone and officer widths (screenshots to /tmp/jkn/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from binjai_portal.core.models import OutboxMessage
from dokter import services
from dokter.bpjs import outbound
from tests.browser import PHONE, axe_violations, no_horizontal_scroll
from tests.dokter.conftest import ON_DAY
from tests.dokter.test_browser import logged_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/tmp/jkn")


def test_integration_page(browser, live_server, clinic_clerk, on_day):
    from .conftest import build_world

    world = build_world(clinic_clerk)
    booking = services.booking_register_onsite(
        staff=clinic_clerk, poli=world["poli"], patient_name="Budi", payment="umum", now=ON_DAY
    )
    OutboxMessage.objects.filter(pk=OutboxMessage.objects.order_by("pk").first().pk).update(
        status="sent", sent_at=ON_DAY
    )
    OutboxMessage.objects.create(
        system="satusehat",
        kind="satusehat.encounter",
        scope=outbound.scope(world["facility"].pk),
        payload={"booking": booking.pk},
        status="failed",
        attempts=1,
        last_error="OutboxError: SATUSEHAT 400: value: subject: Patient tidak ditemukan; "
        "serviceProvider: bukan organisasi klien",
    )
    SHOTS.mkdir(exist_ok=True)
    for name, viewport in (("phone", PHONE), ("officer", {"width": 1366, "height": 900})):
        context = logged_in(browser, live_server, clinic_clerk, viewport=viewport)
        page = context.new_page()
        page.goto("/dokter/petugas/integrasi/")
        assert page.get_by_test_id("integration-bpjs").is_visible()
        assert "Patient tidak ditemukan" in page.content()
        assert axe_violations(page) == []
        assert no_horizontal_scroll(page)
        page.screenshot(path=str(SHOTS / f"integrations-{name}.png"), full_page=True)
        context.close()
