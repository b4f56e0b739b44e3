"""The city-scale data set (issue 9, "Speed at city scale"): every app's scale generator,
run through `generate_scale_data` on PostgreSQL at a tiny factor.

The demo data set is seeded first (the generators model their rows on its categories,
polis, cycle, permit types and budget lines, and on its citizens).
"""

import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse

from binjai_portal.accounts.models import User
from binjai_portal.core import kpi, sequences
from binjai_portal.core.models import Sequence
from binjai_portal.core.sequences import sequence_last
from budgeting.models import Line
from dokter.models import Booking, QueueCounter
from masyarakat.models import Ticket
from musrenbang.models import Cycle, Proposal
from perizinan.models import Application

pytestmark = pytest.mark.django_db

FULL = {
    "masyarakat": 1_000_000,
    "dokter": 200_000,
    "musrenbang": 100_000,
    "perizinan": 50_000,
    "budgeting": 200_000,
}
PUBLIC_LISTS = ("/masyarakat/", "/dokter/", "/musrenbang/", "/perizinan/", "/budgeting/apbd/")
OVERVIEW = reverse("command_center:index")
# The overview's queries with an empty cache, the same at every size of the data set.
# 142 measured with the demo data set and every registered app: the figures' own
# aggregate queries plus, for the stored copies of the overview and the map, reading and
# writing them (4) and taking and releasing their advisory locks (4). Of these, billing's
# levy figures are 6, e-Musrenbang's "Janji dan realisasi" figure and section and
# e-Dokter's channel and integration tables about 20, all aggregates (no query per row).
# The bound catches a new per-row query; bench/scale.py shows the count at full scale.
OVERVIEW_MAX_QUERIES = 150


def scale_counts() -> dict[str, int]:
    return {
        "masyarakat": Ticket.objects.filter(title__startswith="[DEMO-SKALA] ").count(),
        "dokter": Booking.objects.filter(code__regex=r"^SK[0-9]{10}$").count(),
        "musrenbang": Proposal.objects.filter(title__startswith="[DEMO-SKALA] ").count(),
        "perizinan": Application.objects.filter(data__scale_set=1).count(),
        "budgeting": Line.objects.filter(description__startswith="[DEMO-SKALA] ").count(),
    }


def expected(factor: float) -> dict[str, int]:
    return {app: max(1, round(n * factor)) for app, n in FULL.items()}


