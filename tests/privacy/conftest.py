import datetime

import pytest
from django.utils import timezone

from binjai_portal.accounts import roles
from binjai_portal.accounts import services as account_services
from binjai_portal.accounts.models import Unit
from binjai_portal.accounts.nik import nik_compose
from binjai_portal.core.privacy import services as privacy_services

DAY = datetime.date(2026, 2, 10)  # a Tuesday, no holiday
NOW = timezone.make_aware(datetime.datetime(2026, 2, 9, 9, 0))


@pytest.fixture
def dpo(make_staff):
    return make_staff(roles.PEJABAT_PDP, full_name="Lestari Pejabat PDP")


@pytest.fixture
def notice(db):
    return privacy_services.notice_publish(
        actor=None, title="Pemberitahuan Privasi", body="Isi pemberitahuan (uji)."
    )


@pytest.fixture
def child(citizen):
    return account_services.dependant_create(
        guardian=citizen,
        nik=nik_compose(
            region6="127502", birth_date=datetime.date(2015, 3, 3), sex="L", serial=901
        ),
        full_name="Budi Anak Siti",
        birth_date=datetime.date(2015, 3, 3),
        sex="L",
        relation="anak",
    )


@pytest.fixture
def facility_poli(regions):
    from tests.dokter.factories import FacilityFactory, PoliFactory, every_day

    facility = FacilityFactory(unit=Unit.objects.get(code="puskesmas-demo-kota"))
    poli = PoliFactory(facility=facility, name="Poli Umum", code="umum", letter="A")
    schedule = every_day(poli)[DAY.weekday()]
    return facility, poli, schedule


@pytest.fixture
def booking(citizen, child, facility_poli):
    from dokter import services as dokter_services

    _facility, _poli, schedule = facility_poli
    return dokter_services.booking_create(
        actor=citizen,
        schedule=schedule,
        date=DAY,
        patient=child,
        payment="umum",
        complaint="Demam tiga hari",
        now=NOW,
    )
