"""Shared fixtures: the named cast of personas (built through services), Chromium."""

import datetime
import os

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests
# make between page actions are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _redis_db_for_worker(url: str, worker: int) -> str:
    """`url` with its database number moved up by two per pytest-xdist worker (gw0 keeps
    it): each worker's broker and cache are databases of their own, so one worker's
    `cache.clear()` (FLUSHDB) or queued tasks never reach another's."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    db = int(parts.path.strip("/") or 0) + 2 * worker
    if db > 15:
        raise pytest.UsageError(
            f"{url}: worker gw{worker} would need Redis database {db} (0-15 exist); "
            "run fewer workers (-n) or start from a lower database number"
        )
    return urlunsplit(parts._replace(path=f"/{db}"))


def _per_worker_services() -> None:
    """Under pytest-xdist each worker (gw0, gw1, ...) gets its own Redis databases and
    cache key prefix; pytest-django already gives it its own test database (suffix _gwN).
    Settings are read before any conftest loads, so they are corrected here, before the
    first use of the cache or the broker; the environment too, for the servers that tests
    start as processes of their own (gunicorn, celery)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return
    n = int(worker.removeprefix("gw"))
    from django.conf import settings

    if settings.REDIS_URL:
        settings.REDIS_URL = _redis_db_for_worker(settings.REDIS_URL, n)
        settings.CELERY_BROKER_URL = settings.CELERY_RESULT_BACKEND = settings.REDIS_URL
        os.environ["REDIS_URL"] = settings.REDIS_URL
    cache = settings.CACHES["default"]
    if "LOCATION" in cache and cache["LOCATION"].startswith("redis"):
        cache["LOCATION"] = _redis_db_for_worker(cache["LOCATION"], n)
        settings.CACHE_URL = os.environ["CACHE_URL"] = cache["LOCATION"]
    cache["KEY_PREFIX"] = f"{cache.get('KEY_PREFIX') or 'binjai'}-{worker}"
    os.environ["CACHE_KEY_PREFIX"] = cache["KEY_PREFIX"]


_per_worker_services()

# tests.browser: the CSP guard that every browser test gets, and phone_page.
# tests.privacy_scan: the personal-data minimisation check, on unless --no-privacy-scan.
# tests.untranslated: fails a test whose app code gave notify() a plain str.
pytest_plugins = (
    "celery.contrib.pytest",
    "tests.browser",
    "tests.servers",
    "tests.privacy_scan",
    "tests.untranslated",
)

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": CHROMIUM_ARGS,
        "headless": True,
    }


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """PBKDF2's deliberate slowness is not under test; MD5 keeps the suite fast."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _indonesian_again():
    """A test that asks for English (a request with the language cookie, a notification
    rendered for an English reader) must not leave it active for the next test."""
    from django.utils import translation

    yield
    translation.activate("id")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (it may be the shared Redis)."""
    from django.core.cache import cache

    cache.clear()
    yield


def _load_reference_data():
    from binjai_portal.accounts.units import units_load
    from binjai_portal.core.regions import regions_load

    regions_load(region_code="12.75")
    units_load(region_code="12.75")


