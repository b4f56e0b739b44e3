"""The issue's "Done when", one end-to-end test each: the citizen's download holds every
record about them and their family (the five services, billing and Mobile JKN); the
DPO's records page lists every app's processing. (The unmasked NIK the citizen sees in
"Siapa melihat data saya": test_access_log.py; the retention job three years ahead:
test_retention.py.)"""

import json

import pytest
from django.urls import reverse

from binjai_portal.core.privacy.registry import registry

pytestmark = pytest.mark.django_db


@pytest.fixture
def everything(citizen, child, booking, facility_poli, kelurahan):
    from binjai_portal.core.nomenclature import nomenclature_load
    from dokter.models import Booking, JknPatient, JknVisit
    from musrenbang import services as musrenbang_services
    from tests.billing.factories import bill
    from tests.masyarakat.factories import ticket_make
    from tests.musrenbang.factories import open_cycle, proposal_data
    from tests.perizinan.factories import building_type, draft

    nomenclature_load()
    proposal = musrenbang_services.proposal_create(
        proposer=citizen,
        cycle=open_cycle(),
        data=proposal_data(kelurahan, title="Lampu penerangan gang Melati"),
    )
    ticket = ticket_make(reporter=citizen, title="Lampu jalan mati di gang kami")
    application = draft(building_type(), citizen)
    levy = bill(citizen, description="Retribusi pelayanan uji")
    facility, _poli, _schedule = facility_poli
    # The child also queued through Mobile JKN: a patient of the facility known by NIK.
    jkn_patient = JknPatient.objects.create(
        facility=facility,
        norm="JKN0000042",
        nomorkartu="0001234567890",
        nik=child.nik,
        nama=child.full_name,
        tanggallahir=child.birth_date,
    )
    jkn_booking = Booking.objects.get(pk=booking.pk)
    JknVisit.objects.create(booking=jkn_booking, patient=jkn_patient, nomorreferensi="RUJ-77")
    return {
        "proposal": proposal,
        "ticket": ticket,
        "application": application,
        "bill": levy,
        "booking": booking,
        "child": child,
        "jkn": jkn_patient,
    }


def test_the_download_holds_every_record_about_the_citizen_and_family(client, citizen, everything):
    client.force_login(citizen)
    data = json.loads(client.get(reverse("privacy:my-data-json")).content)
    text = json.dumps(data, ensure_ascii=False)
    apps = {s["app"] for s in data["sections"] if s["records"]}
    # Five services (e-Budgeting holds no citizen's data: its section is empty), billing,
    # the core's notifications and the account with the family.
    assert {"accounts", "musrenbang", "masyarakat", "dokter", "perizinan", "billing"} <= apps
    for needle in (
        citizen.full_name,
        everything["child"].full_name,
        everything["proposal"].reference,
        everything["ticket"].number,
        everything["application"].permit_type.name,
        everything["bill"].code,
        everything["booking"].code,
        everything["jkn"].norm,  # the child's Mobile JKN registration, found by NIK
        "RUJ-77",  # the JKN visit
    ):
        assert needle and needle in text, needle
    assert citizen.nik not in text and everything["child"].nik not in text  # masked

    # The readable copy and the page say the same.
    assert client.get(reverse("privacy:my-data-pdf")).content.startswith(b"%PDF")
    page = client.get(reverse("privacy:my-data")).content.decode()
    for needle in (everything["bill"].code, everything["jkn"].norm, everything["ticket"].number):
        assert needle in page


def test_nobody_elses_download_holds_it(client, make_citizen, everything):
    client.force_login(make_citizen())
    text = client.get(reverse("privacy:my-data-json")).content.decode()
    for needle in (everything["bill"].code, everything["jkn"].norm, "RUJ-77"):
        assert needle not in text


def test_the_dpo_records_page_lists_every_apps_processing(client, dpo):
    client.force_login(dpo)
    page = client.get(reverse("privacy:records")).content.decode()
    apps = {p.app for p in registry.processings.values()}
    assert {
        "accounts",
        "core",
        "privacy",
        "billing",
        "musrenbang",
        "masyarakat",
        "dokter",
        "perizinan",
        "budgeting",
        "command_center",
    } <= apps
    from django.utils.html import escape

    for p in registry.processings.values():
        assert escape(str(p.label)) in page, p.key
        assert escape(str(p.retention_source)) in page, p.key
