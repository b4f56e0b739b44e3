"""The client address comes from X-Forwarded-For only through a trusted proxy."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from binjai_portal.core.clientip import (
    ClientAddressMiddleware,
    current_client_ip,
    resolve_client_ip,
)


@pytest.mark.parametrize(
    ("proxies", "peer", "xff", "expected"),
    [
        ([], "203.0.113.9", "1.2.3.4", "203.0.113.9"),  # no proxy configured: header ignored
        (["10.0.0.0/8"], "203.0.113.9", "1.2.3.4", "203.0.113.9"),  # peer is not our proxy
        (["10.0.0.0/8"], "10.1.2.3", "198.51.100.7", "198.51.100.7"),
        # A client that sends its own header cannot choose its address: rightmost untrusted.
        (["10.0.0.0/8"], "10.1.2.3", "1.2.3.4, 198.51.100.7", "198.51.100.7"),
        (["10.0.0.0/8"], "10.1.2.3", "1.2.3.4, 198.51.100.7, 10.9.9.9", "198.51.100.7"),
        (["10.0.0.0/8"], "10.1.2.3", "garbage, 198.51.100.7", "198.51.100.7"),
        (["10.0.0.0/8"], "10.1.2.3", "", "10.1.2.3"),
        (["127.0.0.1"], "127.0.0.1", "[2001:db8::1]:443", "2001:db8::1"),
        (["10.0.0.0/8"], "10.1.2.3", "198.51.100.7:5123", "198.51.100.7"),
    ],
)
def test_resolve_client_ip(settings, proxies, peer, xff, expected):
    settings.TRUSTED_PROXIES = proxies
    assert resolve_client_ip(peer, xff) == expected


def test_middleware_rewrites_remote_addr_and_sets_the_context(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    seen = {}

    def view(request):
        seen["meta"] = request.META["REMOTE_ADDR"]
        seen["proxy"] = request.META["PROXY_ADDR"]
        seen["ctx"] = current_client_ip()
        return HttpResponse("ok")

    request = RequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7"
    )
    ClientAddressMiddleware(view)(request)
    assert seen == {"meta": "198.51.100.7", "proxy": "127.0.0.1", "ctx": "198.51.100.7"}
    assert current_client_ip() is None
