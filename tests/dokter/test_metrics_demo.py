import datetime

from binjai_portal.core import kpi
from dokter import services
from dokter.demo import seed
from dokter.models import Booking, Facility

from .conftest import DAY, ON_DAY
from .test_views import book

S = Booking.Status


def test_figures_and_section(citizen, schedule, poli, clinic_clerk, make_citizen, on_day):
    a, b = book(citizen, schedule), book(make_citizen(), schedule)
    for x in (a, b):
        services.booking_check_in(staff=clinic_clerk, code=x.code, now=ON_DAY)
    later = ON_DAY + datetime.timedelta(minutes=12)
    services.queue_call_next(staff=clinic_clerk, poli=poli, now=later)
    services.booking_start_service(staff=clinic_clerk, booking=a, now=later)
    services.booking_finish(
        staff=clinic_clerk, booking=a, now=later + datetime.timedelta(minutes=6)
    )
    services.queue_call_next(staff=clinic_clerk, poli=poli, now=later)
    services.booking_mark_absent(staff=clinic_clerk, booking=b, now=later)
    filters = kpi.Filters(kpi.Period(DAY, DAY))
    figures = {f.key: f.value for f in kpi.registry.compute_figures(filters) if f.app == "dokter"}
    assert figures == {
        "bookings": 2,
        "served": 1,
        "avg_wait": 12.0,
        "avg_service": 6.0,
        "no_show": 50.0,
        "mobile_jkn": 0,
    }
    section = next(s for s in kpi.registry.compute_sections(filters) if s.app == "dokter")
    assert section.tables[0].rows == (("Puskesmas Demo Binjai Kota", "Poli Umum", 2, 2, 1, 1),)
    other = kpi.Filters(kpi.Period(DAY, DAY), agency="rsud-djoelham")
    assert {f.key: f.value for f in kpi.registry.compute_figures(other) if f.app == "dokter"}[
        "bookings"
    ] == 0


def test_demo_seed_is_idempotent_and_marked(regions):
    from binjai_portal.accounts.demo import seed as accounts_seed

    accounts_seed(lambda line: None)
    seed(lambda line: None)
    counts = (Facility.objects.count(), Booking.objects.count())
    seed(lambda line: None)
    assert (Facility.objects.count(), Booking.objects.count()) == counts
    assert counts[0] == 6 and not Facility.objects.filter(is_demo=False).exists()
    states = set(Booking.objects.values_list("status", flat=True))
    assert {S.DONE, S.TRANSFERRED, S.ABSENT, S.SERVING, S.CALLED, S.CHECKED_IN} <= states
