import datetime
from decimal import Decimal

import pytest

from binjai_portal.accounts.models import Unit
from budgeting import services
from budgeting.models import Account
from conftest import nomenclature_ready

from .factories import published_list, reference_data

YEAR = datetime.date.today().year + 1  # the musrenbang test cycle plans for next year


@pytest.fixture
def sub_kegiatan(regions):
    nomenclature_ready()  # loaded once for the run (conftest.py)
    return reference_data()


@pytest.fixture
def fiscal_year(sub_kegiatan, tapd):
    return services.fiscal_year_create(year=YEAR, actor=tapd)


@pytest.fixture
def prices(fiscal_year, tapd):
    return published_list(year=YEAR, actor=tapd)


@pytest.fixture
def items(prices):
    return prices[1]


@pytest.fixture
def atk():
    return Account.objects.get(code="5.1.02.01.01.0024")


@pytest.fixture
def honor_account():
    return Account.objects.get(code="5.1.02.01.01.0025")


@pytest.fixture
def budget(fiscal_year, tapd, items):
    return services.budget_create(
        fiscal_year=fiscal_year,
        agency=Unit.objects.get(code="dpupr"),
        ceiling=Decimal("10000000"),
        actor=tapd,
    )


@pytest.fixture
def activity(budget, opd_officer, sub_kegiatan):
    return services.activity_create(
        budget=budget,
        actor=opd_officer,
        sub_kegiatan=sub_kegiatan,
        output_target=Decimal("120"),
        funding_source="pad",
    )


@pytest.fixture
def inspector(make_staff):
    return make_staff("petugas_opd", "inspektorat", full_name="Irwan Inspektorat")


@pytest.fixture
def other_officer(make_staff):
    return make_staff("petugas_opd", "dinkes", full_name="Indah Dinkes")


# e-Musrenbang's fixtures, to build an accepted proposal through its own services.
from tests.musrenbang.conftest import bidang, cycle, make_proposal  # noqa: E402, F401
