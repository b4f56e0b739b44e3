"""The command center's levy tables name each permit type in the reader's language
(issue 14): a bill keeps the Indonesian name it was issued with."""

import datetime

import pytest
from django.utils import timezone, translation

from binjai_portal.core import kpi
from perizinan.models import PermitType

from .factories import bill

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _indonesian_afterwards():
    yield
    translation.activate("id")


def _levy_tables():
    today = timezone.localdate()
    period = kpi.Period(today - datetime.timedelta(days=29), today)
    return kpi.registry.sections[("billing", "levy")].compute(kpi.Filters(period)).tables


def test_levies_per_permit_type_in_english_with_amounts_as_numbers(citizen):
    from tests.perizinan.factories import practice_type

    permit_type = practice_type()
    PermitType.objects.filter(pk=permit_type.pk).update(name_en="Midwife Practice Licence")
    bill(
        citizen,
        amount="250000",
        subject_kind="perizinan.application",
        category=permit_type.code,
        category_label=permit_type.name,
    )
    bill(citizen, amount="100000", subject_id="2")  # a kind that names nothing itself

    with translation.override("en"):
        by_type, _by_agency = _levy_tables()
    assert [r[:2] for r in by_type.rows] == [
        ("Midwife Practice Licence", 250000),
        ("Retribusi uji", 100000),
    ]
    with translation.override("id"):
        by_type, _by_agency = _levy_tables()
    assert by_type.rows[1][0] == "Surat Izin Praktik Bidan"