def nomenclature_ready() -> None:
    """Urusan and bidang (Permendagri 90/2019), loaded when missing: the load (and its
    English-name pass over every translated table) is the costliest part of a test's
    setup, so it runs once for the run and again only after a transactional test."""
    from binjai_portal.core.models import Urusan
    from binjai_portal.core.nomenclature import nomenclature_load

    if not Urusan.objects.filter(level=Urusan.Level.BIDANG).exists():
        nomenclature_load()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Kota Binjai's regions and units and the urusan/bidang nomenclature, loaded once
    into the test database for the whole run: every test that rolls back keeps them. A
    transactional test empties the tables when it ends; the `regions` and `bidang`
    fixtures load them again for the next test that asks."""
    with django_db_blocker.unblock():
        _load_reference_data()
        nomenclature_ready()


@pytest.fixture
def no_reference_data(db):
    """An empty regions and units table, for the tests of the loaders themselves (the rows
    loaded once for the run come back when the test's transaction rolls back)."""
    from django.db import connection

    from binjai_portal.accounts.models import Unit

    Unit.objects.all().delete()
    # Regions point at their parents (PROTECT); PostgreSQL checks foreign keys at commit,
    # and this transaction is rolled back.
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_region")


@pytest.fixture(scope="module")
def demo_data_for_module(django_db_setup, django_db_blocker):
    """`seed_demo` once for a whole test module, the way Django's TestCase.setUpTestData
    works: the demo rows are written inside a transaction held open for the module, each
    test's own transaction is a savepoint in it (rolled back after each test), and the
    whole is rolled back when the module ends, so no other module sees the demo data.
    Only for modules whose tests all roll back (no transactional test, no live server)."""
    import io

    from django.core.management import call_command
    from django.db import transaction

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("seed_demo", stdout=io.StringIO())
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def no_nomenclature(db):
    """An empty urusan/bidang table, for the tests of its loader (the rows loaded once for
    the run come back when the test's transaction rolls back)."""
    from django.db import connection

    with connection.cursor() as cursor:  # parents are PROTECTed: checked at commit
        cursor.execute("DELETE FROM core_urusan")


@pytest.fixture
def regions(db):
    """Kota Binjai's regions and units, loaded as in production."""
    from binjai_portal.accounts.models import Unit
    from binjai_portal.core.models import Region

    if not (Region.objects.filter(code="12.75").exists() and Unit.objects.exists()):
        _load_reference_data()
    return Region.objects


@pytest.fixture
def kelurahan(regions):
    return regions.get(code="12.75.02.1001")  # Kel. Berngam, Kec. Binjai Kota


PASSWORD = "Rahasia-Binjai-2026"


@pytest.fixture
def make_citizen(regions):
    from binjai_portal.accounts import services
    from binjai_portal.accounts.nik import nik_compose

    counter = {"n": 0}

    def make(**overrides):
        counter["n"] += 1
        n = counter["n"]
        birth = overrides.pop("birth_date", datetime.date(1990, 1, 1 + n % 27))
        sex = overrides.pop("sex", "L")
        data = {
            "nik": nik_compose(region6="127502", birth_date=birth, sex=sex, serial=100 + n),
            "full_name": f"Warga Uji {n}",
            "birth_date": birth,
            "sex": sex,
            "phone": f"+6281299{n:06d}",
            "email": f"warga{n}@example.org",
            "password": PASSWORD,
            "kelurahan": regions.get(code="12.75.02.1001"),
            "address": "Jl. Uji No. 1",
            "rt": "001",
            "rw": "002",
        }
        data.update(overrides)
        return services.user_register(**data)

    return make


@pytest.fixture
def citizen(make_citizen):
    return make_citizen(full_name="Siti Aminah", sex="P", birth_date=datetime.date(1992, 5, 17))


@pytest.fixture
def make_staff(make_citizen):
    from binjai_portal.accounts import services
    from binjai_portal.accounts.models import Unit

    def make(role: str, unit_code: str | None = None, **overrides):
        user = make_citizen(**overrides)
        unit = Unit.objects.get(code=unit_code) if unit_code else None
        return services.staff_assign(user=user, role_slugs=[role], unit=unit)

    return make


@pytest.fixture
def kelurahan_officer(make_staff):
    return make_staff("petugas_kelurahan", "kelurahan-12-75-02-1001", full_name="Rudi Kelurahan")


@pytest.fixture
def kecamatan_officer(make_staff):
    return make_staff("petugas_kecamatan", "kecamatan-12-75-02", full_name="Maya Kecamatan")


@pytest.fixture
def opd_officer(make_staff):
    return make_staff("petugas_opd", "dpupr", full_name="Dewi OPD")


@pytest.fixture
def moderator(make_staff):
    return make_staff("moderator_pengaduan", full_name="Hendra Moderator")


@pytest.fixture
def clinic_clerk(make_staff):
    return make_staff("petugas_puskesmas", "puskesmas-demo-kota", full_name="Nurul Puskesmas")


@pytest.fixture
def permit_verifier(make_staff):
    return make_staff("dpmptsp_verifikator", "dpmptsp", full_name="Agus Verifikator")


@pytest.fixture
def tapd(make_staff):
    return make_staff("tapd", "bpkad", full_name="Yusuf TAPD")


@pytest.fixture
def leader(make_staff):
    return make_staff("pimpinan", full_name="Ratna Pimpinan")


@pytest.fixture
def bappeda(make_staff):
    return make_staff("bappeda", "bappeda", full_name="Bambang Bappeda")


# --- pytest-xdist: which tests share a worker, and in what order ------------------------

# Test files whose tests are scheduled one by one, not as a file: each test builds what it
# needs itself (the access matrix's parts each build their own world).
SPLIT_FILES = {"tests/test_access_matrix.py"}
# The files that take longest, sent to the workers first, so that no worker is left
# running a long file while the others have finished: a scheduling hint only (a stale
# entry changes the order, never the result). The rest follow, most tests first.
SLOW_FIRST = (
    "tests/test_access_matrix.py",
    "tests/core/test_other_region.py",
    "tests/musrenbang/test_services.py",
    "tests/command_center/test_scale.py",
    "tests/test_fuzz.py",
    "tests/masyarakat/test_api.py",
    "tests/accounts/test_phone_verification.py",
    "tests/core/test_seed_demo.py",
    "tests/core/test_delivery_faults.py",
)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """`--dist loadfile` (the Makefile's `test`) with two changes: the tests of
    SPLIT_FILES are work units of their own, and SLOW_FIRST files go out first."""
    if config.getoption("dist", None) != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class SuiteScheduling(LoadFileScheduling):
        def __init__(self, config, log=None):
            super().__init__(config, log)
            # the order is set in schedule() below, not by xdist's count of tests
            config.option.loadscopereorder = False

        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            return nodeid if path in SPLIT_FILES else path

        def schedule(self) -> None:
            if self.collection is None and self.registered_collections:
                for node, ids in list(self.registered_collections.items()):
                    self.registered_collections[node] = _slow_first(ids)
            super().schedule()

    return SuiteScheduling(config, log)


def _slow_first(nodeids: list[str]) -> list[str]:
    """The collection reordered by file: SLOW_FIRST files in that order, then the other
    files by their number of tests (most first); a file's tests keep their order."""
    files: dict[str, list[str]] = {}
    for nodeid in nodeids:
        files.setdefault(nodeid.split("::", 1)[0], []).append(nodeid)

    def rank(item):
        position, (path, ids) = item
        slow = SLOW_FIRST.index(path) if path in SLOW_FIRST else len(SLOW_FIRST)
        return (slow, -len(ids), position)

    ordered = sorted(enumerate(files.items()), key=rank)
    return [nodeid for _pos, (_path, ids) in ordered for nodeid in ids]


def pytest_terminal_summary(terminalreporter):
    """The access matrix's parts added up into the line of the whole matrix."""
    parts = []
    for report in terminalreporter.stats.get("passed", []) + terminalreporter.stats.get(
        "failed", []
    ):
        if getattr(report, "when", None) != "call":
            continue
        parts += [value for key, value in report.user_properties if key == "access_matrix"]
    if not parts:
        return
    names = set().union(*(p["names"] for p in parts))
    urls = sum(p["urls"] for p in parts)
    requests = sum(p["requests"] for p in parts)
    personas = max(p["personas"] for p in parts)
    terminalreporter.write_line(
        f"access matrix: {len(names)} URL names, {urls} URLs × {personas} personas × "
        f"2 methods, {requests} requests ({len(parts)} parts run)"
    )
