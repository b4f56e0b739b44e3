import pytest

from .factories import category_make


@pytest.fixture
def category(regions):
    return category_make()


@pytest.fixture
def rubbish_category(regions):
    return category_make(code="sampah", name="Sampah tidak diangkut", agency_code="dlh", sla_days=2)


@pytest.fixture
def dlh_officer(make_staff):
    return make_staff("petugas_opd", "dlh", full_name="Dodi DLH")
