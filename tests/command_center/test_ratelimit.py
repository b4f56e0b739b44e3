"""Open-data downloads are limited per client address (the page itself is not)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_open_data_csv_is_limited_per_address(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "open_data": "2/m"}
    url = reverse("command_center:open-data-download", args=["tidak-ada"])
    assert [client.get(url, REMOTE_ADDR="198.51.100.5").status_code for _ in range(3)] == [
        404,
        404,
        429,
    ]
    page = client.get(url, REMOTE_ADDR="198.51.100.5")
    assert "Terlalu banyak permintaan" in page.content.decode() and page["Retry-After"]
    assert client.get(url, REMOTE_ADDR="198.51.100.6").status_code == 404
    assert (
        client.get(reverse("command_center:open-data"), REMOTE_ADDR="198.51.100.5").status_code
        == 200
    )
