"""SMS/WhatsApp backends behind one interface, chosen by the SMS_BACKEND setting.

The log backend is the development default; the HTTP gateway backend posts JSON to
SMS_GATEWAY_URL with SMS_GATEWAY_TOKEN as a bearer token (the shape most Indonesian
gateways, e.g. Zenziva, Wablas or Fonnte adapters, accept through a small proxy).
"""

from __future__ import annotations

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
    timeout = 10

    def send(self, *, to: str, text: str, reference: str) -> None:
        if not settings.SMS_GATEWAY_URL:
            raise SmsError("SMS_GATEWAY_URL is not set")
        payload = json.dumps({"to": to, "text": text, "reference": reference}).encode()
        request = urllib.request.Request(  # noqa: S310 - URL comes from settings
            settings.SMS_GATEWAY_URL, data=payload, method="POST",
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {settings.SMS_GATEWAY_TOKEN}",
                # The gateway drops a repeated reference: a retry never sends twice.
                "Idempotency-Key": reference,
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                if response.status >= 300:
                    raise SmsError(f"gateway answered {response.status}")
        except OSError as exc:
            raise SmsError(str(exc)) from exc


def get_sms_backend() -> BaseSmsBackend:
    return import_string(settings.SMS_BACKEND)()
