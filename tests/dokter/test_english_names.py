"""A poli's name has an English field (django-modeltranslation): English where filled,
Indonesian otherwise, also where a query groups by the poli through a relation."""

import pytest
from django.utils.translation import override

from binjai_portal.core.translations import localized
from dokter.models import Poli, Schedule
from dokter.translation import seed_english

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _indonesian_afterwards():
    yield
    from django.utils import translation

    translation.activate("id")


def _names(poli):
    """The expression reads the active language when the query is built."""
    rows = Schedule.objects.filter(poli=poli).values_list(localized("poli__name"), flat=True)
    return set(rows)


def test_a_poli_reads_english_when_filled_and_indonesian_otherwise(poli, schedule):
    Poli.objects.filter(pk=poli.pk).update(name_ind="Poli KIA (Ibu dan Anak)")
    with override("en"):
        assert Poli.objects.get(pk=poli.pk).name == "Poli KIA (Ibu dan Anak)"  # fallback
    seed_english(lambda *_: None)  # the demo's English names
    with override("en"):
        assert Poli.objects.get(pk=poli.pk).name == "Maternal and Child Health Clinic (KIA)"
        assert _names(poli) == {"Maternal and Child Health Clinic (KIA)"}
    with override("id"):
        assert Poli.objects.get(pk=poli.pk).name == "Poli KIA (Ibu dan Anak)"
        assert _names(poli) == {"Poli KIA (Ibu dan Anak)"}
