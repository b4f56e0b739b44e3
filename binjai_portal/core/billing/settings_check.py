"""System checks: the demo bank button never runs in production; SNAP keys are sane."""

from __future__ import annotations

import re

from django.conf import settings
from django.core import checks

from .snap import load_public_key


def public_key_pem() -> str:
    if settings.BILLING_SNAP_CLIENT_PUBLIC_KEY:
        return settings.BILLING_SNAP_CLIENT_PUBLIC_KEY.replace("\\n", "\n")
    path = settings.BILLING_SNAP_CLIENT_PUBLIC_KEY_FILE
    if path:
        try:
            with open(path, encoding="ascii") as fh:
                return fh.read()
        except (OSError, UnicodeDecodeError):
            return ""
    return ""


def check_snap_settings(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    out = []
    if settings.BILLING_DEMO_PAYMENTS and not (settings.DEBUG or settings.ENABLE_TEST_ENDPOINTS):
        out.append(
            checks.Error(
                "BILLING_DEMO_PAYMENTS is on outside DEBUG: the simulated bank must never pay "
                "a real bill.",
                id="billing.E001",
            )
        )
    if settings.BILLING_SNAP_CLIENT_ID:
        if load_public_key(public_key_pem()) is None:
            out.append(
                checks.Error(
                    "BILLING_SNAP_CLIENT_PUBLIC_KEY(_FILE) is not an RSA public key in PEM.",
                    id="billing.E002",
                )
            )
        if len(settings.BILLING_SNAP_CLIENT_SECRET) < 16:
            out.append(
                checks.Error("BILLING_SNAP_CLIENT_SECRET is shorter than 16.", id="billing.E003")
            )
        if not re.fullmatch(r"[0-9]+", settings.BILLING_SNAP_PARTNER_SERVICE_ID.strip()):
            out.append(
                checks.Error(
                    "BILLING_SNAP_PARTNER_SERVICE_ID must be the biller code (digits).",
                    id="billing.E004",
                )
            )
    return out
