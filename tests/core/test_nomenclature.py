import pytest

from binjai_portal.core.models import Urusan
from binjai_portal.core.nomenclature import bidang_list, nomenclature_load

pytestmark = pytest.mark.django_db


def test_urusan_and_bidang_load_once_with_their_codes(no_nomenclature):
    first = nomenclature_load()
    assert first.created == 35
    assert Urusan.objects.filter(level="urusan").count() == 3
    assert bidang_list().count() == 32
    health = Urusan.objects.get(code="1.02")
    assert health.parent.code == "1" and health.level == "bidang"
    second = nomenclature_load()
    assert (second.created, second.updated, second.unchanged) == (0, 0, 35)
