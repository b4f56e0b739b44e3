import pytest

from binjai_portal.accounts.models import Unit
from binjai_portal.accounts.units import units_load
from binjai_portal.core.models import Region
from binjai_portal.core.regions import UnknownRegion, regions_load

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_reference_data")]


def test_binjai_loads_city_five_kecamatan_and_37_kelurahan_and_twice_changes_nothing():
    first = regions_load(region_code="12.75")
    assert first.created == 44  # Sumatera Utara, Kota Binjai, 5 kecamatan, 37 kelurahan
    assert Region.objects.filter(level="kecamatan", parent__code="12.75").count() == 5
    assert Region.objects.filter(level="kelurahan", code__startswith="12.75.").count() == 37
    assert Region.objects.get(code="12.75.02").name == "Binjai Kota"
    snapshot = list(Region.objects.values_list("pk", "code", "name", "level", "parent_id"))

    second = regions_load(region_code="12.75")

    assert (second.created, second.updated, second.unchanged) == (0, 0, 44)
    assert list(Region.objects.values_list("pk", "code", "name", "level", "parent_id")) == snapshot


def test_loading_repairs_a_changed_name():
    regions_load(region_code="12.75")
    Region.objects.filter(code="12.75.01").update(name="Salah")
    result = regions_load(region_code="12.75")
    assert result.updated == 1
    assert Region.objects.get(code="12.75.01").name == "Binjai Utara"


def test_another_region_code_loads_that_regency_with_its_desa(settings):
    settings.REGION_CODE = "33.74"  # Kota Semarang
    result = regions_load()
    assert Region.objects.get(code="33.74").name == "Kota Semarang"
    assert Region.objects.get(code="33").level == "provinsi"
    assert Region.objects.filter(level="kecamatan", parent__code="33.74").count() == 16
    assert result.created == Region.objects.count()
    assert not Region.objects.filter(code__startswith="12.75").exists()
    # A kabupaten has desa as well as kelurahan.
    regions_load(region_code="12.05")  # Kabupaten Langkat, Binjai's neighbour
    assert Region.objects.filter(level="desa", code__startswith="12.05.").exists()


def test_unknown_region_code_is_refused():
    with pytest.raises(UnknownRegion):
        regions_load(region_code="12.99")
    assert Region.objects.count() == 0


def test_units_derive_offices_from_regions_and_load_agencies_idempotently():
    regions_load(region_code="12.75")
    first = units_load(region_code="12.75")
    assert Unit.objects.filter(kind="kecamatan").count() == 5
    assert Unit.objects.filter(kind="kelurahan").count() == 37
    assert Unit.objects.get(code="rsud-djoelham").is_demo is False
    assert Unit.objects.filter(kind="faskes", is_demo=True, name__contains="Demo").count() == 5
    second = units_load(region_code="12.75")
    assert second.created == second.updated == 0
    assert second.unchanged == first.created


def test_region_without_a_units_file_gets_its_offices_only():
    regions_load(region_code="33.74")
    units_load(region_code="33.74")
    assert Unit.objects.filter(kind="kecamatan").count() == 16
    assert not Unit.objects.filter(kind__in=["opd", "faskes"]).exists()