def generate(factor: float) -> str:
    out = io.StringIO()
    call_command("generate_scale_data", "--factor", str(factor), stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(demo_data_for_module, db):
    """The demo data set, seeded once for this module (each test rolls back to it)."""
    assert connection.vendor == "postgresql", "the scale data set needs PostgreSQL"
    cache.clear()


def test_every_app_registers_a_scale_generator():
    assert set(kpi.registry.scale_generators) >= set(FULL)


def test_row_counts_follow_the_factor_and_reruns_only_top_up(demo):
    generate(0.0001)
    assert (
        scale_counts()
        == expected(0.0001)
        == {"masyarakat": 100, "dokter": 20, "musrenbang": 10, "perizinan": 5, "budgeting": 20}
    )
    generate(0.0001)  # the factor is a target: nothing more
    assert scale_counts() == expected(0.0001)
    generate(0.0003)
    assert scale_counts() == expected(0.0003)
    assert Ticket.objects.filter(title__startswith="[DEMO-SKALA] ", is_demo=False).count() == 0
    assert Proposal.objects.filter(title__startswith="[DEMO-SKALA] ", is_demo=False).count() == 0
    assert Application.objects.filter(data__scale_set=1, is_demo=False).count() == 0


def test_numbers_are_unique_and_the_counters_continue_after_them(demo):
    generate(0.0003)
    numbers = list(Ticket.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers))
    for counter in Sequence.objects.filter(
        key=sequences.TICKET
    ):  # the counter is the year's highest number
        year_numbers = [
            int(n.rsplit("-", 1)[1]) for n in numbers if n.startswith(f"ADU-{counter.year}-")
        ]
        assert max(year_numbers) == counter.last == len(year_numbers)

    regs = list(Application.objects.exclude(number=None).values_list("number", flat=True))
    assert len(regs) == len(set(regs))
    for counter in Sequence.objects.filter(key=sequences.REGISTRATION):
        year_numbers = [int(n[9:]) for n in regs if n.startswith(f"IZN-{counter.year}-")]
        assert max(year_numbers) == counter.last

    refs = list(Proposal.objects.values_list("reference", flat=True))
    assert len(refs) == len(set(refs))
    for cycle in Cycle.objects.all():
        mine = [int(r.split("-")[1]) for r in refs if r.startswith(f"{cycle.plan_year}-")]
        assert max(mine, default=0) == sequence_last(key=sequences.PROPOSAL, year=cycle.plan_year)

    slots = list(Booking.objects.values_list("poli_id", "date", "number"))
    assert len(slots) == len(set(slots))
    codes = list(Booking.objects.values_list("code", flat=True))
    assert len(codes) == len(set(codes))
    for counter in QueueCounter.objects.all():
        taken = [n for p, d, n in slots if (p, d) == (counter.poli_id, counter.date)]
        assert max(taken, default=0) <= counter.last_number

    # A real submission after the generator takes the next number, not a generated one.
    from masyarakat.services import ticket_number_next
    from perizinan.services import registration_number_take

    year = max(Sequence.objects.filter(key=sequences.TICKET).values_list("year", flat=True))
    last = sequence_last(key=sequences.TICKET, year=year)
    assert ticket_number_next(year=year) == f"ADU-{year}-{last + 1:06d}"
    year = max(Sequence.objects.filter(key=sequences.REGISTRATION).values_list("year", flat=True))
    last = sequence_last(key=sequences.REGISTRATION, year=year)
    assert registration_number_take(year=year) == f"IZN-{year}-{last + 1:06d}"


def test_states_and_dates_are_spread(demo):
    generate(0.001)  # 1,000 tickets, 200 bookings, 100 proposals
    scale = Ticket.objects.filter(title__startswith="[DEMO-SKALA] ")
    assert scale.values("status").distinct().count() >= 6
    assert scale.values("kelurahan").distinct().count() >= 20
    assert scale.values("category").distinct().count() >= 5
    first, last = (
        scale.order_by("created_at").values_list("created_at", flat=True)[i]
        for i in (0, scale.count() - 1)
    )
    assert (last - first).days > 200
    assert Booking.objects.filter(code__startswith="SK").values("status").distinct().count() >= 2
    assert (
        Proposal.objects.filter(title__startswith="[DEMO-SKALA] ")
        .values("status")
        .distinct()
        .count()
        >= 6
    )


def test_pages_render_and_the_overview_queries_stay_bounded(
    demo, client, django_assert_max_num_queries
):
    leader = User.objects.get(email="pimpinan@demo.binjaikota.go.id")
    for factor in (0.0001, 0.001):
        generate(factor)
        for path in PUBLIC_LISTS:
            assert client.get(path).status_code == 200, path
        client.force_login(leader)
        cache.clear()
        with django_assert_max_num_queries(OVERVIEW_MAX_QUERIES):
            assert client.get(OVERVIEW).status_code == 200
        client.logout()


def test_bad_factors_and_unknown_apps_are_refused_with_a_message(demo):
    with pytest.raises(CommandError, match="factor"):
        call_command("generate_scale_data", "--factor", "0", stdout=io.StringIO())
    with pytest.raises(CommandError, match="no scale generator"):
        call_command("generate_scale_data", "--app", "nope", stdout=io.StringIO())


