"""The web complaint form (each complaint e-mails the moderators) is limited per account
and per address."""

import pytest
from django.urls import reverse

from masyarakat.models import Ticket

pytestmark = pytest.mark.django_db


def complaint(category, n):
    return {
        "category": category.code,
        "title": f"Lampu mati {n}",
        "description": "Gelap",
        "kelurahan": "12.75.02.1001",
        "address": "Jl. A",
        "lat": "3.601000",
        "lng": "98.486000",
    }


def test_complaints_are_limited_per_account(client, citizen, category, moderator, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "complaint_user": "3/h"}
    client.force_login(citizen)
    url = reverse("masyarakat:ticket-new")
    statuses = [
        client.post(url, complaint(category, n), REMOTE_ADDR=f"198.51.100.{n}").status_code
        for n in range(5)
    ]
    assert statuses == [302, 302, 302, 429, 429]
    assert Ticket.objects.count() == 3
    assert client.get(url).status_code == 200  # the form itself still opens


def test_complaints_are_limited_per_address(client, make_citizen, category, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "complaint_address": "2/h"}
    url = reverse("masyarakat:ticket-new")
    statuses = []
    for n in range(3):
        client.force_login(make_citizen())
        statuses.append(
            client.post(url, complaint(category, n), REMOTE_ADDR="198.51.100.77").status_code
        )
    assert statuses == [302, 302, 429] and Ticket.objects.count() == 2


def test_complaints_are_refused_while_the_limiter_is_down(
    client, citizen, category, moderator, limiter_redis
):
    from binjai_portal.core.models import Notification

    limiter_redis()
    client.force_login(citizen)
    response = client.post(reverse("masyarakat:ticket-new"), complaint(category, 1))
    assert response.status_code == 503
    assert "pemeriksa batas permintaan sedang tidak tersedia" in response.content.decode()
    assert not Ticket.objects.exists()
    assert not Notification.objects.filter(recipient=moderator).exists()
    assert client.get(reverse("masyarakat:index")).status_code == 200  # reads go on
