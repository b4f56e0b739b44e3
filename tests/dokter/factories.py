import datetime

import factory
from factory.django import DjangoModelFactory

from binjai_portal.accounts.models import Unit
from dokter.models import Facility, Poli, Schedule


class FacilityFactory(DjangoModelFactory):
    class Meta:
        model = Facility

    unit = factory.LazyFunction(lambda: Unit.objects.get(code="puskesmas-demo-kota"))
    kind = Facility.Kind.PUSKESMAS
    address = "Jl. Demo No. 1"
    phone = "061-000000"
    opening_hours = "Senin–Sabtu 08.00–14.00"
    cutoff_minutes = 60
    is_demo = True


class PoliFactory(DjangoModelFactory):
    class Meta:
        model = Poli

    facility = factory.SubFactory(FacilityFactory)
    name = factory.Sequence(lambda n: f"Poli Uji {n}")
    code = factory.Sequence(lambda n: f"poli-{n}")
    letter = factory.Sequence(lambda n: "ABCDEFGHJKLMNPQRSTUVWXYZ"[n % 24])
    avg_service_minutes = 10


class ScheduleFactory(DjangoModelFactory):
    class Meta:
        model = Schedule

    poli = factory.SubFactory(PoliFactory)
    weekday = 0
    start = datetime.time(8, 0)
    end = datetime.time(12, 0)
    online_quota = 20
    onsite_quota = 20


def every_day(poli, **kwargs):
    """A session on each day of the week, so any test date has one."""
    return {d: ScheduleFactory(poli=poli, weekday=d, **kwargs) for d in range(7)}