# Every list page (issue 9): the same number of queries with 2 rows of each app's data
# as with 50 (demo data underneath, so every list has rows to show at both sizes).
LIST_PAGES = (
    ("/musrenbang/", None),
    ("/masyarakat/", None),
    ("/masyarakat/antrean-kerja/", "moderator@demo.binjaikota.go.id"),
    ("/masyarakat/saya/", "warga@demo.binjaikota.go.id"),
    ("/api/open311/v2/requests.json", None),
    ("/perizinan/antrean-kerja/", "verifikator@demo.binjaikota.go.id"),
    ("/budgeting/apbd/", None),
    ("/dokter/", "warga@demo.binjaikota.go.id"),
    ("/dokter/petugas/", "puskesmas@demo.binjaikota.go.id"),
    ("/command-center/peringatan/", "pimpinan@demo.binjaikota.go.id"),
    ("/command-center/open-data/", None),
)


def generate_rows(rows: int) -> None:
    """`rows` scale rows of every app (its factor is rows / its full size)."""
    for app, full in FULL.items():
        call_command(
            "generate_scale_data", "--app", app, "--factor", str(rows / full), stdout=io.StringIO()
        )


def _fresh_visit(client, email) -> None:
    """Cold: no cached page parts, no stored dashboard copy; logged in as `email`."""
    from command_center.models import StoredDashboard

    StoredDashboard.objects.all().delete()
    cache.clear()
    client.logout()
    if email:
        client.force_login(User.objects.get(email=email))


def list_page_queries(client, path, email) -> int:
    from django.test.utils import CaptureQueriesContext

    _fresh_visit(client, email)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200, path
    return len(queries)


def test_list_pages_cost_the_same_queries_at_2_and_at_50_rows(
    demo, client, django_assert_max_num_queries
):
    generate_rows(2)
    at_two = {path: list_page_queries(client, path, email) for path, email in LIST_PAGES}
    generate_rows(50)
    assert Ticket.objects.filter(title__startswith="[DEMO-SKALA] ").count() == 50
    for path, email in LIST_PAGES:
        _fresh_visit(client, email)
        with django_assert_max_num_queries(at_two[path], info=path):
            assert client.get(path).status_code == 200, path


def test_the_dashboards_cost_the_same_queries_at_every_size(demo, client):
    """The cold recompute of the overview, the map and the wall, and the overview page and
    the wall panel served after a cache flush, run the same number of queries at 3,000 and
    at 6,000 complaints (bench/scale.py shows the count at a million): no query per row.
    Both sizes fill every list the wall shows: a figure looks up the names of what it
    found (kelurahan, categories) once, and not at all when its list is empty, so a small
    start (100 or 1,000 complaints) differs by those two lookups without any per-row cost."""
    from django.test.utils import CaptureQueriesContext
    from django.utils import translation

    from command_center import dashboards, selectors  # noqa: F401  (fills COMPUTE)
    from command_center.forms import FiltersForm
    from command_center.models import StoredDashboard

    leader = User.objects.get(email="pimpinan@demo.binjaikota.go.id")
    wallboard = User.objects.get(email="wallboard@demo.binjaikota.go.id")
    counts = []
    for factor in (0.003, 0.006):
        generate(factor)
        StoredDashboard.objects.all().delete()
        cache.clear()
        found = {}
        with translation.override("id"):
            params = dashboards.filters_params(FiltersForm({}).filters())
            for kind, kind_params in (("overview", params), ("regions", params), ("wall", {})):
                with CaptureQueriesContext(connection) as queries:
                    assert dashboards.refresh(kind, kind_params) is not None
                found[f"cold {kind}"] = len(queries)
        for name, user, path in (
            ("overview page", leader, OVERVIEW),
            ("wall panel", wallboard, reverse("command_center:wall-panels")),
        ):
            client.force_login(user)
            client.get(path)  # the copy in the other language, the session
            cache.clear()
            client.force_login(user)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(path).status_code == 200
            found[f"served {name}"] = len(queries)
        counts.append(found)
    assert counts[0] == counts[1]
