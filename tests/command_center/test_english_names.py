"""The command center in English names permit types, complaint categories, urusan and
units in English where they have an English name (issue 14): the tables, charts and
open data read names through relations, which modeltranslation does not rewrite."""

import csv
import io
import pickle

import pytest
from django.urls import reverse
from django.utils import translation

from binjai_portal.core import kpi
from command_center import dashboards
from command_center.models import StoredDashboard
from masyarakat.models import Category
from perizinan.models import PermitType

pytestmark = pytest.mark.django_db

INDEX = reverse("command_center:index")


@pytest.fixture(autouse=True)
def _indonesian_afterwards():
    yield
    translation.activate("id")


@pytest.fixture
def english_leader(leader):
    leader.language = "en"
    leader.save(update_fields=["language"])
    return leader


def _english(client, user):
    client.force_login(user)
    client.cookies["django_language"] = "en"


def test_the_overview_in_english_names_permit_types_in_english(client, english_leader, citizen):
    from tests.perizinan.factories import practice_type, submitted

    permit_type = practice_type()
    PermitType.objects.filter(pk=permit_type.pk).update(name_en="Midwife Practice Licence")
    submitted(permit_type, citizen)
    _english(client, english_leader)

    html = client.get(INDEX).content.decode()

    assert "Applications by permit type" in html  # the page is in English
    assert "Midwife Practice Licence" in html
    assert "Surat Izin Praktik Bidan" not in html


def test_the_open_data_in_english_names_categories_in_english(client, citizen):
    from tests.masyarakat.factories import category_make, ticket_make

    category = category_make(code="sampah", name="Sampah tidak diangkut")
    Category.objects.filter(pk=category.pk).update(name_en="Rubbish not collected")
    ticket_make(reporter=citizen, category=category)
    client.cookies["django_language"] = "en"

    response = client.get(
        reverse("command_center:open-data-download", args=["masyarakat-tickets-by-category"])
    )

    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r[1] for r in rows[1:]] == ["Rubbish not collected"]


def test_the_stored_english_copy_of_the_overview_is_in_english(citizen, settings):
    from tests.perizinan.factories import practice_type, submitted

    permit_type = practice_type()
    PermitType.objects.filter(pk=permit_type.pk).update(name_en="Midwife Practice Licence")
    submitted(permit_type, citizen)
    dashboards.refresh_standard(kinds=("overview",))
    assert StoredDashboard.objects.exists()
    for row in StoredDashboard.objects.all():
        payload = repr(pickle.loads(bytes(row.payload)))  # noqa: S301 (our own rows)
        if "Applications by permit type" in payload:
            assert "Midwife Practice Licence" in payload
            assert "Surat Izin Praktik Bidan" not in payload


def test_the_demo_raises_its_alerts_after_the_english_names_are_seeded(db):
    """An alert keeps the names of its permit type, category or poli as it finds them:
    raised before the English names were seeded, it read in Indonesian in English."""
    from binjai_portal.core import demo

    order = {s.name: s.order for s in demo.seeders()}
    english = {name: o for name, o in order.items() if name.endswith("-english")}
    assert english
    assert all(order["command_center"] > o for o in english.values()), order


def test_tile_units_read_as_plurals_in_english():
    """A tile reads "32 proposals", "7 numbers", "3.5 days" (it read "32 proposal")."""
    with translation.override("en"):
        units = {k: str(spec.unit) for k, spec in kpi.registry.figures.items()}
    assert units[("musrenbang", "submitted")] == "proposals"
    assert units[("budgeting", "proposals_funded")] == "proposals"
    assert units[("dokter", "bookings")] == "numbers"
    assert units[("billing", "levy_overdue")] == "bills"
    assert units[("billing", "levy_days_to_pay")] == "days"
    with translation.override("id"):
        assert str(kpi.registry.figures[("musrenbang", "submitted")].unit) == "usulan"
