import pytest

from perizinan import services

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


@pytest.fixture
def issued(practice, citizen, permit_verifier, dinkes_officer, head):
    app = factories.submitted(practice, citizen)
    services.application_accept(application=app, actor=permit_verifier)
    services.application_recommend(application=app, actor=dinkes_officer, recommendation="OK")
    services.application_decide(application=app, actor=head, approve=True)
    app.refresh_from_db()
    return app
