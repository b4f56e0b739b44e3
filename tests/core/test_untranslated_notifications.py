"""A plain str given to notify() is logged with its caller; the suite's plugin
(tests/untranslated.py) fails a test whose app code sent one."""

import logging

import pytest

from binjai_portal.core.notifications import Text, notify
from tests.untranslated import LOGGER, _Collector

pytestmark = pytest.mark.django_db


def _from_app_module(module: str, **kwargs):
    """Call notify() from code whose module is `module` (as app code would)."""
    namespace = {"__name__": module, "notify": notify, "kwargs": kwargs}
    exec("result = notify(**kwargs)", namespace)  # noqa: S102 - a module name for the frame
    return namespace["result"]


@pytest.mark.untranslated_ok
def test_a_plain_string_from_app_code_is_logged_with_its_module_and_still_stored(citizen, caplog):
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        n = _from_app_module(
            "binjai_portal.fakeapp.services", recipient=citizen, title="Judul", channels=()
        )
    assert n.title == "Judul" and n.title_in("en") == "Judul"
    [record] = [r for r in caplog.records if r.name == LOGGER]
    assert record.caller_module == "binjai_portal.fakeapp.services"


@pytest.mark.untranslated_ok
def test_the_plugin_catches_app_code_but_not_tests(citizen):
    collector = _Collector()
    logger = logging.getLogger(LOGGER)
    logger.addHandler(collector)
    try:
        _from_app_module(
            "binjai_portal.fakeapp.services", recipient=citizen, title="x", channels=()
        )
        notify(recipient=citizen, title="from the test itself", channels=())
        _from_app_module(
            "binjai_portal.fakeapp.services",
            recipient=citizen,
            title=Text.plain("Diketik orang"),
            channels=(),
        )
    finally:
        logger.removeHandler(collector)
    assert collector.modules == ["binjai_portal.fakeapp.services"]


def test_plain_text_is_the_same_in_every_language_and_not_logged(citizen, caplog):
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        n = notify(
            recipient=citizen,
            title=Text.plain("Jalan 100% rusak"),
            body=Text.plain("Catatan %(x)s"),
            channels=(),
        )
    assert (n.title, n.title_in("en")) == ("Jalan 100% rusak", "Jalan 100% rusak")
    assert n.body_in("en") == "Catatan %(x)s"
    assert not [r for r in caplog.records if r.name == LOGGER]


def test_a_text_survives_its_stored_form():
    from django.utils.translation import gettext_lazy as _

    text = Text(_("%(subject)s: %(state)s"), subject="X", state=_("Ditolak"))
    again = Text.from_json(text.to_json())
    assert again.to_json() == text.to_json() and again.render("en") == "X: Rejected"
