"""Meja kerja (the officer's desk) and Aktivitas saya (the citizen's records), built from
what each app registers in its desk.py."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from binjai_portal.core import desk
from binjai_portal.core.desk import views as desk_views
from binjai_portal.core.nomenclature import nomenclature_load
from masyarakat.models import Ticket
from musrenbang import services as musrenbang_services
from tests.masyarakat.factories import ticket_assigned, ticket_make
from tests.musrenbang.factories import open_cycle, proposal_data
from tests.perizinan.factories import building_type, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _indonesian_afterwards():
    """A request in English leaves English active in this thread: restore the default."""
    yield
    from django.utils import translation

    translation.activate("id")


PASSWORD = "Rahasia-Binjai-2026"


@pytest.fixture
def cycle(db):
    nomenclature_load()
    return open_cycle()


def submitted_proposal(citizen, kelurahan, cycle, title="Perbaikan drainase"):
    p = musrenbang_services.proposal_create(
        proposer=citizen, cycle=cycle, data=proposal_data(kelurahan, title=title)
    )
    musrenbang_services.proposal_submit(proposal=p, actor=citizen)
    return p


def login(client, user, next_url=None):
    url = "/akun/masuk/" + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"username": user.phone, "password": PASSWORD})


# --- where people land after login --------------------------------------------------------


def test_staff_land_on_their_desk_and_citizens_on_the_home_page(client, citizen, kelurahan_officer):
    assert login(client, kelurahan_officer)["Location"] == "/meja-kerja/"
    client.logout()
    assert login(client, citizen)["Location"] == "/"


def test_a_next_page_asked_for_wins_for_staff_and_citizens(client, citizen, kelurahan_officer):
    assert login(client, kelurahan_officer, "/notifikasi/")["Location"] == "/notifikasi/"
    client.logout()
    assert login(client, citizen, "/notifikasi/")["Location"] == "/notifikasi/"


def test_the_desk_is_for_staff_only(client, citizen):
    client.force_login(citizen)
    assert client.get("/meja-kerja/").status_code == 404


# --- the desk -----------------------------------------------------------------------------


def test_the_desk_lists_what_waits_for_this_officer_with_counts(
    client, citizen, kelurahan, cycle, kelurahan_officer, make_staff
):
    mine = submitted_proposal(citizen, kelurahan, cycle, title="Lampu jalan gang Mawar")
    other_kel = make_staff("petugas_kelurahan", "kelurahan-12-75-01-1001")
    client.force_login(kelurahan_officer)
    page = client.get("/meja-kerja/").content.decode()
    assert mine.reference in page and "Lampu jalan gang Mawar" in page
    assert 'id="desk-musrenbang"' in page and 'id="desk-masyarakat"' not in page
    assert 'data-testid="desk-total">1 ' in page
    client.force_login(other_kel)
    assert mine.reference not in client.get("/meja-kerja/").content.decode()


def test_overdue_complaints_come_first(citizen, moderator, opd_officer):
    late = ticket_assigned(reporter=citizen, moderator=moderator, title="Jalan amblas")
    fresh = ticket_assigned(reporter=citizen, moderator=moderator, title="Pohon tumbang")
    today = timezone.localdate()
    Ticket.objects.filter(pk=late.pk).update(sla_due=today - datetime.timedelta(days=3))
    Ticket.objects.filter(pk=fresh.pk).update(sla_due=today + datetime.timedelta(days=3))
    section = next(s for s in desk.desk_for(opd_officer) if s.app == "masyarakat")
    assert [i.reference for i in section.items] == [late.number, fresh.number]
    assert section.items[0].overdue and not section.items[1].overdue
    assert section.pile.count == 2 and section.pile.overdue == 1


def test_the_header_badge_shows_the_desk_count_without_querying_the_services(
    client, citizen, kelurahan, cycle, kelurahan_officer
):
    submitted_proposal(citizen, kelurahan, cycle)
    client.force_login(kelurahan_officer)
    client.get("/meja-kerja/")
    page = client.get("/notifikasi/").content.decode()
    assert 'href="/meja-kerja/"' in page and '1<span class="visually-hidden"> menunggu' in page


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_desk_costs_the_same_with_5_and_50_waiting(
    client, citizen, kelurahan, cycle, kelurahan_officer, moderator
):
    for i in range(5):
        submitted_proposal(citizen, kelurahan, cycle, title=f"Usulan {i}")
        ticket_make(reporter=citizen, title=f"Aduan {i}")
    superuser = kelurahan_officer
    superuser.is_superuser = True
    superuser.save(update_fields=["is_superuser"])
    client.force_login(superuser)
    few = _queries(client, "/meja-kerja/")
    for i in range(45):
        submitted_proposal(citizen, kelurahan, cycle, title=f"Usulan lagi {i}")
        ticket_make(reporter=citizen, title=f"Aduan lagi {i}")
    assert _queries(client, "/meja-kerja/") == few


# --- Aktivitas saya -------------------------------------------------------------------------


def test_activity_shows_the_citizens_records_of_every_service_and_nobody_elses(
    client, citizen, make_citizen, kelurahan, cycle, moderator
):
    proposal = submitted_proposal(citizen, kelurahan, cycle, title="Taman bermain anak")
    ticket = ticket_make(reporter=citizen, title="Saluran tersumbat")
    application = submitted(building_type(), citizen)
    stranger = make_citizen()
    theirs = ticket_make(reporter=stranger, title="Punya orang lain")
    client.force_login(citizen)
    page = client.get("/aktivitas-saya/").content.decode()
    for text in (proposal.reference, ticket.number, application.number, "Taman bermain anak"):
        assert text in page
    assert "Menunggu verifikasi petugas kelurahan" in page  # the next step
    assert theirs.number not in page and "Punya orang lain" not in page


def test_finished_records_are_folded_below_what_is_still_going_on(client, citizen, monkeypatch):
    done = desk.Item("Usulan", "2025-00001", "Jalan lama", "Selesai", "/x/")
    going = desk.Item("Usulan", "2027-00002", "Jalan baru", "Diajukan", "/y/", next_step="Tunggu")
    monkeypatch.setattr(desk_views, "activity_for", lambda user: [going, done])
    client.force_login(citizen)
    page = client.get("/aktivitas-saya/").content.decode()
    folded = page[page.index("<details") :]
    assert "Jalan baru" in page[: page.index("<details")] and "Jalan lama" in folded
    assert "Jalan baru" not in folded


def test_activity_costs_the_same_with_5_and_50_records(client, citizen, kelurahan, cycle):
    for i in range(5):
        submitted_proposal(citizen, kelurahan, cycle, title=f"Usulan {i}")
        ticket_make(reporter=citizen, title=f"Aduan {i}")
    client.force_login(citizen)
    few = _queries(client, "/aktivitas-saya/")
    for i in range(45):
        submitted_proposal(citizen, kelurahan, cycle, title=f"Usulan lagi {i}")
        ticket_make(reporter=citizen, title=f"Aduan lagi {i}")
    assert _queries(client, "/aktivitas-saya/") == few


def test_items_sort_overdue_then_due_then_oldest():
    today = timezone.localdate()
    d = datetime.timedelta
    a = desk.Item("K", "A", "", "", "/", since=today - d(days=9))
    b = desk.Item("K", "B", "", "", "/", due=today + d(days=1))
    c = desk.Item("K", "C", "", "", "/", due=today - d(days=1))
    pile = desk.Pile(count=3, items=(a, b, c))
    assert [i.reference for i in desk.Section("x", "X", pile).items] == ["C", "B", "A"]
