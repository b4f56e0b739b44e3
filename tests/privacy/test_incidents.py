import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from binjai_portal.core.models import Notification
from binjai_portal.core.privacy import services
from binjai_portal.core.privacy.access import access_log_record
from binjai_portal.core.privacy.models import Incident

pytestmark = pytest.mark.django_db


def test_breach_finds_the_affected_from_the_access_log_and_notifies_them(
    client, dpo, moderator, make_citizen
):
    victims = [make_citizen(), make_citizen()]
    bystander = make_citizen()
    for v in victims:
        access_log_record(viewer=moderator, kind="reporter", record="t", subject_id=v.pk)
    access_log_record(viewer=dpo, kind="nik", record="t", subject_id=bystander.pk, reason="cek")

    client.force_login(dpo)
    discovered = timezone.localtime() - datetime.timedelta(hours=2)
    response = client.post(
        reverse("privacy:incident-new"),
        {
            "title": "Akun moderator dipakai orang lain",
            "description": "Kata sandi moderator bocor; akun membuka identitas pelapor.",
            "data_disclosed": "Nama pelapor pengaduan rahasia",
            "handling": "Akun dikunci, kata sandi diganti.",
            "discovered_at": discovered.strftime("%Y-%m-%dT%H:%M"),
            "suspect_nik": moderator.nik,
            "window_start": (discovered - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    incident = Incident.objects.get()
    assert response["Location"] == incident.get_absolute_url()
    assert set(incident.affected.all()) == set(victims)
    assert 69 < incident.hours_left() <= 70  # 3 x 24 h from discovery
    assert "Nama pelapor pengaduan rahasia" in incident.notice_body
    page = client.get(incident.get_absolute_url()).content.decode()
    assert "sisa" in page

    client.post(
        reverse("privacy:incident-act", args=[incident.pk]),
        {"action": "notify", "title": incident.notice_title, "body": incident.notice_body},
    )
    incident.refresh_from_db()
    assert incident.status == "notified" and incident.notified_at
    for v in victims:
        assert Notification.objects.filter(recipient=v, title=incident.notice_title).exists()
    assert not Notification.objects.filter(recipient=bystander).exists()
    assert moderator.nik not in incident.notice_body


def test_incident_pages_are_for_the_dpo_only(client, moderator, dpo):
    incident = services.incident_create(
        actor=dpo,
        title="x",
        description="y",
        data_disclosed="z",
        discovered_at=timezone.now(),
    )
    client.force_login(moderator)
    assert client.get(incident.get_absolute_url()).status_code == 404
    assert client.get(reverse("privacy:incident-list")).status_code == 404
    assert (
        client.post(
            reverse("privacy:incident-act", args=[incident.pk]), {"action": "close", "note": "x"}
        ).status_code
        == 404
    )


def test_a_breach_discovered_in_the_future_is_refused(client, dpo):
    client.force_login(dpo)
    future = timezone.localtime() + datetime.timedelta(days=2)
    response = client.post(
        reverse("privacy:incident-new"),
        {
            "title": "x",
            "description": "y",
            "data_disclosed": "z",
            "discovered_at": future.strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 200 and not Incident.objects.exists()
