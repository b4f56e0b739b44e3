import pytest
from django.urls import reverse

from binjai_portal.core.privacy.registry import Basis, registry

pytestmark = pytest.mark.django_db

SERVICE_APPS = {"musrenbang", "masyarakat", "dokter", "perizinan", "budgeting"}


def test_every_app_declares_its_processing_and_an_exporter():
    declared = {p.app for p in registry.processings.values()}
    assert SERVICE_APPS | {"accounts", "core", "privacy"} <= declared
    assert SERVICE_APPS | {"accounts", "core", "privacy"} <= set(registry.exporters)
    for p in registry.processings.values():
        assert p.basis in Basis.LABELS
        assert str(p.purpose) and str(p.retention) and str(p.recipients)
        if not p.erasable:
            assert str(p.keep_reason), f"{p.app}.{p.key} is kept but says not why"


def test_the_dpo_records_page_lists_every_app(client, dpo):
    client.force_login(dpo)
    page = client.get(reverse("privacy:records")).content.decode()
    for p in registry.processings.values():
        assert str(p.label) in page
    assert "Pasal 20 ayat 2 huruf e" in page


def test_records_page_is_for_the_dpo_only(client, citizen, moderator):
    for user in (citizen, moderator):
        client.force_login(user)
        assert client.get(reverse("privacy:records")).status_code == 404
