"""The real client address, decided once per request from one setting.

Behind the reverse proxy every request arrives from the proxy's address, and anyone can
send an `X-Forwarded-For` header. `TRUSTED_PROXIES` names the proxies (addresses or
networks) whose `X-Forwarded-For` entries we believe. Walking that header from the right,
each hop we trust is skipped; the first address we do not trust is the client. A request
whose `REMOTE_ADDR` is not a trusted proxy keeps `REMOTE_ADDR`, whatever headers it sent.

`ClientAddressMiddleware` writes the result into `request.META["REMOTE_ADDR"]` (the
original is kept as `PROXY_ADDR`) before anything else runs, so the login lockout (axes),
the rate limiter, DRF's throttles (`NUM_PROXIES = 0`) and the logs all read one answer.
It also keeps the address in a context variable for code that runs without a request at
hand (a service deciding whether an SMS fits the sender's budget): `current_client_ip()`.
"""

from __future__ import annotations

import contextvars
import ipaddress
from functools import lru_cache

from django.conf import settings

_current_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "binjai_client_ip", default=None
)


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[ipaddress._BaseNetwork, ...]:
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies if p.strip())


def _parse(value: str) -> ipaddress._BaseAddress | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [2001:db8::1]:443
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # 203.0.113.7:51234
        value = value.split(":", 1)[0]
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def _trusted(address: ipaddress._BaseAddress, networks) -> bool:
    return any(address in network for network in networks)


def resolve_client_ip(remote_addr: str, forwarded_for: str | None) -> str:
    """Return the client's address given the socket peer and the X-Forwarded-For header."""
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    peer = _parse(remote_addr or "")
    if peer is None:
        return remote_addr or ""
    if not networks or not _trusted(peer, networks) or not forwarded_for:
        return str(peer)
    client = peer
    for hop in reversed(forwarded_for.split(",")):
        address = _parse(hop)
        if address is None:  # garbage in the header: stop at the last good hop
            break
        client = address
        if not _trusted(address, networks):
            break
    return str(client)


def client_ip(request) -> str:
    """The client address of a request that passed through ClientAddressMiddleware."""
    return request.META.get("REMOTE_ADDR", "")


def current_client_ip() -> str | None:
    """The client address of the request being served in this context, if any."""
    return _current_ip.get()


class ClientAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        meta = request.META
        peer = meta.get("REMOTE_ADDR", "")
        ip = resolve_client_ip(peer, meta.get("HTTP_X_FORWARDED_FOR"))
        meta["PROXY_ADDR"] = peer
        meta["REMOTE_ADDR"] = ip
        token = _current_ip.set(ip)
        try:
            return self.get_response(request)
        finally:
            _current_ip.reset(token)


class ClientAddressLogFilter:
    """Logging filter: every record carries `client_ip`, the resolved client address of
    the request being served ("-" outside a request), so log lines name the real client
    and never the proxy."""

    def filter(self, record) -> bool:
        record.client_ip = _current_ip.get() or "-"
        return True
