"""Names officers enter have an English field beside the Indonesian one
(django-modeltranslation): shown in English when it is filled, Indonesian otherwise."""

import pytest
from django.utils.translation import override

from binjai_portal.core.models import Urusan
from binjai_portal.core.nomenclature import nomenclature_load
from masyarakat.models import Category
from tests.masyarakat.factories import category_make

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _indonesian_afterwards():
    """A request in English leaves English active in this thread: restore the default."""
    yield
    from django.utils import translation

    translation.activate("id")


def test_a_category_reads_english_when_filled_and_indonesian_otherwise(regions):
    category = category_make(code="jalan-rusak", name="Jalan rusak")
    with override("en"):
        assert Category.objects.get(pk=category.pk).name == "Jalan rusak"  # fallback
    Category.objects.filter(pk=category.pk).update(name_en="Damaged road")
    with override("en"):
        assert Category.objects.get(pk=category.pk).name == "Damaged road"
        assert list(Category.objects.filter(pk=category.pk).values_list("name", flat=True)) == [
            "Damaged road"
        ]
    with override("id"):
        assert Category.objects.get(pk=category.pk).name == "Jalan rusak"


def test_a_row_created_while_english_is_active_is_still_indonesian_first(regions):
    with override("en"):
        category = category_make(code="banjir", name="Genangan atau banjir")
    row = Category.objects.get(pk=category.pk)
    assert row.name_ind == "Genangan atau banjir"
    with override("id"):
        assert Category.objects.filter(name="Genangan atau banjir").exists()


def test_rows_written_by_data_migrations_have_their_indonesian_name(regions):
    # A bulk load writes the base column only; the post_migrate/fill step covers it.
    nomenclature_load()
    from binjai_portal.core.translations import fill_indonesian_everywhere

    fill_indonesian_everywhere()
    assert not Urusan.objects.filter(name_ind__isnull=True).exists()
    with override("en"):
        row = Urusan.objects.get(code="1.01")
        assert row.name in ("Pendidikan", "Education")


def test_the_category_page_shows_the_english_name(client, regions):
    category = category_make(code="sampah", name="Sampah tidak diangkut")
    Category.objects.filter(pk=category.pk).update(name_en="Rubbish not collected")
    client.cookies["django_language"] = "en"
    page = client.get("/masyarakat/").content.decode()
    assert "Rubbish not collected" in page and "Sampah tidak diangkut" not in page


def test_units_read_in_english_wherever_they_are_shown(regions):
    """Agencies, offices and facilities have an English name from the loader; a query on
    another model (facilities, bookings grouped by facility: modeltranslation rewrites only
    its own models' lookups) reads it through `localized`."""
    from binjai_portal.accounts.models import Unit
    from binjai_portal.accounts.units import units_load
    from binjai_portal.core.translations import localized
    from dokter.models import Facility
    from tests.dokter.factories import FacilityFactory

    assert units_load(region_code="12.75").updated == 0  # idempotent, English included
    with override("en"):
        assert Unit.objects.get(code="dinkes").name == "Health Office"
        assert Unit.objects.get(code="kecamatan-12-75-01").name.endswith(" District Office")
        assert (
            Unit.objects.get(code="puskesmas-demo-kota").name
            == "Demo Binjai Kota Community Health Centre"
        )
    with override("id"):
        assert Unit.objects.get(code="dinkes").name == "Dinas Kesehatan"

    facility = FacilityFactory(unit=Unit.objects.get(code="puskesmas-demo-kota"))
    rows = Facility.objects.filter(pk=facility.pk)
    with override("en"):
        assert list(rows.values_list(localized("unit__name"), flat=True)) == [
            "Demo Binjai Kota Community Health Centre"
        ]
        assert list(rows.values_list("unit__name", flat=True)) == ["Puskesmas Demo Binjai Kota"]
    with override("id"):
        assert list(rows.values_list(localized("unit__name"), flat=True)) == [
            "Puskesmas Demo Binjai Kota"
        ]
