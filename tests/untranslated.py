"""Notifications in the reader's language: a test fails when app code sent a plain str.

`notify()` given a plain `str` title or body stores it as it is, so every reader gets the
actor's language; it logs the calling module on the
"binjai_portal.core.notifications.untranslated" logger. This plugin (on for every test)
listens there and fails, in the test's teardown, a test during which a module outside
`tests.` did so. A test that sends a plain string on purpose from app code is marked
`@pytest.mark.untranslated_ok`.
"""

from __future__ import annotations

import logging

import pytest

LOGGER = "binjai_portal.core.notifications.untranslated"


class _Collector(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.modules: list[str] = []

    def emit(self, record):
        module = getattr(record, "caller_module", "?")
        if module != "tests" and not module.startswith("tests."):
            self.modules.append(module)


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "untranslated_ok: app code may send a plain-str notification in this test"
    )


@pytest.fixture(autouse=True)
def _notifications_translated(request):
    collector = _Collector()
    logger = logging.getLogger(LOGGER)
    logger.addHandler(collector)
    try:
        yield
    finally:
        logger.removeHandler(collector)
    if collector.modules and request.node.get_closest_marker("untranslated_ok") is None:
        pytest.fail(
            "untranslated notification (a plain str given to notify()) from "
            + ", ".join(sorted(set(collector.modules)))
            + ": pass a Text, or Text.plain for text a person typed",
            pytrace=False,
        )


def read_as(user, **filters) -> tuple[str, str, list]:
    """(title, body, e-mails) of the user's latest notification (matching `filters`), as
    that user reads them: the inbox rendered in `User.language`, and each pending e-mail
    copy sent (locmem backend) and returned."""
    from django.core import mail

    from binjai_portal.core import notifications
    from binjai_portal.core.models import Delivery, Notification

    n = Notification.objects.filter(recipient=user, **filters).order_by("-pk").first()
    assert n is not None, f"no notification for {user}"
    sent = []
    for delivery in Delivery.objects.filter(notification=n, channel=Delivery.Channel.EMAIL):
        before = len(mail.outbox)
        if notifications.delivery_send(delivery_id=delivery.pk) == "sent":
            sent += mail.outbox[before:]
    return n.title_in(user.language), n.body_in(user.language), sent
