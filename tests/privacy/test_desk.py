"""The DPO's desk lists open rights requests and open incidents; others see none."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from binjai_portal.core.privacy.models import Incident, RightsRequest

pytestmark = pytest.mark.django_db


def test_the_dpo_desk_lists_open_requests_and_incidents(client, dpo, citizen):
    now = timezone.now()
    RightsRequest.objects.create(
        reference="PDP-2026-09001",
        kind="correction",
        requester=citizen,
        about="Alamat",
        details="x",
        due_at=now - datetime.timedelta(hours=1),
    )
    RightsRequest.objects.create(
        reference="PDP-2026-09002",
        kind="erasure",
        requester=citizen,
        about="Telepon",
        details="x",
        status="done",
    )
    Incident.objects.create(
        reference="INS-2026-09001",
        title="Bocor",
        description="x",
        data_disclosed="x",
        discovered_at=now,
        reported_by=dpo,
    )
    client.force_login(dpo)
    page = client.get(reverse("core:desk")).content.decode()
    assert "PDP-2026-09001" in page and "INS-2026-09001" in page
    assert "PDP-2026-09002" not in page  # answered
    assert "Diterima" in page and "Ditangani" in page  # state labels, not codes
    client.force_login(citizen)
    assert "PDP-2026-09001" not in client.get(reverse("core:desk")).content.decode()
