import datetime

import pytest
import time_machine
from django.utils import timezone

from binjai_portal.accounts.models import Unit

from .factories import FacilityFactory, PoliFactory, every_day

# A Monday with no national holiday; bookings are for the next day (Tuesday).
NOW = timezone.make_aware(datetime.datetime(2026, 2, 9, 7, 0))
DAY = datetime.date(2026, 2, 10)


@pytest.fixture
def facility(regions):
    return FacilityFactory(unit=Unit.objects.get(code="puskesmas-demo-kota"))


@pytest.fixture
def other_facility(regions):
    return FacilityFactory(unit=Unit.objects.get(code="puskesmas-demo-utara"))


@pytest.fixture
def poli(facility):
    return PoliFactory(facility=facility, name="Poli Umum", code="umum", letter="A")


@pytest.fixture
def lab(facility):
    return PoliFactory(
        facility=facility, name="Laboratorium", code="lab", letter="L", bookable_online=False
    )


@pytest.fixture
def schedules(poli):
    return every_day(poli)


@pytest.fixture
def schedule(schedules):
    return schedules[DAY.weekday()]


ON_DAY = NOW + datetime.timedelta(days=1, hours=1)  # Tuesday 08:00, DAY itself


@pytest.fixture
def on_day():
    """Stop the clock on DAY 08:00 (a working Tuesday)."""
    with time_machine.travel(ON_DAY, tick=False):
        yield ON_DAY


@pytest.fixture
def day_before():
    """Stop the clock on NOW, the Monday 07:00 before DAY."""
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def api_token(facility, clinic_clerk):
    """(row, raw token) of a kiosk token of `facility`, owned by its clerk."""
    from dokter import services

    return services.api_token_issue(owner=clinic_clerk, facility=facility, name="Anjungan")


@pytest.fixture
def other_token(other_facility, make_staff):
    from dokter import services

    clerk = make_staff("petugas_puskesmas", "puskesmas-demo-utara")
    return services.api_token_issue(owner=clerk, facility=other_facility, name="Anjungan")


def bearer(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def superuser(make_citizen):
    user = make_citizen(full_name="Admin Dinkes")
    user.is_superuser = user.is_staff = True
    user.save()
    return user
