"""Minimisation check (UU 27/2022 Pasal 16 ayat 2: processing limited to its purpose).

A pytest plugin, on for every test of the suite (opt out with `--no-privacy-scan`, e.g.
to profile). Each test's output is scanned for NIKs, phone numbers and e-mail addresses
(binjai_portal.core.privacy.detect) outside the allowed places, and a test that leaked
one fails in its teardown with what and where:

- log records (every logger, through a handler on the root logger);
- the test's captured stdout and stderr (print, warnings, a server thread's output);
- outgoing e-mail subjects and bodies (django.core.mail.outbox; the To/Cc/Bcc address is
  the allowed place for an e-mail address);
- the outbox: Delivery subject/body (SMS and e-mail copies; `address` is allowed) and
  Notification title/body (they go out by e-mail and SMS);
- every URL a test client requests (path and query string);
- API and export responses (JSON, CSV, XML, plain text) to test clients.

HTML pages are not scanned: a profile page shows its owner their own phone number.
The responses whose purpose is to carry personal data are declared by URL name in the
apps' privacy.py (`privacy.allow(url_name=..., reason=...)`); nothing else is allowed.

Worker-safe (pytest-xdist): all state is per test (the item's stash); nothing is written
to a file and nothing is shared between tests.
"""

from __future__ import annotations

import logging

import pytest

from binjai_portal.core.privacy import detect

SCANNED_TYPES = ("json", "csv", "xml", "text/plain")
# Loggers whose lines are an allowed place, by name, with why. aiosmtpd's "mail.log" is
# the tests' own SMTP server (tests/core): it logs the envelope, where an address belongs.
ALLOWED_LOGGERS = {"mail.log": "the test SMTP server logs the envelope (MAIL FROM, RCPT TO)"}
_FINDINGS = pytest.StashKey[list]()


def pytest_addoption(parser):
    group = parser.getgroup("privacy", "personal-data minimisation check")
    group.addoption(
        "--no-privacy-scan",
        action="store_true",
        default=False,
        help="do not fail a test whose logs, output, e-mails, outbox, URLs or API/export "
        "responses carry a NIK, phone number or e-mail address (the check is on by default)",
    )
    # Accepted for the command lines written when the check was opt-in; it is on anyway.
    group.addoption("--privacy-scan", action="store_true", default=False, help="(default)")


def _enabled(config) -> bool:
    return not config.getoption("--no-privacy-scan")


class _Collector(logging.Handler):
    def __init__(self, findings):
        super().__init__(level=logging.DEBUG)
        self.findings = findings

    def emit(self, record):
        if record.name in ALLOWED_LOGGERS:
            return
        try:
            text = record.getMessage()
        except Exception:  # a broken log call is not this check's business
            return
        scan(self.findings, f"log {record.name}", text)


#: The values a test marked `crafted_input` sent itself (a fuzzer's random 16 digits can
#: read as a NIK): not the portal's data, so not reported where they come back. Per test.
_CRAFTED: set[str] = set()
_CRAFTING = [False]


def scan(findings: list, where: str, text, *, allowed: frozenset[str] = frozenset()) -> None:
    if not text:
        return
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    for kind, value in detect.find(str(text), allowed_emails=allowed):
        if value not in _CRAFTED:
            findings.append(f"{where}: {kind} {value[:4]}…")


def _note_crafted(environ) -> None:
    """What a `crafted_input` test sends: its URL, query and form body."""
    sent = f"{environ.get('PATH_INFO', '')}?{environ.get('QUERY_STRING', '')}"
    payload = environ.get("wsgi.input")
    content = getattr(payload, "_FakePayload__content", None)
    if content is not None:
        sent += content.getvalue().decode("utf-8", "replace")
    for _kind, value in detect.find(sent):
        _CRAFTED.add(value)


def _django_ready() -> bool:
    try:
        from django.conf import settings

        return settings.configured
    except ImportError:
        return False


@pytest.fixture(autouse=True)
def _privacy_scan(request):
    if not _enabled(request.config):
        yield
        return
    findings: list[str] = []
    request.node.stash[_FINDINGS] = findings
    _CRAFTED.clear()
    _CRAFTING[0] = request.node.get_closest_marker("crafted_input") is not None
    handler = _Collector(findings)
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    undo = _hook_django(findings) if _django_ready() else []
    try:
        yield
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
        for func in undo:
            func()
    if _django_ready():
        _scan_mail(findings)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    if call.when != "teardown" or not _enabled(item.config):
        return
    findings = item.stash.get(_FINDINGS, None)
    if findings is None:
        return
    for when, key, content in item._report_sections:
        if key in ("stdout", "stderr"):
            for line in content.splitlines():
                if not any(f" {name} " in line for name in ALLOWED_LOGGERS):
                    scan(findings, f"captured {key} ({when})", line)
    if findings:
        report = outcome.get_result()
        unique = list(dict.fromkeys(findings))
        report.outcome = "failed"
        report.longrepr = "personal data outside its allowed places:\n  " + "\n  ".join(unique[:20])


def _allowed_url(response) -> bool:
    from django.urls import Resolver404

    from binjai_portal.core.privacy.registry import registry

    try:
        match = response.resolver_match
        name = match.view_name if match else None
    except Resolver404:
        return False
    return name in registry.allowed_urls


def _hook_django(findings) -> list:
    from django.db.models.signals import post_save
    from django.test import client as test_client

    from binjai_portal.core.models import Delivery, Notification

    def on_delivery(sender, instance, **kwargs):
        scan(findings, f"outbox {instance.channel}", instance.subject)
        scan(findings, f"outbox {instance.channel}", instance.body)

    def on_notification(sender, instance, **kwargs):
        scan(findings, "notification", instance.title)
        scan(findings, "notification", instance.body)

    post_save.connect(on_delivery, sender=Delivery, dispatch_uid="privacy_scan_delivery")
    post_save.connect(on_notification, sender=Notification, dispatch_uid="privacy_scan_notif")

    original = test_client.Client.request

    def request(self, **environ):
        if _CRAFTING[0]:
            _note_crafted(environ)
        path = environ.get("PATH_INFO", "")
        scan(findings, "URL", f"{path}?{environ.get('QUERY_STRING', '')}")
        response = original(self, **environ)
        ctype = response.get("Content-Type", "")
        if (
            any(t in ctype for t in SCANNED_TYPES)
            and not getattr(response, "streaming", False)
            and not _allowed_url(response)
        ):
            scan(findings, f"response {path}", response.content, allowed=_public_contacts())
        return response

    test_client.Client.request = request

    def undo():
        post_save.disconnect(sender=Delivery, dispatch_uid="privacy_scan_delivery")
        post_save.disconnect(sender=Notification, dispatch_uid="privacy_scan_notif")
        test_client.Client.request = original

    return [undo]


def _public_contacts() -> frozenset[str]:
    """The region's own published contact addresses are not personal data."""
    from django.conf import settings

    names = ("CONTACT_EMAIL", "DEFAULT_FROM_EMAIL", "SERVER_EMAIL")
    return frozenset(
        value.lower() for n in names for _kind, value in detect.find(str(getattr(settings, n, "")))
    )


def _scan_mail(findings) -> None:
    from django.core import mail

    for message in getattr(mail, "outbox", []):
        allowed = frozenset(a.lower() for a in [*message.to, *message.cc, *message.bcc])
        scan(findings, "e-mail subject", message.subject)
        scan(findings, "e-mail body", message.body, allowed=allowed)
        for content, _mimetype in getattr(message, "alternatives", []):
            scan(findings, "e-mail html", content, allowed=allowed)
