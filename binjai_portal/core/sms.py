"""SMS/WhatsApp backends behind one interface, chosen by the SMS_BACKEND setting.

The log backend is the development default; the HTTP gateway backend posts JSON to
SMS_GATEWAY_URL with SMS_GATEWAY_TOKEN as a bearer token (the shape most Indonesian
gateways, e.g. Zenziva, Wablas or Fonnte adapters, accept through a small proxy).

The gateway contract (what the small proxy in front of a commercial gateway must do):

- ``POST SMS_GATEWAY_URL`` with ``Authorization: Bearer <token>``,
  ``Content-Type: application/json``, ``Idempotency-Key: <key>`` and the body
  ``{"to": "+62...", "text": "...", "reference": "<key>"}``. The key is the delivery's
  ``idempotency_key`` (a UUID): the same for every attempt at one message, different for
  every message.
- Any 2xx answer means the gateway has the message. Anything else (a 4xx/5xx answer, a
  dropped connection, no answer within SMS_GATEWAY_TIMEOUT seconds) is a failure the
  outbox retries later, with the same key.
- A request whose key the gateway has seen before is **not sent again**: the gateway
  answers 200 with the result of the original request. Together with the outbox's claim
  this makes a message go out once even when the portal cannot tell whether an attempt
  got through (a timeout, a worker killed mid-request).

``simulators/sms`` is a gateway that keeps this contract and can be told to misbehave;
the tests and ``make run`` use it. Production code never imports it.
"""

from __future__ import annotations

import http.client
import json
import logging
import urllib.request

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SmsError(Exception):
    pass


class BaseSmsBackend:
    def send(self, *, to: str, text: str, reference: str) -> None:
        raise NotImplementedError


class LogSmsBackend(BaseSmsBackend):
    """Writes the message to the log (the phone number masked) instead of sending."""

    sent: list[dict] = []  # kept for the development console and tests

    def send(self, *, to: str, text: str, reference: str) -> None:
        masked = to[:5] + "****" + to[-3:]
        logger.info("SMS to %s ref=%s: %s", masked, reference, text)
        LogSmsBackend.sent.append({"to": to, "text": text, "reference": reference})


class HttpGatewaySmsBackend(BaseSmsBackend):
    def send(self, *, to: str, text: str, reference: str) -> None:
        if not settings.SMS_GATEWAY_URL:
            raise SmsError("SMS_GATEWAY_URL is not set")
        payload = json.dumps({"to": to, "text": text, "reference": reference}).encode()
        request = urllib.request.Request(  # noqa: S310 - URL comes from settings
            settings.SMS_GATEWAY_URL,
            data=payload,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {settings.SMS_GATEWAY_TOKEN}",
                # The gateway drops a repeated key: a retry never sends twice.
                "Idempotency-Key": reference,
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=settings.SMS_GATEWAY_TIMEOUT) as response:  # noqa: S310
                if response.status >= 300:
                    raise SmsError(f"gateway answered {response.status}")
        except (OSError, http.client.HTTPException) as exc:  # refused, reset, timed out
            raise SmsError(str(exc) or type(exc).__name__) from exc


def get_sms_backend() -> BaseSmsBackend:
    return import_string(settings.SMS_BACKEND)()
