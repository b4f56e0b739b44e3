"""The fake bank gateway exists only where the test switch is on."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from perizinan.payments import FakeBankGateway, ManualGateway, check_gateway, get_gateway

FAKE = "perizinan.payments.FakeBankGateway"


def test_the_default_gateway_is_the_manual_one():
    assert isinstance(get_gateway(), ManualGateway)
    assert check_gateway() == []


def test_without_the_switch_the_fake_cannot_be_built_or_selected(settings):
    settings.ENABLE_TEST_ENDPOINTS = False
    with pytest.raises(ImproperlyConfigured):
        FakeBankGateway()
    settings.PERIZINAN_PAYMENT_GATEWAY = FAKE
    with pytest.raises(ImproperlyConfigured):
        get_gateway()
    assert [e.id for e in check_gateway()] == ["perizinan.E001"]
    with pytest.raises(SystemCheckError, match="perizinan.E001"):
        call_command("check")


def test_tests_may_select_the_fake(settings):
    settings.PERIZINAN_PAYMENT_GATEWAY = FAKE
    assert isinstance(get_gateway(), FakeBankGateway)
    assert check_gateway() == []


def test_an_unknown_gateway_is_a_check_error(settings):
    settings.PERIZINAN_PAYMENT_GATEWAY = "perizinan.payments.NoSuchGateway"
    assert [e.id for e in check_gateway()] == ["perizinan.E002"]
