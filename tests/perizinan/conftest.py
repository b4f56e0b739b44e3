import pytest

from . import factories


@pytest.fixture
def surveyor(make_staff):
    return make_staff("dpmptsp_surveyor", "dpmptsp", full_name="Fajar Surveyor")


@pytest.fixture
def head(make_staff):
    return make_staff("dpmptsp_kepala", "dpmptsp", full_name="Lestari Kepala")


@pytest.fixture
def dinkes_officer(make_staff):
    return make_staff("petugas_opd", "dinkes", full_name="Rina Dinkes")


@pytest.fixture
def inspector(make_staff):
    return make_staff("petugas_opd", "inspektorat", full_name="Irwan Inspektorat")


@pytest.fixture
def building(regions):
    return factories.building_type()


@pytest.fixture
def practice(regions):
    return factories.practice_type()
